"""One table, many formats: CSV and XLSX from a list of dicts (used by API, CLI and web downloads).

CSV comes in two dialects, defined once here:

* ``excel-id`` (:data:`DIALEK_EXCEL_ID`): what Excel set to Indonesian opens right with a double
  click: ``;`` between fields, decimal comma, no thousands separator, dates ``DD/MM/YYYY``.
* ``standar`` (:data:`DIALEK_STANDAR`): RFC 4180 for programs: ``,`` and decimal point, ISO dates.

Both carry a UTF-8 BOM (Excel in any language then reads UTF-8 right; ``utf-8-sig`` and pandas
drop it). Web pages offer both; the default for a download without ``?dialek=`` follows the page's
language (Indonesian: ``excel-id``), the API and CLI default to ``standar``.

Numbers are written as their type says: an ``int`` never gets ``.0``; a float in a column the
caller declares whole (counts stored as floats) is written as a whole number; other floats with
the digits the caller gives (an indicator's decimals), else in their shortest exact form.

XLSX sheets all go through :class:`LembarXlsx`: bold header, frozen header row, auto-filter,
column widths, numbers as numeric cells with a number format, dates as date cells; it works in
normal and in write-only (streaming) workbooks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from presisi.core.exceptions import Finding, ValidationFailed

# A spreadsheet program reads a cell starting with one of these as a formula (OWASP "CSV
# injection"): =HYPERLINK(...) or +cmd|... typed into a name field must reach the user as text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Dialek:
    """How a CSV file writes fields, numbers and dates."""

    kode: str
    pemisah: str  # field delimiter
    desimal: str  # decimal mark (never a thousands separator: Excel would misread 1.234 in some locales)
    tanggal: str  # strftime of a date
    waktu: str  # strftime of a (local) date and time; "" = ISO 8601 with offset

    def angka(self, text: str) -> str:
        """A number written with a decimal point, in this dialect."""
        return text.replace(".", self.desimal)


DIALEK_EXCEL_ID = Dialek("excel-id", ";", ",", "%d/%m/%Y", "%d/%m/%Y %H:%M:%S")
DIALEK_STANDAR = Dialek("standar", ",", ".", "%Y-%m-%d", "")
DIALEK = {d.kode: d for d in (DIALEK_EXCEL_ID, DIALEK_STANDAR)}


def dialek_dari(kode: str | None, *, bawaan: Dialek = DIALEK_STANDAR) -> Dialek:
    """The dialect named by ``?dialek=`` / ``--dialek`` (``bawaan`` when not given); unknown names are refused."""
    if not kode:
        return bawaan
    try:
        return DIALEK[kode]
    except KeyError:
        raise ValidationFailed("Dialek CSV tidak dikenal.", [Finding(
            rule="dialek", column="dialek", value=kode[:40], message=f"pilihan: {', '.join(DIALEK)}")]) from None


def dialek_web(kode: str | None, bahasa: str | None) -> Dialek:
    """Web downloads: the asked dialect, else Excel-Indonesia for Indonesian pages and standard otherwise
    (whoever reads the page in Indonesian most likely opens the file in Excel set to Indonesian)."""
    return dialek_dari(kode, bawaan=DIALEK_EXCEL_ID if (bahasa or "id").startswith("id") else DIALEK_STANDAR)


# Digits for a number: ``desimal(row, key)`` → 0 (whole: counts), n (fixed digits) or None (as stored).
Desimal = Callable[[Mapping[str, Any], str], "int | None"]


def desimal_kolom(*, bulat: Collection[str] = (), kolom: Mapping[str, int] | None = None,
                  desimal: int | None = None, per_baris: str | None = None) -> Desimal:
    """Columns in ``bulat`` whole, those in ``kolom`` with their digits; other numbers with the row's own
    ``per_baris`` field, else ``desimal`` digits (None: as stored)."""
    whole, fixed = frozenset(bulat), dict(kolom or {})

    def digits(row: Mapping[str, Any], key: str) -> int | None:
        if key in whole:
            return 0
        if key in fixed:
            return fixed[key]
        if per_baris and row.get(per_baris) is not None:
            return int(row[per_baris])
        return desimal

    return digits


def formula_like(value: Any) -> bool:
    """Text a spreadsheet could run as a formula. Numbers (also negative ones) never are."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_value(value: Any) -> Any:
    """A CSV field that opens as text: formula-like text gets OWASP's leading apostrophe."""
    return "'" + value if formula_like(value) else value


def angka_bersih(value: int | float | Decimal, desimal: int | None) -> int | float | Decimal:
    """The number as exported: whole (``int``) when 0 digits, rounded to ``desimal`` digits; with no digits
    given, a whole float (a count stored as float: 8.0) becomes an ``int``, other floats stay as they are."""
    if isinstance(value, int) or not math.isfinite(value):  # ints (and bools) as they are
        return value
    if desimal == 0 or (desimal is None and value == int(value)):
        return int(round(value))
    if desimal is not None:
        return round(value, desimal)
    return value


def teks_angka(value: int | float | Decimal, desimal: int | None, dialek: Dialek) -> str:
    """A number as CSV text: ints as they are, fixed digits when given, else the shortest exact form."""
    value = angka_bersih(value, desimal)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return ""  # no spreadsheet reads nan/inf as a number; an empty cell is honest
    if desimal is not None and desimal > 0:
        text = f"{value:.{desimal}f}"
        if text.startswith("-") and not text.strip("-0."):
            text = text[1:]  # -0.0 → 0.0, as on the pages
    else:
        exact = value if isinstance(value, Decimal) else Decimal(repr(value))
        text = format(exact.normalize(), "f")  # 8.0 → 8, 1e-07 → 0.0000001 (never an exponent)
        text = "0" if text in ("-0", "0") else text
    return dialek.angka(text)


