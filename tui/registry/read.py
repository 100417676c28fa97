"""Spreadsheet rows as (row number, cell values), whatever the file: xlsx (the
first sheet; a merged cell's value fills every cell it spans) or csv (UTF-8,
with or without BOM, else GB18030 as Chinese Excel writes it)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from itertools import islice
from pathlib import Path

from tui.registry.errors import SheetError
from tui.registry.xlsx import read_calamine_sheets, read_xlsx, read_xlsx_sheets

__all__ = ["Row", "SheetError", "read_rows", "read_sheets"]

Row = tuple[int, list[object]]
DELIMITERS = (",", "\t", ";")  # the first wins a tie
SNIFF_ROWS = 50
SNIFF_CHARS = 1 << 16


XLSX = (".xlsx", ".xlsm")
CALAMINE = (".xls", ".ods")  # Excel 97-2003, OpenDocument (LibreOffice, WPS)
TEXT = (".csv", ".txt")
READABLE = (*XLSX, *CALAMINE, *TEXT)


def read_rows(path: Path) -> list[Row]:
    """The first sheet's rows."""
    _check(path)
    if path.suffix.lower() in XLSX:
        return list(enumerate(read_xlsx(path), 1))
    return read_sheets(path)[0][1]


def read_sheets(path: Path) -> list[tuple[str, list[Row]]]:
    """Every sheet as (name, rows), in the workbook's order; a csv is one
    sheet named after the file."""
    _check(path)
    suffix = path.suffix.lower()
    if suffix in TEXT:
        return [(path.stem, _csv(path.read_bytes(), path.name))]
    sheets = read_xlsx_sheets(path) if suffix in XLSX else read_calamine_sheets(path)
    return [(name, list(enumerate(rows, 1))) for name, rows in sheets]


def _check(path: Path) -> None:
    if not path.is_file():
        raise SheetError("residents.no_file", file=str(path))
    if path.suffix.lower() not in READABLE:
        raise SheetError("residents.bad_type", file=path.name)


def _csv(payload: bytes, name: str = "csv") -> list[Row]:
    """Quoting as Excel and WPS write it (RFC 4180: a cell in double quotes,
    a quote inside it doubled; a quote inside an unquoted cell is a
    character). Only the delimiter is guessed: csv.Sniffer also guesses the
    quoting from the first 4 KB and, seeing no doubled quote there, reads
    `"住""2号楼"",行动不便"` further down as two broken cells."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = payload.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError("residents.unreadable", file=name, reason="encoding")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        return [(number, list(row)) for number, row in enumerate(reader, 1)]
    except csv.Error as err:  # e.g. a cell over the csv module's limit of 128 KB
        raise SheetError("residents.unreadable", file=name, reason=str(err)) from None


def _delimiter(text: str) -> str:
    """The delimiter that splits most of the first rows into the same number
    (more than one) of cells."""
    best, most = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text[:SNIFF_CHARS], newline=""), delimiter=delimiter)
        try:
            widths = Counter(len(row) for row in islice(reader, SNIFF_ROWS) if len(row) > 1)
        except csv.Error:
            continue
        if max(widths.values(), default=0) > most:
            best, most = delimiter, max(widths.values())
    return best
