"""Normalising agency rows to the common person-list shape: headers, codes, dates, numbers; no cell crashes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.integration import normal
from tests.integration.bantu_sektor import KK_A, NIK_A, NIK_B

pytestmark = pytest.mark.django_db  # NIK rules read the known region codes


def _satu(header, row, pemetaan=None):
    hasil = normal.normalisasi(header, [row], pemetaan=pemetaan)
    return hasil.baris[0], hasil.temuan


@pytest.mark.parametrize("header,field", [
    ("NIK", "nik"), (" No. KK ", "no_kk"), ("NAMA LENGKAP", "nama"), ("JK", "jenis_kelamin"), ("L/P", "jenis_kelamin"),
    ("TGL LAHIR", "tanggal_lahir"), ("Tanggal_Lahir", "tanggal_lahir"), ("KODE DESA", "kode_desa"),
    ("Desa/Kelurahan", "nama_desa"), ("alamat", "alamat"), ("NAMA IBU KANDUNG", "nama_ibu"), ("nama_ayah", "nama_ayah"),
])
def test_common_headers_and_aliases_need_no_mapping(header, field):
    assert normal.peta_kolom([header], None) == {0: field}


def test_unknown_columns_go_to_data_and_mapping_names_variables():
    row, _ = _satu(["NO KTP", "Nama", "Bantuan", "Desil"], [NIK_A, "I Wayan", "PKH", 3.0],
                   pemetaan={"no ktp": "nik", "DESIL": "desil_dtsen"})
    assert row.nik == NIK_A and row.nama == "I Wayan"
    assert row.data == {"bantuan": "PKH", "desil_dtsen": 3}


@pytest.mark.parametrize("raw,expected", [
    ("L", 1), ("p", 2), (" LAKI-LAKI ", 1), ("Perempuan", 2), ("1", 1), (2, 2), (1.0, 1), ("Laki laki", 1),
    ("X", None), (3, None), (1.5, None), (True, None),
])
def test_jenis_kelamin(raw, expected):
    assert normal.jenis_kelamin(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("1980-03-12", dt.date(1980, 3, 12)), ("12-03-1980", dt.date(1980, 3, 12)), ("12/03/1980", dt.date(1980, 3, 12)),
    (dt.datetime(1980, 3, 12, 0, 0), dt.date(1980, 3, 12)), (29292, dt.date(1980, 3, 12)),
    ("29292", dt.date(1980, 3, 12)), ("31-02-1980", None), ("kemarin", None),
])
def test_dates(raw, expected):
    assert normal.tanggal(raw) == expected


@pytest.mark.parametrize("raw", [NIK_A, f"'{NIK_A}", f" {NIK_A[:8]} {NIK_A[8:]} ", f"{NIK_A}.0", int(NIK_A)])
def test_nik_cleaned(raw):
    row, temuan = _satu(["nik", "jenis_kelamin", "tanggal_lahir"], [raw, "L", "12-03-1980"])
    assert row.nik == NIK_A and temuan == []


def test_bad_nik_is_a_masked_warning_and_the_row_goes_on():
    row, temuan = _satu(["nik", "nama"], ["5105019999990001", "Made"])
    assert row.nik == "" and row.nama == "Made"
    (f,) = temuan
    assert f.severity == "warning" and f.row == 1 and f.column == "nik" and f.rule == "nik_tanggal"
    assert f.value == "510501******0001" and "dikosongkan" in f.message


def test_nik_in_scientific_notation_or_float_is_refused_not_guessed():
    row, temuan = _satu(["nik"], ["5.10501E+15"])
    assert row.nik == "" and temuan[0].rule == "nomor_ilmiah"
    row, temuan = _satu(["nik"], [51050112.5])
    assert row.nik == "" and temuan[0].rule == "nik_format"
    row, temuan = _satu(["nik"], [9.6e15 + 1])  # beyond 2**53 a float has lost digits
    assert row.nik == "" and temuan[0].rule == "nomor_presisi"


def test_nik_and_sex_disagree_is_a_warning_and_nik_kept():
    row, temuan = _satu(["nik", "jk"], [NIK_B, "L"])  # NIK_B is a woman's (day + 40)
    assert row.nik == NIK_B and [f.rule for f in temuan] == ["nik_jenis_kelamin"]


def test_kk_checked():
    row, temuan = _satu(["no_kk"], [KK_A])
    assert row.no_kk == KK_A and temuan == []
    row, temuan = _satu(["no_kk"], ["123"])
    assert row.no_kk == "" and temuan[0].rule == "no_kk_format" and temuan[0].value == "***"


def test_undotted_desa_code_normalised_and_long_text_cut():
    row, temuan = _satu(["kode_desa", "nama"], ["5105012001", "x" * 200])
    assert row.kode_desa == "51.05.01.2001" and len(row.nama) == 150 and temuan[0].rule == "teks_terlalu_panjang"


def test_future_birth_date_refused():
    row, temuan = _satu(["tanggal_lahir"], [(dt.date.today() + dt.timedelta(days=3)).isoformat()])
    assert row.tanggal_lahir is None and temuan[0].rule == "tanggal_lahir_rentang"


def test_json_objects_to_rows():
    header, rows, temuan = normal.dari_objek([{"nik": NIK_A, "nama": "A"}, "bukan objek", {"nama": "B", "x": 1}])
    assert header == ["nik", "nama", "x"] and rows[1] is None and temuan[0].row == 2
    hasil = normal.normalisasi(header, rows)
    assert [b.baris for b in hasil.baris] == [1, 3] and hasil.baris[1].data == {"x": 1}


sel = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20), st.floats(allow_nan=True),
    st.text(max_size=40), st.binary(max_size=20), st.dates(), st.datetimes(),
    st.sampled_from(["'5105011203800001", "5.10501E+15", "31-02-1980", "L", "PEREMPUAN", "5105012001", "00000",
                     "\u200b5105011203800001", "٥١٠٥٠١١٢٠٣٨٠٠٠٠١", "12/13/2020", "NaN", "-"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
HEADER = ["nik", "no_kk", "nama", "jk", "tgl lahir", "kode desa", "nama desa", "alamat", "nama ibu", "lain"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(sel, min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=5))
def test_no_cell_can_crash(rows):
    hasil = normal.normalisasi(HEADER, rows)
    assert [b.baris for b in hasil.baris] == list(range(1, len(rows) + 1))
    for b in hasil.baris:
        assert b.nik == "" or (b.nik.isdigit() and len(b.nik) == 16)
        assert b.jenis_kelamin in (None, 1, 2)
        assert b.tanggal_lahir is None or isinstance(b.tanggal_lahir, dt.date)
        assert len(b.nama) <= 150 and len(b.kode_desa) <= 20
        import json

        json.dumps(b.data)  # always storable
    for f in hasil.temuan:
        assert f.row is not None and f.message and f.rule
