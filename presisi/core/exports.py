"""One table, many formats: CSV and XLSX from a list of dicts (used by API, CLI and web downloads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font


def _cell(value: Any) -> Any:
    # A value that starts like a formula must stay text when a user opens the file in Excel.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def rows_to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([label for _, label in columns])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in columns])
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 correctly


def rows_to_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *, title: str = "Data") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([label for _, label in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(row.get(key)) for key, _ in columns])
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
