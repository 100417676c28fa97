"""A document as one self-contained HTML page for an A4 printer: no script,
no link to anything outside, every field escaped (markup in a name is
text), each field isolated from its neighbours' text direction (<bdi>)."""

from __future__ import annotations

from html import escape

from tui.printing.documents import (
    DETAIL,
    ENTRY,
    FIELD,
    HEADING,
    NOTE,
    NUMBER,
    RULE,
    TITLE,
    Document,
)

CSS = """
@page { size: A4; margin: 18mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei",
  "PingFang SC", "WenQuanYi Micro Hei", SimHei, sans-serif; font-size: 13pt;
  color: #000; background: #fff; margin: 0 auto; max-width: 174mm; padding: 8mm 0; }
h1 { font-size: 20pt; text-align: center; margin: 0 0 2mm; }
h2 { font-size: 16pt; text-align: center; margin: 3mm 0; }
.number { font-size: 72pt; font-weight: bold; text-align: center; margin: 4mm 0;
  letter-spacing: 2mm; }
p { margin: 1.5mm 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.label { font-weight: bold; }
.entry { font-weight: bold; font-size: 14pt; margin-top: 3mm; }
.detail { margin-left: 8mm; }
.note { text-align: center; font-size: 11pt; color: #333; }
hr { border: 0; border-top: 1px solid #777; margin: 4mm 0; }
@media print { body { padding: 0; } }
"""


def _bdi(text: str) -> str:
    return f"<bdi>{escape(text)}</bdi>"


def to_html(document: Document) -> bytes:
    lang = "zh-CN" if document.lang == "zh" else "en"
    body: list[str] = []
    for line in document.lines:
        style = line.style
        if style == RULE:
            body.append("<hr>")
        elif style == TITLE:
            body.append(f"<h1>{_bdi(line.text)}</h1>")
        elif style == HEADING:
            body.append(f"<h2>{_bdi(line.text)}</h2>")
        elif style == NUMBER:
            body.append(f'<p class="number">{_bdi(line.text)}</p>')
        elif style == FIELD:
            body.append(
                f'<p class="field"><span class="label">{escape(line.label)}</span> '
                f"{_bdi(line.text)}</p>"
            )
        elif style == ENTRY:
            body.append(f'<p class="entry">{_bdi(line.label)} {_bdi(line.text)}</p>')
        elif style == DETAIL:
            body.append(f'<p class="detail">{_bdi(line.text)}</p>')
        elif style == NOTE:
            body.append(f'<p class="note">{_bdi(line.text)}</p>')
        else:
            body.append(f"<p>{_bdi(line.text)}</p>")
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return page.encode("utf-8", errors="replace")
