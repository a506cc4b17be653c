"""One table, many formats: CSV and XLSX from a list of dicts (used by API, CLI and web downloads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

# A spreadsheet program reads a cell starting with one of these as a formula (OWASP "CSV
# injection"): =HYPERLINK(...) or +cmd|... typed into a name field must reach the user as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet could run as a formula. Numbers (also negative ones) never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_value(value: Any) -> Any:
    """A CSV field that opens as text: formula-like text gets OWASP's leading apostrophe."""
    return "'" + value if formula_like(value) else value


def xlsx_value(ws: Any, value: Any) -> Any:
    """A value for ``ws.append``: formula-like text becomes a cell typed as string, so the workbook
    holds the text exactly (re-import reads it back unchanged) and never a formula."""
    if not formula_like(value):
        return value
    cell = WriteOnlyCell(ws, value=value)  # row/column set by append (normal and write-only sheets)
    cell.data_type = "s"  # string, never "f" (formula)
    return cell


def xlsx_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """``ws.append(xlsx_row(ws, values))``: works in normal and write-only worksheets."""
    return [xlsx_value(ws, v) for v in values]


def xlsx_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` that never stores formula-like text as a formula."""
    cell = ws.cell(row=row, column=column, value=value)
    if formula_like(value):
        cell.data_type = "s"  # string, never "f" (formula)
    return cell


def rows_to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([csv_value(label) for _, label in columns])
    for row in rows:
        writer.writerow([csv_value(row.get(key)) for key, _ in columns])
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 correctly


def rows_to_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *, title: str = "Data") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(xlsx_row(ws, [label for _, label in columns]))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(xlsx_row(ws, [row.get(key) for key, _ in columns]))
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
