"""Exports: formula-like text reaches every file as text; CSV dialects (Excel-Indonesia and standard) round-trip;
XLSX cells are typed and formatted."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from presisi.core.exceptions import ValidationFailed
from presisi.core.exports import (
    DIALEK_EXCEL_ID,
    DIALEK_STANDAR,
    FORMULA_PREFIXES,
    LembarXlsx,
    csv_value,
    desimal_kolom,
    dialek_dari,
    dialek_web,
    formula_like,
    rows_to_csv,
    rows_to_xlsx,
    teks_angka,
    xlsx_cell,
    xlsx_row,
)

ATTACKS = ["=HYPERLINK(\"https://evil.example\",\"klik\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "=1"]
# text openpyxl can store at all (control characters are refused by the library itself)
TEXT = st.text(min_size=0, max_size=40).filter(lambda t: not ILLEGAL_CHARACTERS_RE.search(t))


def _xml(text: str) -> str:
    """XML (inside every XLSX) normalises line ends: a CR comes back as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _reload(wb: Workbook):
    buf = io.BytesIO()
    wb.save(buf)
    return load_workbook(io.BytesIO(buf.getvalue()))


@given(st.one_of(TEXT, st.sampled_from(ATTACKS), st.builds(lambda p, t: p + t, st.sampled_from(FORMULA_PREFIXES),
                                                             TEXT)))
def test_helpers_never_leave_formula_text(value):
    # CSV: formula-like text gets the apostrophe; anything else is unchanged
    out = csv_value(value)
    assert not formula_like(out)
    assert out == ("'" + value if value.startswith(FORMULA_PREFIXES) else value)
    # XLSX, normal and write-only workbooks: the cell is text, never a formula, and holds the value exactly
    wb = Workbook()
    ws = wb.active
    ws.append(xlsx_row(ws, [value, "x"]))
    xlsx_cell(ws, 2, 1, value)
    streamed = Workbook(write_only=True)
    ws_s = streamed.create_sheet("S")
    ws_s.append(xlsx_row(ws_s, [value, value]))
    for book, coords in ((_reload(wb), ("A1", "A2")), (_reload(streamed), ("A1", "B1"))):
        for coord in coords:
            cell = book.worksheets[0][coord]
            assert cell.data_type != "f"
            assert (cell.value or "") == _xml(value)


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.none(), st.booleans()))
def test_numbers_stay_numbers(value):
    assert csv_value(value) == value or value is None
    assert xlsx_row(None, [value]) == [value]


def test_csv_and_xlsx_tables_neutralise_every_attack_but_keep_negative_numbers():
    rows = [{"nama": a, "nilai": -5} for a in ATTACKS]
    columns = [("nama", "Nama"), ("nilai", "Nilai")]
    text = rows_to_csv(rows, columns).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text)))[1:]
    assert [r[0] for r in read] == ["'" + a for a in ATTACKS]
    assert {r[1] for r in read} == {"-5"}
    ws = load_workbook(io.BytesIO(rows_to_xlsx(rows, columns))).active
    assert [c.value for c in ws["A"][1:]] == [_xml(a) for a in ATTACKS]
    assert all(c.data_type == "s" for c in ws["A"][1:])
    assert all(c.value == -5 and c.data_type == "n" for c in ws["B"][1:])


# --- dialects: files that open right in Excel set to Indonesian, and in programs --------------------------------

CSV_TEXT = st.text(max_size=30).filter(lambda t: "\x00" not in t)
CELL = st.one_of(st.none(), st.integers(min_value=-10**15, max_value=10**15),
                 st.floats(allow_nan=False, allow_infinity=False, width=64), CSV_TEXT,
                 st.sampled_from(["a;b", 'say "hi"', "1,5", "x\ny", ";", '"']))


def _parse(field: str, dialek) -> float:
    assert dialek.desimal == "." or "." not in field  # Excel-ID: never a decimal point
    return float(field.replace(dialek.desimal, "."))


