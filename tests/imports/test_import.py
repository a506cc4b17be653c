"""The importer: created, unchanged on re-send, updated not duplicated, all-or-nothing, refusals."""

from __future__ import annotations

import codecs

import pytest

from presisi.core.models import AuditLog
from presisi.imports.models import Impor
from presisi.imports.pipeline import impor_jalankan
from presisi.imports.services import impor_buat, impor_proses
from presisi.registry.history import perubahan_terbaru, riwayat_individu
from presisi.registry.models import Individu, Keluarga
from presisi.validation.models import Temuan
from tests.imports.helpers import (
    INDIVIDU_HEADER,
    KK1,
    csv_bytes,
    individu_rows,
    keluarga_rows,
    template_file,
    xlsx,
)
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db


def run(wilayah, periode, data: bytes, name: str = "desa.xlsx", **kw):
    return impor_jalankan(berkas=data, nama_berkas=name, desa=wilayah[DESA], periode=periode, **kw)


def rules(summary) -> set[str]:
    return {f.rule for f in summary.temuan}


def test_a_valid_file_creates_families_and_people_with_audit_rows(wilayah, periode):
    r = run(wilayah, periode, template_file())
    assert r.diterima and r.ditulis and r.format == "template"
    assert r.unit["keluarga"]["dibuat"] == 2 and r.unit["individu"]["dibuat"] == 4
    head = Individu.objects.get(nik="5105011203800001")
    assert head.keluarga.no_kk == KK1 and head.banjar.kode == DESA + ".001" and head.desa.kode == DESA
    assert head.jenis_kelamin == 1 and head.atribut == {"golongan_darah": 1}
    # One shared creation row per unit lists the ids; the person's history shows it as their own.
    audit = AuditLog.objects.get(aksi="registry.individu.dibuat", objek_id="")
    assert audit.sesudah["jumlah"] == 4 and head.pk in audit.sesudah["ids"] and audit.sesudah["desa"] == DESA
    assert "impor desa.xlsx" in audit.keterangan and audit.keterangan.split("sha256:")[1] == r.sha256[:12]
    entries = riwayat_individu(head).entri
    assert [(e.aksi, e.objek_id) for e in entries] == [("registry.individu.dibuat", str(head.pk))]
    assert "impor desa.xlsx" in entries[0].keterangan
    other = Individu.objects.exclude(pk=head.pk).first()
    assert [e.objek_id for e in riwayat_individu(other).entri] == [str(other.pk)]
    recent = perubahan_terbaru(desa=wilayah[DESA])
    assert {e.subjek for e in recent if e.aksi == "registry.individu.dibuat"} == {"4 individu"}
    assert r.validasi is not None and r.validasi["jumlah_individu"] == 4


def test_the_same_file_again_changes_nothing_and_writes_no_audit_rows(wilayah, periode):
    run(wilayah, periode, template_file())
    audits = AuditLog.objects.count()
    again = run(wilayah, periode, template_file())
    assert again.diterima and not again.ditulis
    assert again.unit["individu"] == {"dibuat": 0, "diubah": 0, "tetap": 4, "ditolak": 0, "dilewati": 0}
    assert again.unit["keluarga"]["tetap"] == 2
    assert AuditLog.objects.count() == audits