def _lokal(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def teks_tanggal(value: dt.date, dialek: Dialek) -> str:
    if isinstance(value, dt.datetime):
        return _lokal(value).strftime(dialek.waktu) if dialek.waktu else value.isoformat()
    return value.strftime(dialek.tanggal)


def csv_field(value: Any, dialek: Dialek, desimal: int | None = None) -> Any:
    """One CSV field in a dialect: numbers and dates formatted, formula-like text neutralised."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return teks_angka(value, desimal, dialek)
    if isinstance(value, dt.date):
        return teks_tanggal(value, dialek)
    return csv_value(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, dialek: Dialek = DIALEK_STANDAR) -> bytes:
    """Rows already formatted (see :func:`csv_field`) as CSV bytes with a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=dialek.pemisah)
    writer.writerow([csv_value(label) for label in header])
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel opens UTF-8 correctly


def rows_to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *,
                dialek: Dialek = DIALEK_STANDAR, desimal: Desimal | None = None) -> bytes:
    digits = desimal or (lambda _row, _key: None)
    return csv_bytes([label for _, label in columns],
                     ([csv_field(row.get(key), dialek, digits(row, key)) for key, _ in columns] for row in rows),
                     dialek=dialek)


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


FORMAT_BULAT = "#,##0"
FORMAT_TANGGAL = "DD/MM/YYYY"
FORMAT_WAKTU = "DD/MM/YYYY HH:MM"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LEBAR_MIN, LEBAR_MAKS = 8, 60


def format_angka(desimal: int | None) -> str | None:
    """Excel number format for counts and fixed decimals (Excel shows its own locale's separators)."""
    if desimal is None:
        return None
    return FORMAT_BULAT if desimal <= 0 else f"{FORMAT_BULAT}.{'0' * desimal}"


def xlsx_sel(ws: Any, value: Any, desimal: int | None = None) -> Any:
    """One XLSX value: numbers numeric with a number format, dates as dates, formula-like text as text."""
    if isinstance(value, bool) or value is None:
        return value
    fmt: str | None = None
    if isinstance(value, int | float | Decimal):
        value = angka_bersih(value, desimal)
        if not isinstance(value, int) and not math.isfinite(value):
            return None
        fmt = FORMAT_BULAT if isinstance(value, int) else format_angka(desimal)
    elif isinstance(value, dt.datetime):
        value, fmt = _lokal(value).replace(tzinfo=None), FORMAT_WAKTU  # Excel has no time zones
    elif isinstance(value, dt.date):
        fmt = FORMAT_TANGGAL
    else:
        return xlsx_value(ws, value)
    if fmt is None:
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = fmt
    return cell


class LembarXlsx:
    """One table on one worksheet, styled alike in every workbook Presisi writes: bold shaded header,
    frozen header row, auto-filter over the table, column widths, typed cells (:func:`xlsx_sel`).

    Works in write-only workbooks too (streaming, for large person lists): there widths and the frozen
    pane must precede the first row, so they come from the header and ``lebar``; normal sheets size
    their columns from the data as well."""

    def __init__(self, ws: Any, header: Sequence[str], *, lebar: Sequence[int | None] | None = None) -> None:
        self.ws = ws
        self.kolom = len(header)
        self.baris = 1
        self.stream = isinstance(ws, WriteOnlyWorksheet)
        self._lebar = [max(LEBAR_MIN, min(LEBAR_MAKS, len(str(h)) + 2)) for h in header]
        self._tetap = {i for i, w in enumerate(lebar or ()) if w}
        for i, w in enumerate(lebar or ()):
            if w:
                self._lebar[i] = w
        ws.freeze_panes = "A2"
        if self.stream:
            self._atur_lebar()  # write-only: columns are written before the first row
        ws.append([self._kepala(h) for h in header])

    def _kepala(self, label: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.ws, value=label)
        if formula_like(label):
            cell.data_type = "s"
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        return cell

    def tambah(self, values: Sequence[Any], desimal: Sequence[int | None] | None = None) -> None:
        """Append one row; ``desimal[i]`` digits for column i (0 = whole count, None = as stored)."""
        digits = desimal or ()
        self.ws.append([xlsx_sel(self.ws, v, digits[i] if i < len(digits) else None) for i, v in enumerate(values)])
        self.baris += 1
        if not self.stream:
            for i, v in enumerate(values[: self.kolom]):
                if i not in self._tetap and v is not None:
                    self._lebar[i] = max(self._lebar[i], min(LEBAR_MAKS, len(str(v)) + 2))

    def _atur_lebar(self) -> None:
        for i, w in enumerate(self._lebar, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def tutup(self) -> None:
        """Auto-filter over the table (and, in normal sheets, widths from the data). Call once, before saving."""
        if self.kolom:
            self.ws.auto_filter.ref = f"A1:{get_column_letter(self.kolom)}{self.baris}"
        if not self.stream:
            self._atur_lebar()


def rows_to_xlsx(rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], *, title: str = "Data",
                 desimal: Desimal | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    lembar = LembarXlsx(ws, [label for _, label in columns])
    digits = desimal or (lambda _row, _key: None)
    for row in rows:
        lembar.tambah([row.get(key) for key, _ in columns], [digits(row, key) for key, _ in columns])
    lembar.tutup()
    return workbook_bytes(wb)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
