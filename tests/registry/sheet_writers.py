"""Writing the .xls and .ods sheets offices send, for the tests that read them
(fielddesk only reads these formats; python-calamine does it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

Cells = Sequence[object]


def write_xls(path: Path, sheets: dict[str, list[Cells]], merged: Sequence[str] = ()) -> Path:
    """Excel 97-2003. `merged`: "sheet!r0,c0,r1,c1" ranges (0-based), whose
    first cell holds the value."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    spans = [m.split("!") for m in merged]
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        covered: set[tuple[int, int]] = set()
        for where, box in spans:
            if where != name:
                continue
            r0, c0, r1, c1 = map(int, box.split(","))
            sheet.write_merge(r0, r1, c0, c1, rows[r0][c0])
            covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (r, c) not in covered and value not in (None, ""):
                    sheet.write(r, c, value)
    book.save(str(path))
    return path


def write_ods(path: Path, sheets: dict[str, list[Cells]]) -> Path:
    """OpenDocument (LibreOffice, WPS): numbers as numbers, text as text."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            line = TableRow()
            for value in row:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                if value not in (None, ""):
                    cell.addElement(P(text=str(value)))
                line.addElement(cell)
            table.addElement(line)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