def test_a_changed_row_updates_the_record_with_before_and_after(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[0][2] = "I Wayan Sudarma Putra"
    rows[0][9] = 8
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.unit["individu"]["diubah"] == 1 and r.unit["individu"]["tetap"] == 3
    assert Individu.objects.filter(nik=rows[0][0]).count() == 1 and Individu.objects.count() == 4
    head = Individu.objects.get(nik=rows[0][0])
    assert (head.nama, head.pendidikan) == ("I Wayan Sudarma Putra", 8)
    audit = AuditLog.objects.get(aksi="registry.individu.diubah", objek_id=str(head.pk))
    assert audit.sebelum == {"nama": "I Wayan Sudarma", "pendidikan": 5}
    assert audit.sesudah == {"nama": "I Wayan Sudarma Putra", "pendidikan": 8}


def test_dry_run_writes_nothing(wilayah, periode):
    audits = AuditLog.objects.count()
    r = run(wilayah, periode, template_file(), dry_run=True)
    assert r.diterima and not r.ditulis and r.unit["individu"]["dibuat"] == 4
    assert "Uji coba lolos" in r.pesan
    assert Individu.objects.count() == 0 and Keluarga.objects.count() == 0
    assert AuditLog.objects.count() == audits and Temuan.objects.count() == 0


def test_wrong_and_missing_columns_are_refused(wilayah, periode):
    header = [c for c in INDIVIDU_HEADER if c != "tanggal_lahir"] + ["warna_favorit"]
    rows = [r[:5] + r[6:] + ["biru"] for r in individu_rows()]
    r = run(wilayah, periode, template_file(individu=rows).replace(b"", b"") if False else xlsx({
        "Keluarga": [["no_kk", "banjar"], *[k[:2] for k in keluarga_rows()]], "Individu": [header, *rows]}))
    assert not r.diterima and Individu.objects.count() == 0
    found = {(f.rule, f.column) for f in r.temuan}
    assert ("kolom_tidak_dikenal", "Individu!warna_favorit") in found
    assert ("kolom_wajib_tidak_ada", "tanggal_lahir") in found


def test_a_csv_that_is_not_utf8_is_refused_with_a_clear_message(wilayah, periode):
    rows = individu_rows()
    rows[0][2] = "I Wayan Sudarmá"
    data = csv_bytes(INDIVIDU_HEADER, rows, encoding="cp1252")
    r = run(wilayah, periode, data, "penduduk.csv")
    assert not r.diterima and r.temuan[0].rule == "encoding" and r.temuan[0].row == 2
    assert "CSV UTF-8" in r.temuan[0].message


def test_utf8_with_bom_and_semicolons_are_accepted(wilayah, periode):
    run(wilayah, periode, template_file(individu=[]))  # families first
    data = codecs.BOM_UTF8 + csv_bytes(INDIVIDU_HEADER, individu_rows(), delimiter=";")
    r = run(wilayah, periode, data, "penduduk.csv")
    assert r.diterima, [str(f) for f in r.temuan]
    assert r.unit == {"individu": {"dibuat": 4, "diubah": 0, "tetap": 0, "ditolak": 0, "dilewati": 0}}


@pytest.mark.parametrize("data", [b"", b"   \n", b"nik,nama\n"])
def test_empty_files_are_refused(wilayah, periode, data):
    r = run(wilayah, periode, data, "kosong.csv")
    assert not r.diterima and r.temuan[0].rule == "berkas_kosong"


def test_files_over_the_row_or_size_cap_are_refused(wilayah, periode, settings):
    settings.PRESISI_IMPOR_MAKS_BARIS = 3
    r = run(wilayah, periode, csv_bytes(INDIVIDU_HEADER, individu_rows()), "besar.csv")
    assert not r.diterima and r.temuan[0].rule == "baris_terlalu_banyak"
    r = run(wilayah, periode, template_file())
    assert not r.diterima and r.temuan[0].rule == "baris_terlalu_banyak"
    settings.PRESISI_IMPOR_MAKS_BARIS = 1000
    settings.PRESISI_IMPOR_MAKS_BYTE = 100
    r = run(wilayah, periode, template_file())
    assert not r.diterima and r.temuan[0].rule == "berkas_terlalu_besar"


def test_formulas_are_findings_not_crashes(wilayah, periode):
    rows = individu_rows()
    rows[1][2] = "=HYPERLINK(\"http://x\",\"klik\")"
    r = run(wilayah, periode, csv_bytes(INDIVIDU_HEADER, rows), "rumus.csv")
    assert not r.diterima
    assert [(f.rule, f.row, f.column) for f in r.temuan if f.rule == "rumus"] == [("rumus", 3, "nama")]
    xrows = individu_rows()
    xrows[2][6] = "=1+3"
    r = run(wilayah, periode, template_file(individu=xrows))
    assert [(f.rule, f.row, f.column) for f in r.temuan if f.rule == "rumus"] == [("rumus", 4, "Individu!agama")]
    assert Individu.objects.count() == 0


def test_the_same_nik_twice_in_a_file_names_both_rows(wilayah, periode):
    rows = individu_rows()
    rows[3][0] = rows[1][0]
    r = run(wilayah, periode, template_file(individu=rows))
    dup = [f for f in r.temuan if f.rule == "nik_ganda"]
    assert len(dup) == 1 and dup[0].row == 5 and "baris 3" in dup[0].message and dup[0].severity == "error"
    assert r.unit["individu"]["ditolak"] == 1 and Individu.objects.count() == 0


def test_a_nik_registered_in_another_desa_is_refused(wilayah, periode):
    from tests.validation.conftest import keluarga, orang

    kel = keluarga(wilayah, banjar=DESA_LAIN + ".001")
    orang(kel, nik="5105011203800001")
    r = run(wilayah, periode, template_file())
    dup = [f for f in r.temuan if f.rule == "nik_ganda"]
    assert len(dup) == 1 and DESA_LAIN in dup[0].message and not r.diterima


def test_a_crash_in_the_middle_leaves_the_database_unchanged(wilayah, periode, monkeypatch):
    import presisi.registry.services.bulk as write

    def boom(rows):
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(write, "tulis_audit", boom)
    before = (Individu.objects.count(), Keluarga.objects.count(), AuditLog.objects.count())
    impor = impor_buat(berkas=template_file(), nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode,
                       antrekan=False)
    with pytest.raises(RuntimeError):
        impor_proses(impor_id=impor.pk)
    assert (Individu.objects.count(), Keluarga.objects.count()) == before[:2]
    assert AuditLog.objects.exclude(aksi="imports.impor.dibuat").count() == before[2]
    impor.refresh_from_db()
    assert impor.status == Impor.GAGAL and "tidak ada data yang diubah" in impor.pesan_progres and impor.isi is None


def test_people_missing_from_the_file_are_reported_not_deleted(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()[:3]
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima and r.jumlah_tidak_ada_di_berkas == 1
    # the job keeps only the record id and a masked NIK (names and full numbers are read at display time)
    assert r.tidak_ada_di_berkas[0]["nik"] == "510501******0004"
    assert set(r.tidak_ada_di_berkas[0]) == {"id", "nik"}
    assert Individu.objects.count() == 4


def test_row_errors_refuse_the_file_and_name_row_column_value(wilayah, periode):
    rows = individu_rows()
    rows[0][6] = 12  # agama
    rows[1][5] = "31-02-1983"  # not a date
    rows[2][1] = "5105010303159999"  # unknown family
    r = run(wilayah, periode, template_file(individu=rows))
    got = {(f.rule, f.row, f.column, f.value) for f in r.temuan if f.severity == "error"}
    assert ("klasifikasi", 2, "Individu!agama", 12) in got
    assert ("tipe", 3, "Individu!tanggal_lahir", "31-02-1983") in got
    assert ("no_kk_tidak_dikenal", 4, "Individu!no_kk", "5105010303159999") in got
    assert r.unit["individu"]["ditolak"] == 3 and "Impor ditolak" in r.pesan


def test_two_heads_in_one_family_are_refused(wilayah, periode):
    rows = individu_rows()
    rows[1][8] = 1  # the wife also head
    r = run(wilayah, periode, template_file(individu=rows))
    heads = [f for f in r.temuan if f.rule == "kepala_keluarga_tunggal"]
    assert {f.row for f in heads} == {2, 3} and "2 kepala keluarga" in heads[0].message


def test_warnings_do_not_block_and_are_recorded_as_findings(wilayah, periode):
    rows = individu_rows()
    rows[2][7] = 2  # the 18-year-old is married: fine; make a 12-year-old married instead
    rows.append(["5105012005140005", KK1, "I Kadek Bagus", 1, "Klungkung", "2014-05-20", 4, 2, 4, 2, 3,
                 "I Wayan Sudarma", "Ni Made Suartini", ""])
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima and r.jumlah_warning == 1
    warning = next(f for f in r.temuan if f.severity == "warning")
    assert (warning.rule, warning.row, warning.column) == ("umur_kawin", 6, "Individu!status_kawin")
    stored = Temuan.objects.get(aturan__kode="umur_kawin")
    assert stored.baris == 6 and stored.objek_id == Individu.objects.get(nik="5105012005140005").pk


def test_numbers_typed_as_excel_numbers_lose_the_16th_digit_and_are_refused(wilayah, periode):
    rows = individu_rows()
    rows[0][0] = 5105011203800010.0  # Excel keeps 15 significant digits
    r = run(wilayah, periode, template_file(individu=rows))
    assert [(f.rule, f.row) for f in r.temuan if f.rule == "angka_excel"] == [("angka_excel", 2)]


def test_codes_are_read_from_drop_down_text_labels_and_aliases(wilayah, periode):
    rows = individu_rows()
    rows[0][3], rows[0][7], rows[0][6] = "Laki-laki", "K", "4 - Hindu"
    rows[3][5] = "01-01-1960"
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima, [str(f) for f in r.temuan]
    head = Individu.objects.get(nik=rows[0][0])
    assert (head.jenis_kelamin, head.status_kawin, head.agama) == (1, 2, 4)


def test_household_and_building_sheets_and_their_rules(wilayah, periode):
    bangunan = [["kode_bangunan", "banjar", "lat", "lng", "jumlah_lantai_bangunan"],
                ["B-001", "001", -8.54, 115.40, 1], ["B-002", "001", 100, 115.40, 2], ["B-001", "001", -8.5, 115.4, 1]]
    rumah = [["kode_rumah_tangga", "banjar", "kode_bangunan", "jenis_lantai"],
             ["RT-001", "001", "B-001", 2], ["RT-001", "001", "B-009", 2]]
    keluarga = [["no_kk", "banjar"], [KK1, "001"], [KK1, "001"]]
    r = run(wilayah, periode, xlsx({"Bangunan": bangunan, "Rumah Tangga": rumah, "Keluarga": keluarga}))
    got = {(f.rule, f.row) for f in r.temuan if f.severity == "error"}
    assert {("kode_ganda_bangunan", 4), ("koordinat", 3), ("kode_ganda_rumah_tangga", 3),
            ("kode_bangunan_tidak_dikenal", 3), ("kk_ganda", 3)} <= got
    assert not r.diterima


def test_required_and_range_rules_on_file_rows(wilayah, periode):
    header = [*INDIVIDU_HEADER, "lama_sekolah"]
    rows = [[*row, ""] for row in individu_rows()]
    rows[0][2] = ""  # nama
    rows[1][-1] = 40  # lama_sekolah: 0–22
    r = run(wilayah, periode, xlsx({"Keluarga": [["no_kk", "banjar"], *[k[:2] for k in keluarga_rows()]],
                                    "Individu": [header, *rows]}))
    got = {(f.rule, f.row, f.column) for f in r.temuan}
    assert ("wajib", 2, "Individu!nama") in got and ("rentang", 3, "Individu!lama_sekolah") in got


def test_a_valid_household_and_building_file_links_people(wilayah, periode):
    r = run(wilayah, periode, xlsx({
        "Bangunan": [["kode_bangunan", "banjar", "lat", "lng"], ["B-001", "001", -8.54, 115.40]],
        "Rumah Tangga": [["kode_rumah_tangga", "banjar", "kode_bangunan"], ["RT-001", "001", "B-001"]],
        "Keluarga": [["no_kk", "banjar"], *[k[:2] for k in keluarga_rows()]],
        "Individu": [[*INDIVIDU_HEADER, "kode_rumah_tangga", "hubungan_rumah_tangga"],
                     *[[*row, "RT-001", 1 if i == 0 else 2] for i, row in enumerate(individu_rows())]],
    }))
    assert r.diterima, [str(f) for f in r.temuan]
    head = Individu.objects.get(nik="5105011203800001")
    assert head.rumah_tangga.kode == "RT-001" and head.rumah_tangga.bangunan.kode == "B-001"


@pytest.mark.parametrize(("tingkat", "pesan"), [("final", "terkunci"), ("diperiksa", "sedang diperiksa")])
def test_import_into_a_submitted_or_approved_desa_is_refused_until_returned(wilayah, periode, tingkat, pesan):
    from presisi.core.exceptions import ValidationFailed
    from presisi.periods.locking import kunci_catat
    from presisi.regions.models import Wilayah

    desa = Wilayah.objects.get(kode=DESA)
    kunci_catat(periode=periode, desa=desa, tingkat=tingkat, status="diajukan")
    with pytest.raises(ValidationFailed, match=pesan):
        impor_buat(berkas=template_file(), nama_berkas="desa.xlsx", desa=desa, periode=periode, antrekan=False)
    assert Individu.objects.count() == 0
    kunci_catat(periode=periode, desa=desa, tingkat="terbuka", status="dikembalikan")
    impor_buat(berkas=template_file(), nama_berkas="desa.xlsx", desa=desa, periode=periode, antrekan=False)
