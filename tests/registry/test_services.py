"""Registry writes: dictionary validation, identifier rules, one head per KK, events, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import HIDUP, MATI, Individu, Keluarga, Peristiwa
from presisi.registry.services import (
    bangunan_create,
    individu_create,
    individu_update,
    kelahiran_catat,
    keluarga_create,
    peristiwa_catat,
    rumah_tangga_create,
)

pytestmark = pytest.mark.django_db
BANJAR = "51.05.01.2001.001"


@pytest.fixture
def banjar(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + f"{BANJAR},Banjar Dinas Kaja,banjar,51.05.01.2001\n")
    return BANJAR


@pytest.fixture
def keluarga(banjar):
    return keluarga_create(no_kk="5105010203150001", banjar_kode=banjar, alamat="Jl. Pura Dalem 1")


def kepala(**overrides):
    data = {"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1,
            "tanggal_lahir": "1980-03-12", "hubungan_keluarga": 1, "agama": 4, "status_kawin": 2,
            "pendidikan": 5, "pekerjaan": 9, "jaminan_kesehatan": 2}
    return {**data, **overrides}


def test_a_family_and_its_head_are_stored_with_core_columns_and_attributes(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    assert person.desa.kode == "51.05.01.2001"
    assert person.banjar.kode == BANJAR
    assert person.tanggal_lahir == dt.date(1980, 3, 12)
    assert person.atribut == {"jaminan_kesehatan": 2}
    assert not person.nik_sementara
    assert AuditLog.objects.filter(aksi="registry.individu.dibuat", objek_id=str(person.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "rule", "column"),
    [
        ({"nik": "51050112038000"}, "pola", "nik"),
        ({"nik": "5105013203800001"}, "nik_tanggal", "nik"),
        ({"nik": "5105011203800000"}, "nik_nomor_urut", "nik"),
        ({"agama": 8}, "klasifikasi", "agama"),
        ({"jaminan_kesehatan": "banyak"}, "tipe", "jaminan_kesehatan"),
        ({"warna_favorit": 3}, "variabel_tidak_dikenal", "warna_favorit"),
        ({"tanggal_lahir": "12-03-1980"}, "tipe", "tanggal_lahir"),
    ],
)
def test_invalid_values_are_refused_naming_column_value_and_rule(keluarga, overrides, rule, column):
    with pytest.raises(ValidationFailed) as err:
        individu_create(keluarga=keluarga, data=kepala(**overrides))
    assert any(f.rule == rule and f.column == column for f in err.value.findings), err.value.findings
    assert Individu.objects.count() == 0


def test_nik_is_unique_across_the_regency(keluarga, banjar):
    individu_create(keluarga=keluarga, data=kepala())
    other = keluarga_create(no_kk="5105010203150002", banjar_kode=banjar)
    with pytest.raises(ValidationFailed) as err:
        individu_create(keluarga=other, data=kepala(nama="Wayan Sudarma", hubungan_keluarga=1))
    assert err.value.findings[0].rule == "nik_ganda" and "I Wayan Sudarma" in err.value.findings[0].message


def test_a_foreign_nik_names_the_registered_person_on_create_and_on_edit(keluarga, banjar):
    individu_create(keluarga=keluarga, data=kepala())
    other = keluarga_create(no_kk="5105010203150002", banjar_kode=banjar)
    with pytest.raises(ValidationFailed) as err:
        individu_create(keluarga=other, data=kepala(nama="Orang Lain", koreksi_identitas="ya",
                                                    alasan_koreksi="coba"))
    found = next(f for f in err.value.findings if f.rule == "nik_orang_lain")
    assert "I Wayan Sudarma" in found.message and "510501******0001" in found.message
    assert "KK 510501******0001" in found.message and "(51.05.01.2001)" in found.message
    assert "5105011203800001" not in found.message and found.severity == "error"
    wife = individu_create(keluarga=other, data=kepala(nik="5105015506820001", nama="Ni Made Sari",
                                                       jenis_kelamin=2, tanggal_lahir="1982-06-15"))
    with pytest.raises(ValidationFailed) as err:
        individu_update(individu=wife, data={"nik": "5105011203800001"})
    assert [f.rule for f in err.value.findings if f.rule == "nik_orang_lain"] == ["nik_orang_lain"]
    assert Individu.objects.get(pk=wife.pk).nik == "5105015506820001"


def test_changing_who_a_person_is_needs_a_declared_correction_with_a_reason(keluarga):
    from presisi.registry.identitas import KOREKSI_IDENTITAS

    person = individu_create(keluarga=keluarga, data=kepala())
    individu_update(individu=person, data={"nama": "I Gede Sudarma"})  # a plausible variant: a plain edit
    for data, rule in (({"nama": "I Ketut Oka"}, "koreksi_identitas_wajib"),
                       ({"tanggal_lahir": "1981-03-12"}, "koreksi_identitas_wajib"),
                       ({"nama": "I Ketut Oka", "koreksi_identitas": True}, "alasan_koreksi_wajib")):
        with pytest.raises(ValidationFailed) as err:
            individu_update(individu=person, data=data)
        assert rule in {f.rule for f in err.value.findings}
    individu_update(individu=person, data={"nama": "I Ketut Oka", "pekerjaan": 11, "koreksi_identitas": "ya",
                                           "alasan_koreksi": "salah ketik, sesuai KTP-el"})
    person.refresh_from_db()
    assert (person.nama, person.pekerjaan) == ("I Ketut Oka", 11)
    fix = AuditLog.objects.get(aksi=KOREKSI_IDENTITAS)
    assert fix.sebelum == {"nama": "I Gede Sudarma"}
    assert fix.sesudah == {"nama": "I Ketut Oka", "alasan": "salah ketik, sesuai KTP-el"}
    plain = AuditLog.objects.filter(aksi="registry.individu.diubah").latest("id")
    assert plain.sebelum["pekerjaan"] == 9 and "nama" not in plain.sebelum


def test_only_one_living_head_per_family(keluarga):
    individu_create(keluarga=keluarga, data=kepala())
    with pytest.raises(ValidationFailed) as err:
        individu_create(keluarga=keluarga, data=kepala(nik="5105015506820001", nama="Ni Made Sari",
                                                        jenis_kelamin=2, tanggal_lahir="1982-06-15"))
    assert err.value.findings[0].rule == "satu_kepala_keluarga"


def test_nik_sex_mismatch_is_a_warning_not_a_refusal(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala(jenis_kelamin=2))
    assert person.pk is not None


def test_temporary_nik_is_accepted_and_flagged(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala(nik="0510501200100001"))
    assert person.nik_sementara


def test_duplicate_or_invalid_kk_is_refused(keluarga, banjar):
    with pytest.raises(ValidationFailed) as err:
        keluarga_create(no_kk="5105010203150001", banjar_kode=banjar)
    assert err.value.findings[0].rule == "kk_ganda"
    with pytest.raises(ValidationFailed) as err:
        keluarga_create(no_kk="9905010203150001", banjar_kode=banjar)
    assert err.value.findings[0].rule == "kk_wilayah"
    assert Keluarga.objects.count() == 1


def test_update_changes_only_given_fields_and_logs_before_and_after(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    individu_update(individu=person, data={"pekerjaan": 11, "merokok": 1})
    person.refresh_from_db()
    assert person.pekerjaan == 11
    assert person.atribut == {"jaminan_kesehatan": 2, "merokok": 1}
    log = AuditLog.objects.get(aksi="registry.individu.diubah")
    assert log.sebelum["pekerjaan"] == 9 and log.sesudah["pekerjaan"] == 11
    individu_update(individu=person, data={"merokok": None})
    person.refresh_from_db()
    assert "merokok" not in person.atribut


def test_death_keeps_the_record_and_its_history(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    peristiwa_catat(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date(2026, 1, 5))
    person.refresh_from_db()
    assert person.status_dasar == MATI
    assert Individu.objects.filter(pk=person.pk).exists()
    with pytest.raises(ValidationFailed):
        peristiwa_catat(individu=person, jenis=Peristiwa.PINDAH_KELUAR, tanggal=dt.date(2026, 2, 1))
    # a new head can now be recorded: the constraint counts living heads only
    individu_create(keluarga=keluarga, data=kepala(nik="5105015506820001", nama="Ni Made Sari", jenis_kelamin=2,
                                                    tanggal_lahir="1982-06-15"))
    assert list(person.peristiwa.values_list("jenis", flat=True)) == [Peristiwa.MATI]


def test_events_cannot_be_dated_before_birth_or_in_the_future(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    with pytest.raises(ValidationFailed):
        peristiwa_catat(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date(1970, 1, 1))
    with pytest.raises(ValidationFailed):
        peristiwa_catat(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date.today() + dt.timedelta(days=1))
    person.refresh_from_db()
    assert person.status_dasar == HIDUP


def test_refusals_are_in_the_requesting_users_language(keluarga):
    from django.utils import translation

    person = individu_create(keluarga=keluarga, data=kepala())
    with translation.override("en"):
        with pytest.raises(ValidationFailed, match="^The event date is before the date of birth"):
            peristiwa_catat(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date(1970, 1, 1))
        with pytest.raises(ValidationFailed, match=r"^The person data was refused: \d+ errors"):
            individu_create(keluarga=keluarga, data=kepala(agama=8, nik="5105011203800002"))


def test_birth_creates_the_child_and_a_birth_event(keluarga):
    child = kelahiran_catat(keluarga=keluarga, data=kepala(nik="5105014501250001", nama="Ni Putu Ayu",
                                                           jenis_kelamin=2, tanggal_lahir="2025-01-05",
                                                           hubungan_keluarga=4, status_kawin=1))
    event = child.peristiwa.get()
    assert (event.jenis, event.tanggal) == (Peristiwa.LAHIR, dt.date(2025, 1, 5))


def test_household_and_building_attributes_are_validated(banjar):
    b = bangunan_create(kode="B-1", banjar_kode=banjar, lat=-8.71, lng=115.48, atribut={"penggunaan_bangunan": 1})
    rt = rumah_tangga_create(kode="RT-1", banjar_kode=banjar, bangunan=b, atribut={"sumber_air_minum": 3})
    assert rt.bangunan == b
    with pytest.raises(ValidationFailed) as err:
        rumah_tangga_create(kode="RT-2", banjar_kode=banjar, atribut={"sumber_air_minum": 42})
    assert err.value.findings[0].rule == "klasifikasi"
    with pytest.raises(ValidationFailed):
        bangunan_create(kode="B-2", banjar_kode=banjar, lat=-98.0, lng=115.0)
    with pytest.raises(ValidationFailed):
        bangunan_create(kode="B-3", banjar_kode="51.05.01.2001.999")


@pytest.mark.parametrize(("tingkat", "status", "pesan"), [
    ("final", "disetujui", "terkunci"),
    ("diperiksa", "diajukan", "sudah diajukan dan sedang diperiksa"),
    ("diperiksa", "diverifikasi", "mengembalikan pengajuan untuk perbaikan"),
])
def test_writes_to_a_locked_desa_are_refused(keluarga, tingkat, status, pesan):
    import datetime as dt

    from presisi.periods.locking import kunci_catat
    from presisi.periods.models import Periode

    person = individu_create(keluarga=keluarga, data=kepala())
    periode = Periode.objects.create(kode="2026-S2", tanggal_mulai=dt.date(2026, 7, 1),
                                     tanggal_referensi=dt.date(2026, 12, 31))
    kunci_catat(periode=periode, desa=keluarga.desa, tingkat=tingkat, status=status, keterangan=status)
    with pytest.raises(ValidationFailed, match=pesan):
        individu_update(individu=person, data={"pekerjaan": 11})
    with pytest.raises(ValidationFailed):
        peristiwa_catat(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date(2026, 1, 5))
    with pytest.raises(ValidationFailed):
        keluarga_create(no_kk="5105010203150002", banjar_kode=BANJAR)
    person.refresh_from_db()
    assert person.pekerjaan == 9 and person.status_dasar == HIDUP
    # returned for correction: writable again
    kunci_catat(periode=periode, desa=keluarga.desa, tingkat="terbuka", status="dikembalikan")
    individu_update(individu=person, data={"pekerjaan": 11})
    person.refresh_from_db()
    assert person.pekerjaan == 11


def test_optional_core_fields_can_be_cleared_and_overlong_text_is_refused(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    individu_update(individu=person, data={"pendidikan": None})
    person.refresh_from_db()
    assert person.pendidikan is None
    with pytest.raises(ValidationFailed) as err:
        individu_update(individu=person, data={"nama": "x" * 151})
    assert err.value.findings[0].rule == "panjang"


def test_arrival_is_refused_for_someone_still_living_here(keluarga):
    person = individu_create(keluarga=keluarga, data=kepala())
    with pytest.raises(ValidationFailed):
        peristiwa_catat(individu=person, jenis=Peristiwa.PINDAH_MASUK, tanggal=dt.date(2026, 1, 5))


def test_nik_day_part_must_be_a_birth_day_or_a_birth_day_plus_40():
    from presisi.registry.identifiers import nik_findings

    assert nik_findings("5105017501900001")[0].rule == "nik_tanggal"  # 75 = 35 + 40: no such day
    assert nik_findings("5105014101900001") == []


@pytest.mark.parametrize(("nik", "rule", "severity"), [
    ("5109011203800001", "nik_wilayah", "error"),  # no kabupaten 51.09 in Bali
    ("5172011203800001", "nik_wilayah", "error"),
    ("5100011203800001", "nik_wilayah", "error"),
    ("5105991203800001", "nik_kecamatan", "warning"),  # known kabupaten, unknown kecamatan
    ("0010011203800001", "nik_sementara_tidak_sah", "error"),  # 0 + no desa code
    ("0510501200100007", "nik_sementara", "warning"),  # 0 + 5105012001 + serial
    ("٥١٠٥٠١١٢٠٣٨٠٠٠٠١", "nik_format", "error"),  # not ASCII: normalised by the importer, refused here
])
def test_nik_region_and_temporary_layout_rules(nik, rule, severity):
    from presisi.registry.identifiers import nik_findings

    found = nik_findings(nik, kecamatan_dikenal={"510501"})
    assert (found[0].rule, found[0].severity) == (rule, severity), found


def test_a_nik_from_another_province_is_checked_against_the_national_table():
    from presisi.registry.identifiers import kk_findings, nik_findings

    assert not [f for f in nik_findings("3201011203800001") if f.severity == "error"]  # Bogor
    assert [f.rule for f in kk_findings("5109010203150001")] == ["kk_wilayah"]
    assert [f.rule for f in kk_findings("0010010203150001")] == ["kk_sementara_tidak_sah"]
