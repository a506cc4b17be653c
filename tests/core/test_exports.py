"""Formula injection: text that a spreadsheet would run as a formula reaches every export as text."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from presisi.core.exports import (
    FORMULA_PREFIXES,
    csv_value,
    formula_like,
    rows_to_csv,
    rows_to_xlsx,
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
