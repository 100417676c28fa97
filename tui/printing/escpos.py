"""A document as ESC/POS bytes for a receipt printer.

Chinese receipt printers print GB18030 (GBK) text in their Chinese
character mode: FS & selects it, and the text goes out encoded as gb18030,
raw (python-escpos's own text() would pick a code page for Western
characters and lose the Chinese). python-escpos does the rest: alignment,
size, bold and the cut. Every byte is made first, into python-escpos's
Dummy printer; a real printer then gets them in one write (connect.py), so
a slow or failing printer never leaves half a slip's commands behind in
this process.

A GB18030 byte sequence never holds a byte below 0x30 after its first, so
no text can be read by the printer as a command; control characters were
left out of the text before (text.printable). A character GB18030 cannot
encode (a lone surrogate) prints as "?".
"""

from __future__ import annotations

from escpos.printer import Dummy  # type: ignore[import-untyped]

from tui.printing.documents import (
    ENTRY,
    HEADING,
    NOTE,
    NUMBER,
    RULE,
    TITLE,
    Document,
    line_text,
)

ENCODING = "gb18030"
CHINESE_ON = b"\x1c\x26"  # FS &: Chinese character mode
CHINESE_OFF = b"\x1c\x2e"  # FS .: back to single-byte characters
NUMBER_SIZE = 4  # the ticket number, four times as wide and high


def encode(text: str) -> bytes:
    return text.encode(ENCODING, errors="replace")


def to_escpos(document: Document) -> bytes:
    """Every byte the printer gets for `document`, cut at the end."""
    printer = Dummy()
    printer.hw("INIT")
    printer._raw(CHINESE_ON)
    for line in document.lines:
        style = line.style
        if style == NUMBER:
            printer.set(
                align="center", bold=True, custom_size=True, width=NUMBER_SIZE, height=NUMBER_SIZE
            )
        elif style == TITLE:
            printer.set(align="center", bold=True, double_width=True, double_height=True)
        elif style == HEADING:
            printer.set(align="center", bold=True, normal_textsize=True)
        elif style == ENTRY:
            printer.set(align="left", bold=True, normal_textsize=True)
        elif style == NOTE:
            printer.set(align="center", bold=False, normal_textsize=True)
        else:
            printer.set(align="left", bold=False, normal_textsize=True)
        if style == RULE:
            printer._raw(b"-" * 32 + b"\n")
            continue
        printer._raw(encode(line_text(line)) + b"\n")
    printer.set(align="left", bold=False, normal_textsize=True)
    printer._raw(CHINESE_OFF)
    printer.cut()
    return printer.output
