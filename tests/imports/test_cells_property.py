"""Property tests (hypothesis): no cell value crashes a reader, a converter or the NIK/KK rules.

Whatever a cell holds — arbitrary unicode, None, floats (nan, inf), huge ints, dates, bools,
bytes — the answer is a value or a finding, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.imports.cells import bersihkan, converter_for, parse_date
from presisi.imports.columns import columns_by_code
from presisi.registry.identifiers import kk_findings, nik_findings
from presisi.registry.identitas import beda_identitas, nama_mirip
from presisi.validation.rules.identitas import digits

CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=10**15, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(), st.binary(max_size=40),
    st.datetimes(), st.dates(),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９\u00a0\u200b .,-/eE+", max_size=24),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _is_result(result) -> bool:
    value, rule, message = result
    return (rule is None and message is None) or (isinstance(rule, str) and isinstance(message, str))


@FAST
@given(raw=CELLS)
def test_nik_and_kk_rules_return_findings_for_anything(raw):
    for finding in nik_findings(raw, jenis_kelamin=raw, tanggal_lahir=raw) + kk_findings(raw):
        assert finding.rule and finding.message
    digits(np.array([raw], dtype=object))


@FAST
@given(raw=CELLS)
def test_text_normalisation_and_dates_never_raise(raw):
    if isinstance(raw, str):
        out = bersihkan(raw)
        assert "\u200b" not in out and "\u00a0" not in out
        assert all(ch.isascii() for ch in out if ch.isdecimal())  # ² is a digit, not a decimal one
    value = parse_date(raw)
    assert value is None or isinstance(value, dt.date)


@FAST
@given(a=CELLS, b=CELLS)
def test_identity_comparison_never_raises(a, b):
    assert isinstance(nama_mirip(a, b), bool)
    assert isinstance(beda_identitas({"nama": a, "tanggal_lahir": a, "jenis_kelamin": a},
                                     {"nama": b, "tanggal_lahir": b, "jenis_kelamin": b}), list)


@pytest.mark.django_db
@FAST
@given(raw=CELLS)
def test_every_column_converter_gives_a_value_or_a_finding(_reference_data, wilayah, raw):
    from tests.validation.conftest import BANJAR

    banjar = [wilayah[BANJAR]]
    for unit in ("individu", "keluarga", "rumah_tangga", "bangunan"):
        for col in columns_by_code(unit).values():
            result = converter_for(col, banjar)(raw)
            assert _is_result(result), (col.kode, raw, result)
            value = result[0]
            assert not (isinstance(value, float) and not math.isfinite(value)), (col.kode, raw)


def test_arabic_indic_full_width_and_invisible_characters_become_ascii():
    assert bersihkan("٥١٠٥\u200b０１\u00a0x") == "510501 x"


@FAST
@given(data=st.binary(max_size=300))
def test_the_file_reader_answers_any_bytes_with_sheets_or_findings(data):
    from presisi.imports.readers import baca_berkas

    doc = baca_berkas(data, "x.csv")
    assert doc.lembar or doc.temuan


@FAST
@given(cells=st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), min_size=1, max_size=6))
def test_the_csv_reader_answers_any_unicode_cells(cells):
    import csv
    import io

    from presisi.imports.readers import baca_berkas

    buf = io.StringIO()
    csv.writer(buf).writerows([["nik", "nama", "x", "y"], *cells])
    doc = baca_berkas(buf.getvalue().encode("utf-8"), "x.csv")
    assert doc.lembar or doc.temuan
