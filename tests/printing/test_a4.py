"""The documents for an ordinary A4 printer: a PDF with a system Chinese font
embedded (rendered with poppler: pdftoppm pages, pdftotext text) and one
self-contained HTML page."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import HOSTILE
from tests.printing.conftest import issue
from tui.domain.intake import IntakeForm
from tui.domain.printer import PrintError
from tui.i18n import set_language
from tui.printing.documents import card
from tui.printing.fonts import FontFile, draws_chinese, find_cjk_font
from tui.printing.html import to_html
from tui.printing.pdf import to_pdf
from tui.printing.text import printable
from tui.services import printing
from tui.store.repository import Store


def pdf_pages(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    """How many pages pdftoppm draws, and the text pdftotext reads."""
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "30", "-png", source, tmp_path / "page"], check=True)
    pages = len(list(tmp_path.glob("page*.png")))
    text = subprocess.run(
        ["pdftotext", "-layout", source, "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, text


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_chinese_font_is_found() -> None:
    font = find_cjk_font()
    assert font is not None and font.path.is_file()


@pytest.mark.parametrize("what", ["slip", "receipt", "card"])
def test_each_document_as_a_one_page_pdf(sample_store: Store, tmp_path: Path, what: str) -> None:
    set_language("zh")
    if what == "slip":
        compound = sample_store.compounds()[0].id
        ticket = issue(sample_store, IntakeForm(name="王芳", compound=compound, category="noise"))[
            0
        ]
        document = printing.slip_document(sample_store, ticket)
    elif what == "receipt":
        document = printing.receipt_document(sample_store, sample_store.open_cases()[0])
    else:
        document = printing.card_document(sample_store)
    pages, text = pdf_pages(to_pdf(document), tmp_path)
    assert pages == 1
    for line in document.text_lines():
        if set(line) != {"-"}:
            assert squeeze(line) in squeeze(text), line
    assert "新宁社区" in text


def test_a_long_card_takes_more_pages_and_keeps_every_line(
    sample_store: Store, tmp_path: Path
) -> None:
    community = sample_store.community()
    staff = [
        dataclasses.replace(s, name=f"网格员{i:02d}", role="grid_worker")
        for i, s in enumerate(sample_store.staff() * 5)
    ]
    document = card(community, staff, sample_store.compounds())
    pages, text = pdf_pages(to_pdf(document), tmp_path)
    assert pages >= 2
    assert all(f"网格员{i:02d}" in text for i in range(len(staff)))


def test_hostile_text_in_the_pdf_and_the_page(sample_store: Store, tmp_path: Path) -> None:
    """Every hostile string at once, as names: the PDF is made (glyphs the
    font lacks, such as emoji, are left out) and says the rest; the page
    shows each one escaped, as text."""
    community = sample_store.community()
    assert community is not None
    strings = HOSTILE["strings"]
    staff = [
        dataclasses.replace(s, name=text, role="grid_worker")
        for s, text in zip(sample_store.staff() * 2, strings, strict=False)
    ]
    document = card(dataclasses.replace(community, name="[bold]社区[/bold]"), staff, [])
    pages, text = pdf_pages(to_pdf(document), tmp_path)
    assert pages >= 2  # the 10,000-character name wraps over pages
    assert "[bold]社区[/bold]" in text and "[/]" in text
    assert "'; DROP TABLE residents; --" in text
    page = to_html(document).decode("utf-8")
    assert "<script" not in page and "http" not in page.replace("https://example.com", "")
    assert "[link=https://example.com]点我[/link]" in page  # text, not a link
    assert "\x1b" not in page and "\x00" not in page and "\u202e" not in page
    for original in strings:
        shown = printable(original)
        assert html_escape(shown) in page, original


def html_escape(text: str) -> str:
    from html import escape

    return escape(text)


def test_html_is_one_self_contained_a4_page(sample_store: Store) -> None:
    page = to_html(printing.card_document(sample_store)).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "src=" not in page and "url(" not in page
    assert '<html lang="en">' in page and "<bdi>新宁社区</bdi>" in page


def test_no_chinese_font_refuses_the_pdf(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A font without Chinese, or none at all: refused, never a PDF of boxes."""
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin.exists():
        assert not draws_chinese(FontFile(latin))
        monkeypatch.setenv("FIELDDESK_PDF_FONT", str(latin))
        assert find_cjk_font() is None
    monkeypatch.setenv("FIELDDESK_PDF_FONT", "/no/such/font.ttc,2")
    assert find_cjk_font() is None
    with pytest.raises(PrintError) as refused:
        to_pdf(printing.card_document(sample_store))
    assert refused.value.code == "print.no_font"