@given(st.lists(st.lists(CELL, min_size=3, max_size=3), max_size=6), st.sampled_from([DIALEK_EXCEL_ID, DIALEK_STANDAR]))
def test_any_table_round_trips_through_csv_in_both_dialects(table, dialek):
    columns = [("a", "A;1"), ("b", 'B "2"'), ("c", "C")]
    rows = [dict(zip("abc", r, strict=True)) for r in table]
    text = rows_to_csv(rows, columns, dialek=dialek).decode("utf-8")
    assert text.startswith("\ufeff")
    read = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=dialek.pemisah))
    assert read[0] == ["A;1", 'B "2"', "C"]
    assert len(read) == 1 + len(rows)
    for row, back in zip(table, read[1:], strict=True):
        for value, field in zip(row, back, strict=True):
            if value is None:
                assert field == ""
            elif isinstance(value, int):
                assert field == str(value)  # an int is never written 8.0 or 8,0
            elif isinstance(value, float):
                assert _parse(field, dialek) == value
                assert "e" not in field.lower()  # Excel-ID would misread an exponent with a decimal comma
                if value.is_integer():
                    assert field.lstrip("-").isdigit()  # a whole float (a count stored as float) is whole
            else:
                assert field == csv_value(value)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=3))
def test_digits_given_are_the_digits_written(value, digits):
    for dialek in (DIALEK_EXCEL_ID, DIALEK_STANDAR):
        field = teks_angka(value, digits, dialek)
        whole, _sep, frac = field.lstrip("-").partition(dialek.desimal)
        assert whole.isdigit() and len(frac) == digits and (digits == 0) == (_sep == "")
        assert _parse(field, dialek) == pytest.approx(round(value, digits), abs=10 ** -digits)
        assert field != "-" + "0" * max(1, len(whole)) + (dialek.desimal + "0" * digits if digits else "")


def test_counts_whole_values_with_their_decimals_dates_as_dates():
    rows = [{"n": 8.0, "v": 12.345, "t": dt.date(2026, 1, 31), "w": dt.datetime(2026, 1, 31, 13, 5, 0), "x": True}]
    columns = [("n", "Jumlah"), ("v", "Nilai"), ("t", "Tanggal"), ("w", "Waktu"), ("x", "Ya")]
    digits = desimal_kolom(bulat={"n"}, desimal=1)
    excel = rows_to_csv(rows, columns, dialek=DIALEK_EXCEL_ID, desimal=digits).decode("utf-8-sig")
    assert excel.splitlines()[1] == "8;12,3;31/01/2026;31/01/2026 13:05:00;True"
    standard = rows_to_csv(rows, columns, desimal=digits).decode("utf-8-sig")
    assert standard.splitlines()[1] == "8,12.3,2026-01-31,2026-01-31T13:05:00,True"
    assert rows_to_csv([{"n": 8.0}], [("n", "N")]).decode("utf-8-sig").splitlines()[1] == "8"  # no digits: whole


def test_dialect_names():
    assert dialek_dari(None) is DIALEK_STANDAR and dialek_dari("excel-id") is DIALEK_EXCEL_ID
    assert dialek_web(None, "id") is DIALEK_EXCEL_ID and dialek_web(None, "en") is DIALEK_STANDAR
    assert dialek_web("standar", "id") is DIALEK_STANDAR
    with pytest.raises(ValidationFailed):
        dialek_dari("lotus-123")


@given(st.lists(st.tuples(st.integers(-10**9, 10**9), st.floats(-1e6, 1e6, allow_nan=False), st.dates(
    min_value=dt.date(1900, 3, 1)), TEXT), max_size=5))
def test_xlsx_cells_are_typed_and_formatted_in_normal_and_streaming_sheets(table):
    columns = [("n", "Jumlah"), ("v", "Nilai"), ("t", "Tanggal"), ("s", "Teks")]
    rows = [dict(zip("nvts", r, strict=True)) for r in table]
    normal = load_workbook(io.BytesIO(rows_to_xlsx(rows, columns, desimal=desimal_kolom(desimal=2)))).active
    streamed_book = Workbook(write_only=True)
    lembar = LembarXlsx(streamed_book.create_sheet("S"), [label for _, label in columns], lebar=(10, 12, 12, 30))
    for r in table:
        lembar.tambah(list(r), [0, 2, None, None])
    lembar.tutup()
    streamed = _reload(streamed_book).active
    for ws in (normal, streamed):
        assert ws.freeze_panes == "A2" and ws["A1"].font.bold
        assert ws.auto_filter.ref == f"A1:D{1 + len(table)}"
        assert ws.column_dimensions["D"].width >= 8
        for (n, v, t, s), cells in zip(table, ws.iter_rows(min_row=2), strict=True):
            assert cells[0].value == n and isinstance(cells[0].value, int) and cells[0].number_format == "#,##0"
            assert cells[1].value == pytest.approx(round(v, 2)) and cells[1].number_format == "#,##0.00"
            assert cells[2].value.date() == t and cells[2].number_format == "DD/MM/YYYY"
            assert (cells[3].value or "") == _xml(s) and cells[3].data_type != "f"
