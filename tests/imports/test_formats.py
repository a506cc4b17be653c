"""The generated template (drop-downs, hidden code lists, round trip) and OpenSID exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from presisi.imports.pipeline import impor_jalankan
from presisi.imports.template import template_xlsx
from presisi.registry.models import Individu, Keluarga
from tests.imports.helpers import INDIVIDU_HEADER, individu_rows, keluarga_rows, xlsx
from tests.validation.conftest import DESA, keluarga, orang

pytestmark = pytest.mark.django_db

OPENSID_HEADER = ["nik", "nama", "no_kk", "sex", "tempatlahir", "tanggallahir", "agama_id", "pendidikan_kk_id",
                  "pekerjaan_id", "status_kawin", "kk_level", "dusun", "rt", "rw", "nama_ayah", "nama_ibu",
                  "golongan_darah_id", "warganegara_id", "status_dasar", "hamil", "alamat"]


def opensid_rows():
    return [
        ["5105011203800001", "I WAYAN SUDARMA", "5105010303150001", 1, "KLUNGKUNG", "1980-03-12", 4, 5, 9, 2, 1,
         "KAJA", "001", "000", "I MADE RAI", "NI NYOMAN SARI", 1, 1, 1, 0, "Jl. Pura Dalem 1"],
        ["5105014107830002", "NI MADE SUARTINI", "5105010303150001", 2, "KLUNGKUNG", "1983-07-01", 4, 5, 2, "K", 3,
         "KAJA", "001", "000", "I KETUT OKA", "NI WAYAN REMPEG", 0, 1, 1, 1, "Jl. Pura Dalem 1"],
        ["5105010101400004", "I NYOMAN TUA", "5105010303150002", 1, "GIANYAR", "1940-01-01", 4, 1, 1, 4, 1,
         "KAJA", "002", "000", "I GEDE RAKA", "NI LUH SEKAR", 0, 1, 2, 0, "Jl. Pura Dalem 2"],
    ]


def test_template_has_unit_sheets_drop_downs_and_a_hidden_code_list(wilayah):
    wb = load_workbook(io.BytesIO(template_xlsx(desa=wilayah[DESA])))
    assert wb.sheetnames == ["Petunjuk", "Keluarga", "Individu", "Rumah Tangga", "Bangunan", "Daftar Kode"]
    assert wb["Daftar Kode"].sheet_state == "hidden"
    ind = wb["Individu"]
    header = [c.value for c in ind[1]]
    assert header[:3] == ["nik", "no_kk", "kode_rumah_tangga"] and "status_dasar" not in header
    assert "golongan_darah" in header and "hamil" in header
    labels = [c.value for c in ind[2]]
    assert labels[0] == "Nomor Induk Kependudukan *"
    sex_col = header.index("jenis_kelamin")
    validations = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ind.data_validations.dataValidation}
    letter = ind.cell(row=3, column=sex_col + 1).column_letter
    assert validations[f"{letter}3"].startswith("'Daftar Kode'!$")
    codes = wb["Daftar Kode"]
    by_name = {codes.cell(row=1, column=j).value: j for j in range(1, codes.max_column + 1)}
    assert codes.cell(row=2, column=by_name["jenis_kelamin"]).value == "1 - Laki-laki"
    assert codes.cell(row=2, column=by_name["banjar"]).value == "001 - Kaja"
    assert wb["Keluarga"]["B1"].value == "banjar"


def test_a_filled_in_template_imports(wilayah, periode):
    wb = load_workbook(io.BytesIO(template_xlsx(desa=wilayah[DESA])))
    kel, ind = wb["Keluarga"], wb["Individu"]
    kel_cols = [c.value for c in kel[1]]
    ind_cols = [c.value for c in ind[1]]
    for i, row in enumerate(keluarga_rows(), start=3):
        for key, value in zip(["no_kk", "banjar", "alamat"], row, strict=True):
            kel.cell(row=i, column=kel_cols.index(key) + 1, value=value)
    from tests.imports.helpers import INDIVIDU_HEADER

    for i, row in enumerate(individu_rows(), start=3):
        for key, value in zip(INDIVIDU_HEADER, row, strict=True):
            ind.cell(row=i, column=ind_cols.index(key) + 1, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    r = impor_jalankan(berkas=buf.getvalue(), nama_berkas="templat.xlsx", desa=wilayah[DESA], periode=periode)
    assert r.diterima, [str(f) for f in r.temuan]
    assert r.unit["individu"]["dibuat"] == 4 and r.unit["keluarga"]["dibuat"] == 2
    assert "rumah_tangga" not in r.unit  # empty sheets are not units of this import


def test_opensid_export_is_mapped_to_the_dictionary(wilayah, periode):
    data = xlsx({"Penduduk": [OPENSID_HEADER, *opensid_rows()]})
    r = impor_jalankan(berkas=data, nama_berkas="opensid.xlsx", desa=wilayah[DESA], periode=periode)
    assert r.format == "opensid" and r.diterima, [str(f) for f in r.temuan]
    assert r.unit["individu"]["dibuat"] == 2 and r.unit["individu"]["dilewati"] == 1  # status_dasar 2 = mati
    assert r.unit["keluarga"]["dibuat"] == 1
    wife = Individu.objects.get(nik="5105014107830002")
    assert (wife.jenis_kelamin, wife.status_kawin, wife.hubungan_keluarga, wife.atribut) == (2, 2, 3, {"hamil": 1})
    head = Individu.objects.get(nik="5105011203800001")
    assert head.atribut == {"golongan_darah": 1, "hamil": 2}
    assert Keluarga.objects.get().alamat == "Jl. Pura Dalem 1"
    assert head.banjar.kode == DESA + ".001"
    ignored = [f for f in r.temuan if f.rule == "kolom_diabaikan"]
    assert ignored and ignored[0].severity == "info" and "rt" in ignored[0].column


def test_opensid_dead_person_still_alive_in_presisi_is_a_warning_not_an_edit(wilayah, periode):
    kel = keluarga(wilayah, no_kk="5105010303150002")
    old = orang(kel, nik="5105010101400004", lahir="1940-01-01")
    r = impor_jalankan(berkas=xlsx({"Penduduk": [OPENSID_HEADER, *opensid_rows()]}), nama_berkas="o.xlsx",
                       desa=wilayah[DESA], periode=periode)
    warn = [f for f in r.temuan if f.rule == "status_dasar"]
    assert len(warn) == 1 and warn[0].severity == "warning" and warn[0].row == 4
    old.refresh_from_db()
    assert old.status_dasar == 1


def test_opensid_unknown_dusun_is_an_error_listing_the_banjar(wilayah, periode):
    rows = opensid_rows()
    rows[0][11] = "ANTAH BERANTAH"
    r = impor_jalankan(berkas=xlsx({"Penduduk": [OPENSID_HEADER, *rows]}), nama_berkas="o.xlsx",
                       desa=wilayah[DESA], periode=periode)
    bad = [f for f in r.temuan if f.rule == "banjar_tidak_dikenal"]
    assert bad and bad[0].row == 2 and "001 Kaja" in bad[0].message and not r.diterima


def test_openpyxl_fallback_reads_the_same_as_calamine(wilayah, periode, monkeypatch):
    import presisi.imports.readers as readers

    def no_calamine(data):
        raise ImportError

    monkeypatch.setattr(readers, "_read_calamine", no_calamine)
    from tests.imports.helpers import template_file

    r = impor_jalankan(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode)
    assert r.diterima and r.unit["individu"]["dibuat"] == 4


def test_a_desa_exported_as_template_reimports_unchanged(wilayah, periode):
    from presisi.imports.export import ekspor_desa_xlsx
    from tests.imports.helpers import template_file

    impor_jalankan(berkas=template_file(), nama_berkas="a.xlsx", desa=wilayah[DESA], periode=periode)
    data = ekspor_desa_xlsx(desa=wilayah[DESA])
    r = impor_jalankan(berkas=data, nama_berkas="ekspor.xlsx", desa=wilayah[DESA], periode=periode)
    assert r.diterima and not r.ditulis, [str(f) for f in r.temuan]
    assert r.unit["individu"]["tetap"] == 4 and r.unit["keluarga"]["tetap"] == 2


def test_a_true_cell_beside_a_1_in_a_code_column_is_refused_alone(wilayah, periode):
    """TRUE == 1 in Python: converting each distinct value once must not give TRUE the 1's result."""
    rows = individu_rows()
    rows[0][3], rows[1][3] = 1, True  # jenis_kelamin: a real code, then a spreadsheet boolean
    data = xlsx({"Keluarga": [["no_kk", "banjar", "alamat"], *keluarga_rows()],
                 "Individu": [INDIVIDU_HEADER, *rows]})
    r = impor_jalankan(berkas=data, nama_berkas="bool.xlsx", desa=wilayah[DESA], periode=periode, dry_run=True)
    errors = [(f.row, f.rule) for f in r.temuan if f.severity == "error"]
    assert errors == [(3, "tipe")]  # header is row 1: the second person is row 3
