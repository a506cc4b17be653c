"""The one period-code parser: case and whitespace do not matter; S1/S2, Q1–Q4, month and year forms."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.core.exceptions import ValidationFailed
from presisi.periods.codes import kode_rapikan, normalize_periode, periode_bounds, periode_nama


@pytest.mark.parametrize("kode", ["2026-S2", "2026-s2", " 2026-S2 ", "2026 - s2", "\u00a02026-s2\t"])
def test_semester_code_in_any_case_and_spacing(kode):
    assert normalize_periode(kode) == "2026-S2"
    assert periode_bounds(kode) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(("kode", "normal", "mulai", "akhir", "nama"), [
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Tahun 2026"),
    ("2026-s1", "2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), "Semester 1 2026"),
    ("2026-q1", "2026-Q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "Triwulan 1 2026"),
    ("2024-Q4", "2024-Q4", dt.date(2024, 10, 1), dt.date(2024, 12, 31), "Triwulan 4 2024"),
    ("2024-02", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Februari 2024"),
])
def test_every_form(kode, normal, mulai, akhir, nama):
    assert normalize_periode(kode) == normal
    assert periode_bounds(kode) == (mulai, akhir)
    assert periode_nama(kode) == nama


@pytest.mark.parametrize("kode", ["", None, "2026-S3", "2026-Q5", "2026-13", "26-S1", "2026S1", "semester 2"])
def test_bad_codes_are_a_finding(kode):
    with pytest.raises(ValidationFailed) as err:
        normalize_periode(kode)
    assert err.value.findings[0].rule == "periode_format" and "2026-S2" in err.value.findings[0].message


def test_tidy_keeps_unknown_text_recognisable():
    assert kode_rapikan(" 2099-x ") == "2099-X"
