"""Issue #10 item 1 on the import: identity of an existing NIK, identity corrections, family moves,
blank cells that keep stored values, and cells that never crash an import."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.core.models import AuditLog
from presisi.imports.pipeline import impor_jalankan
from presisi.registry.history import riwayat_individu
from presisi.registry.identitas import KOREKSI_IDENTITAS
from presisi.registry.models import Individu, Keluarga, Peristiwa
from tests.imports.helpers import INDIVIDU_HEADER, KK1, KK2, individu_rows, template_file, xlsx
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db
HEAD = "5105011203800001"


def run(wilayah, periode, data: bytes, **kw):
    return impor_jalankan(berkas=data, nama_berkas="desa.xlsx", desa=wilayah[DESA], periode=periode, **kw)


def by_rule(summary, rule: str):
    return [f for f in summary.temuan if f.rule == rule]


def snapshot() -> list[tuple]:
    return list(Individu.objects.order_by("nik").values_list(
        "nik", "nama", "tanggal_lahir", "jenis_kelamin", "keluarga__no_kk", "status_kawin", "pendidikan"))


def with_correction(rows: list[list], first: list[str]) -> bytes:
    """The two families, with the correction columns; ``first`` fills them on the first row."""
    return xlsx({"Keluarga": [["no_kk", "banjar"], [KK1, "001"], [KK2, "001"]],
                 "Individu": [INDIVIDU_HEADER + ["koreksi_identitas", "alasan_koreksi"], rows[0] + first,
                              *[r + ["", ""] for r in rows[1:]]]})


# ------------------------------------------------------------------------- a foreign person's NIK

def test_an_existing_nik_with_another_person_is_an_error_naming_the_registered_person(wilayah, periode):
    assert run(wilayah, periode, template_file()).diterima
    before = snapshot()
    rows = individu_rows()
    rows[0][2], rows[0][5], rows[0][1] = "I Ketut Oka", "1975-01-01", KK2  # other name, birth and KK
    for dry in (True, False):
        r = run(wilayah, periode, template_file(individu=rows), dry_run=dry)
        found = by_rule(r, "nik_orang_lain")
        assert not r.diterima and len(found) == 1 and found[0].severity == "error" and found[0].row == 2
        message = found[0].message
        assert "I Wayan Sudarma" in message and "510501******0001" in message and HEAD not in message
        assert "KK 510501******0001" in message and "Desa" in message and wilayah[DESA].nama in message
        assert "nama" in message and "tanggal lahir" in message
        assert "1 diubah" not in r.pesan and "ditolak" in r.pesan
    assert snapshot() == before


def test_a_plausible_variant_of_the_name_is_the_same_person(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[0][2] = "Wayan Sudarma"  # the I prefix dropped
    rows[1][2] = "NI LUH SUARTINI"  # case, and another birth-order name
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima and not by_rule(r, "nik_orang_lain")
    assert r.unit["individu"]["diubah"] == 2


@pytest.mark.parametrize("field,value", [(5, "1980-03-13"), (3, 2)])
def test_another_birth_date_or_sex_is_another_person(wilayah, periode, field, value):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[0][field] = value
    r = run(wilayah, periode, template_file(individu=rows))
    assert not r.diterima and len(by_rule(r, "nik_orang_lain")) == 1


def test_a_nik_of_a_person_in_another_desa_names_that_person(wilayah, periode):
    from tests.validation.conftest import keluarga, orang

    kel = keluarga(wilayah, banjar=DESA_LAIN + ".001")
    orang(kel, nik=HEAD, nama="I Nyoman Budiasa", lahir="1980-03-12")
    r = run(wilayah, periode, template_file(), dry_run=True)
    found = by_rule(r, "nik_orang_lain")
    assert len(found) == 1 and "I Nyoman Budiasa" in found[0].message and DESA_LAIN in found[0].message
    assert not r.diterima


def test_a_declared_identity_correction_is_a_warning_with_its_own_audit_entry(wilayah, periode):
    run(wilayah, periode, template_file())
    person = Individu.objects.get(nik=HEAD)
    rows = individu_rows()
    rows[0][2], rows[0][5], rows[0][9] = "I Komang Sudarsana", "1980-03-12", 8
    r = run(wilayah, periode, with_correction(rows, ["ya", ""]))
    assert not r.diterima and by_rule(r, "alasan_koreksi_wajib")
    data = with_correction(rows, ["Ya", "salah ketik nama, sesuai KTP-el"])
    dry = run(wilayah, periode, data, dry_run=True)
    warn, detail = by_rule(dry, "koreksi_identitas"), by_rule(dry, "koreksi_identitas_rincian")
    assert dry.diterima and len(warn) == 1 and warn[0].severity == "warning" and warn[0].row == 2
    assert "salah ketik nama" in warn[0].message and "I Wayan Sudarma" in detail[0].message
    r = run(wilayah, periode, data)
    assert r.diterima and r.ditulis
    # the warning is a finding of the desa × period that needs a justification, and stays one
    from presisi.validation.models import Temuan
    from presisi.validation.services import validasi_jalankan

    found = Temuan.objects.get(aturan__kode="koreksi_identitas", objek_id=person.pk)
    assert found.keparahan == "warning" and found.status == Temuan.TERBUKA
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    assert Temuan.objects.filter(aturan__kode="koreksi_identitas", objek_id=person.pk).count() == 1
    person.refresh_from_db()
    assert person.nama == "I Komang Sudarsana" and person.pendidikan == 8
    fix = AuditLog.objects.get(aksi=KOREKSI_IDENTITAS, objek_id=str(person.pk))
    assert fix.sebelum == {"nama": "I Wayan Sudarma"}
    assert fix.sesudah == {"nama": "I Komang Sudarsana", "alasan": "salah ketik nama, sesuai KTP-el"}
    plain = AuditLog.objects.get(aksi="registry.individu.diubah", objek_id=str(person.pk))
    assert plain.sebelum == {"pendidikan": 5} and plain.sesudah == {"pendidikan": 8}
    assert KOREKSI_IDENTITAS in {e.aksi for e in riwayat_individu(person).entri}


# ----------------------------------------------------------------------------------- family moves

def test_a_person_moving_to_another_kk_is_a_pindah_kk_event(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[2][1] = KK2  # the son moves to the other family card
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima and by_rule(r, "pindah_kk")[0].severity == "info"
    son = Individu.objects.get(nik=rows[2][0])
    assert son.keluarga.no_kk == KK2
    event = Peristiwa.objects.get(individu=son)
    assert event.jenis == Peristiwa.PINDAH_KK and event.tanggal == dt.date.today()
    assert event.data == {"dari_no_kk": KK1, "ke_no_kk": KK2}
    history = riwayat_individu(son)
    assert [p.jenis for p in history.peristiwa] == [Peristiwa.PINDAH_KK]
    kk1, kk2 = Keluarga.objects.get(no_kk=KK1), Keluarga.objects.get(no_kk=KK2)
    assert AuditLog.objects.filter(aksi="registry.keluarga.anggota_keluar", objek_id=str(kk1.pk)).exists()
    assert AuditLog.objects.filter(aksi="registry.keluarga.anggota_masuk", objek_id=str(kk2.pk)).exists()


def test_a_head_leaving_a_kk_with_members_is_refused(wilayah, periode):
    run(wilayah, periode, template_file())
    before = snapshot()
    rows = individu_rows()
    rows[0][1], rows[0][8] = KK2, 5  # the head of KK1 moves to KK2 as a relative: KK1 is left headless
    r = run(wilayah, periode, template_file(individu=rows))
    heads = [f for f in by_rule(r, "kepala_keluarga_tunggal") if f.row == 2]
    assert not r.diterima and heads and "KK asal" in heads[0].message
    assert snapshot() == before and not Peristiwa.objects.exists()


# ------------------------------------------------------------------------- blank never erases

def test_a_blank_cell_keeps_the_stored_value_and_the_marker_clears_it(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[0][7] = ""  # status_kawin blank: erased the stored value before issue #10
    rows[0][9] = None  # pendidikan blank
    rows[1][13] = ""  # golongan_darah (an attribute) blank
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima and r.unit["individu"]["tetap"] == 4 and r.jumlah_dikosongkan == 0
    head = Individu.objects.get(nik=HEAD)
    assert (head.status_kawin, head.pendidikan, head.atribut) == (2, 5, {"golongan_darah": 1})
    rows[0][7], rows[0][13] = "-", " - "
    dry = run(wilayah, periode, template_file(individu=rows), dry_run=True)
    assert dry.diterima and dry.jumlah_dikosongkan == 2 and "2 nilai tersimpan dikosongkan" in dry.pesan
    assert {(d["baris"], d["kolom"], d["nilai_lama"]) for d in dry.dikosongkan} == {
        (2, "Individu!status_kawin", 2), (2, "Individu!golongan_darah", 1)}
    run(wilayah, periode, template_file(individu=rows))
    head.refresh_from_db()
    assert (head.status_kawin, head.atribut) == (None, {})


def test_the_marker_on_a_required_column_is_refused(wilayah, periode):
    run(wilayah, periode, template_file())
    rows = individu_rows()
    rows[0][2] = "-"
    r = run(wilayah, periode, template_file(individu=rows))
    assert not r.diterima and [f for f in r.temuan if f.rule == "wajib" and f.row == 2]


# --------------------------------------------------------------------------- no crash on any cell

def test_digits_of_other_scripts_and_invisible_characters_are_read_as_ascii(wilayah, periode):
    arabic = HEAD.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    fullwidth = individu_rows()[1][0].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = individu_rows()
    rows[0][0] = arabic
    rows[1][0] = "\u200b" + fullwidth + "\u00a0"
    rows[2][5] = "20/05/2008"
    rows[3][5] = 21916  # an Excel serial: 1960-01-01
    r = run(wilayah, periode, template_file(individu=rows))
    assert r.diterima, [str(f) for f in r.temuan]
    assert set(Individu.objects.values_list("nik", flat=True)) == {x[0] for x in individu_rows()}
    assert Individu.objects.get(nik=individu_rows()[3][0]).tanggal_lahir == dt.date(1960, 1, 1)


def test_an_arabic_indic_nik_that_is_wrong_is_a_finding_not_a_crash(wilayah, periode):
    rows = individu_rows()
    rows[0][0] = "٥١٠٥٠١١٢٠٣٨٠٠٠"  # 15 digits
    r = run(wilayah, periode, template_file(individu=rows))
    assert not r.diterima and [f for f in r.temuan if f.rule in ("pola", "nik_format") and f.row == 2]


def test_a_nik_in_scientific_notation_lost_its_digits(wilayah, periode):
    rows = individu_rows()
    rows[0][0] = "5.10501E+15"
    r = run(wilayah, periode, template_file(individu=rows))
    found = [f for f in r.temuan if f.rule == "angka_excel"]
    assert not r.diterima and found and "angka ilmiah" in found[0].message


@pytest.mark.parametrize("nik", ["5109011203800001", "5172011203800001", "5100011203800001"])
def test_a_nik_whose_kabupaten_does_not_exist_is_an_error(wilayah, periode, nik):
    rows = individu_rows()
    rows[0][0] = nik
    r = run(wilayah, periode, template_file(individu=rows))
    found = [f for f in r.temuan if f.rule == "nik_wilayah"]
    assert not r.diterima and found and found[0].severity == "error"
    assert not [f for f in r.temuan if f.rule == "nik_kecamatan" and f.row == 2]


def test_a_nik_starting_00_is_an_error_and_only_the_opensid_layout_is_temporary(wilayah, periode):
    rows = individu_rows()
    rows[0][0] = "0010011203800001"
    rows[1][0] = "0510501200100007"  # 0 + kode desa 5105012001 + serial 00007
    r = run(wilayah, periode, template_file(individu=rows))
    assert [f for f in r.temuan if f.rule == "nik_sementara_tidak_sah" and f.row == 2 and f.severity == "error"]
    assert [f for f in r.temuan if f.rule == "nik_sementara" and f.row == 3 and f.severity == "warning"]
    assert not r.diterima


def test_an_unexpected_error_in_a_row_is_a_row_finding_and_nothing_is_written(wilayah, periode, monkeypatch):
    import presisi.imports.plan as plan

    real = plan.target_row

    def flaky(unit, tabel, i, current, layout=None):
        if unit == "individu" and i == 1:
            raise KeyError("kaboom")
        return real(unit, tabel, i, current, layout)

    monkeypatch.setattr(plan, "target_row", flaky)
    r = run(wilayah, periode, template_file())
    found = by_rule(r, "galat_baris")
    assert not r.diterima and len(found) == 1 and found[0].row == 3 and "KeyError" in found[0].message
    assert Individu.objects.count() == 0 and Keluarga.objects.count() == 0
