"""Spreadsheet rows as (row number, cell values), whatever the file: xlsx (the
first sheet; a merged cell's value fills every cell it spans) or csv (UTF-8,
with or without BOM, else GB18030 as Chinese Excel writes it)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from itertools import islice
from pathlib import Path

Row = tuple[int, list[object]]
DELIMITERS = (",", "\t", ";")  # the first wins a tie
SNIFF_ROWS = 50
SNIFF_CHARS = 1 << 16
_MERGED = re.compile(r'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')


class SheetError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


def read_rows(path: Path) -> list[Row]:
    if not path.is_file():
        raise SheetError("residents.no_file", file=str(path))
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix in (".csv", ".txt"):
        return _csv(path.read_bytes(), path.name)
    raise SheetError("residents.bad_type", file=path.name)


def _xlsx(path: Path) -> list[Row]:
    """Read-only mode (several times faster on 10,000 rows) does not give the
    merged ranges, so they are read from the sheet's XML, where they sit
    after the cells."""
    from openpyxl import load_workbook
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            sheet.reset_dimensions()  # <dimension> may end before the rows do
            rows: list[list[object]] = [list(r) for r in sheet.iter_rows(values_only=True)]
            xml_path = getattr(sheet, "_worksheet_path", "")
        finally:
            book.close()
        with zipfile.ZipFile(path) as archive:
            xml = archive.read(xml_path).decode("utf-8", "replace") if xml_path else ""
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SheetError("residents.unreadable", file=path.name, reason=str(err)) from None
    # A merged cell holds its value in the top-left cell only: fill the range.
    for ref in _MERGED.findall(xml):
        bounds = range_boundaries(ref)
        if None in bounds:
            continue
        min_col, min_row, max_col, max_row = (int(b or 0) for b in bounds)
        if min_row > len(rows):
            continue
        top_left = rows[min_row - 1]
        value = top_left[min_col - 1] if min_col - 1 < len(top_left) else None
        for r in range(min_row - 1, min(max_row, len(rows))):
            row = rows[r]
            row.extend([None] * (max_col - len(row)))
            for c in range(min_col - 1, max_col):
                row[c] = value
    return [(number, row) for number, row in enumerate(rows, 1)]


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
