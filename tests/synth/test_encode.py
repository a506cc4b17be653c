"""Checking generated columns against the dictionary and encoding the stored JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest

from presisi.synth.encode import Coverage, SynthBug, atribut_json, check_columns

pytestmark = pytest.mark.django_db


def test_a_value_outside_the_code_list_is_a_generator_bug(dictionary):
    with pytest.raises(SynthBug, match="golongan_darah"):
        check_columns("individu", {"golongan_darah": np.array([1.0, 99.0])}, Coverage())
    with pytest.raises(SynthBug):
        check_columns("individu", {"lama_sekolah": np.array([3.0, 23.0])}, Coverage())
    with pytest.raises(SynthBug, match="bulat"):
        check_columns("individu", {"lama_sekolah": np.array([3.5])}, Coverage())


def test_coverage_reports_unfilled_and_unknown_variables(dictionary):
    coverage = Coverage()
    kept = check_columns("bangunan", {"penggunaan_bangunan": np.array([1.0]), "warna_cat": np.array([1.0])},
                         coverage)
    assert list(kept) == ["penggunaan_bangunan"]
    assert coverage.tanpa_kamus == {"bangunan": ["warna_cat"]}
    assert "tahun_dibangun" in coverage.tidak_diisi["bangunan"]


def test_atribut_json_leaves_missing_values_out(dictionary):
    cols = {
        "golongan_darah": np.array([1.0, np.nan]),
        "berat_badan": np.array([10.26, np.nan]),
        "tanggal_ukur": np.array(["2026-07-01", "NaT"], dtype="datetime64[D]"),
        "pendidikan": np.array([3.0, 4.0]),  # a core column: never inside atribut
    }
    rows = [json.loads(t) for t in atribut_json("individu", cols, 2, chunk=1)]
    assert rows == [{"golongan_darah": 1, "berat_badan": 10.26, "tanggal_ukur": "2026-07-01"}, {}]
    assert isinstance(rows[0]["golongan_darah"], int)
