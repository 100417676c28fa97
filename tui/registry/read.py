"""Spreadsheet rows as (row number, cell values), whatever the file: xlsx (the
first sheet; a merged cell's value fills every cell it spans) or csv (UTF-8,
with or without BOM, else GB18030 as Chinese Excel writes it)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

Row = tuple[int, list[object]]
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
        return _csv(path.read_bytes())
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


def _csv(payload: bytes) -> list[Row]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = payload.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise SheetError("residents.unreadable", file="csv", reason="encoding")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    return [(number, list(row)) for number, row in enumerate(reader, 1)]
