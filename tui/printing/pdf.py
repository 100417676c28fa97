"""A document as an A4 PDF (fpdf2), a system Chinese font embedded (only
the glyphs used). Text is never markup here: fpdf2's markdown is off.
A character the font has no glyph for (an emoji) is left out of the page
by fpdf2, not drawn as a box; nothing fails over it."""

from __future__ import annotations

import logging

from tui.domain.printer import PrintError
from tui.printing.documents import (
    DETAIL,
    ENTRY,
    HEADING,
    NOTE,
    NUMBER,
    RULE,
    TITLE,
    Document,
    line_text,
)
from tui.printing.fonts import FontFile, find_cjk_font

FONT = "cjk"
MARGIN = 20  # mm
# style -> (font size in points, line height in mm, alignment)
LAYOUT = {
    TITLE: (20, 11, "C"),
    HEADING: (16, 10, "C"),
    NUMBER: (72, 30, "C"),
    ENTRY: (14, 8, "L"),
    DETAIL: (12, 7, "L"),
    NOTE: (11, 7, "C"),
}
BODY = (13, 8, "L")


def to_pdf(document: Document, font: FontFile | None = None) -> bytes:
    """The PDF's bytes. `font`: the Chinese font to embed, else the system's
    (fonts.py); PrintError print.no_font when there is none."""
    from fpdf import FPDF

    font = font or find_cjk_font()
    if font is None:
        raise PrintError("print.no_font")
    # fpdf2 logs each glyph the font lacks; the page simply goes without it.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(document.name)
    pdf.set_creator("fielddesk")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    try:
        pdf.add_font(FONT, fname=str(font.path), collection_font_number=font.index)
    except Exception as err:  # noqa: BLE001 - a font fpdf2 cannot read: said in one line
        raise PrintError("print.bad_font", font=str(font.path), reason=str(err)[:120]) from err
    pdf.add_page()
    width = pdf.w - 2 * MARGIN
    for line in document.lines:
        if line.style == RULE:
            y = pdf.get_y() + 3
            pdf.set_draw_color(120, 120, 120)
            pdf.line(MARGIN, y, pdf.w - MARGIN, y)
            pdf.set_y(y + 4)
            continue
        size, height, align = LAYOUT.get(line.style, BODY)
        pdf.set_font(FONT, size=size)
        indent = 8 if line.style == DETAIL else 0
        pdf.set_x(MARGIN + indent)
        text = line.text if line.style == DETAIL else line_text(line)
        pdf.multi_cell(width - indent, height, text, align=align, new_x="LMARGIN", new_y="NEXT")
        if line.style in (TITLE, NUMBER):
            pdf.ln(2)
    return bytes(pdf.output())
