"""Spreadsheet rows as (row number, cell values), whatever the file: xlsx (the
first sheet; a merged cell's value fills every cell it spans) or csv (UTF-8,
with or without BOM, else GB18030 as Chinese Excel writes it)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

Row = tuple[int, list[object]]


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
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SheetError("residents.unreadable", file=path.name, reason=str(err)) from None
    sheet = book.worksheets[0]
    rows: list[list[object]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    # Merged cells hold their value in the top-left cell only.
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            row = rows[r]
            for c in range(merged.min_col - 1, min(merged.max_col, len(row))):
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
