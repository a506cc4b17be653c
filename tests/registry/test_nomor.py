"""Temporary numbers and a new member's household (issue #13 item 7): a newborn without NIK gets the
desa's next temporary number; the real NIK replaces it later, merging into a record that already holds
it; a new family card without No. KK gets a temporary one; a new member joins the family's household."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from presisi.accounts.models import OPERATOR_DESA
from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.regions.services import wilayah_load_csv
from presisi.registry.history import riwayat_individu, riwayat_rumah_tangga
from presisi.registry.identifiers import temporary_number
from presisi.registry.models import HIDUP, TIDAK_VALID, Individu, Peristiwa
from presisi.registry.services import (
    anggota_rumah_tangga_set,
    individu_create,
    kedatangan_catat,
    kelahiran_catat,
    keluarga_create,
    nik_sementara_ganti,
    rumah_tangga_create,
)
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
DESA = "51.05.01.2001"
BANJAR = DESA + ".001"
BAYI_NIK = "5105014102260001"  # a girl born 2026-02-01, kecamatan 51.05.01


@pytest.fixture
def keluarga(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n")
    kel = keluarga_create(no_kk="5105010203150001", banjar_kode=BANJAR, alamat="Jl. Pura Dalem 1")
    individu_create(keluarga=kel, data={"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1,
                                        "tanggal_lahir": "1980-03-12", "hubungan_keluarga": 1})
    return kel


def bayi(**overrides):
    return {"nama": "Ni Luh Bayi", "jenis_kelamin": 2, "tanggal_lahir": "2026-02-01", "hubungan_keluarga": 4,
            **overrides}


def test_a_newborn_without_nik_gets_the_desas_next_temporary_number(keluarga):
    first = kelahiran_catat(keluarga=keluarga, data=bayi())
    second = kelahiran_catat(keluarga=keluarga, data=bayi(nama="I Wayan Kembar", jenis_kelamin=1, nik=""))
    assert (first.nik, second.nik) == (temporary_number(DESA, 1), temporary_number(DESA, 2))
    assert first.nik_sementara and second.nik_sementara and first.nik == "0510501200100001"
    assert Peristiwa.objects.filter(individu=first, jenis=Peristiwa.LAHIR).exists()


def test_a_family_without_kk_gets_a_temporary_number_of_its_own_series(keluarga):
    kel = keluarga_create(no_kk="", banjar_kode=BANJAR)
    assert kel.no_kk == temporary_number(DESA, 1) and kel.no_kk_sementara
    assert keluarga_create(no_kk="  ", banjar_kode=BANJAR).no_kk == temporary_number(DESA, 2)


def test_the_real_nik_replaces_the_temporary_one_and_shows_in_history(keluarga):
    baby = kelahiran_catat(keluarga=keluarga, data=bayi())
    hasil = nik_sementara_ganti(individu=baby, nik_baru=BAYI_NIK, alasan="NIK terbit")
    baby.refresh_from_db()
    assert hasil.digabung_dari is None and (baby.nik, baby.nik_sementara) == (BAYI_NIK, False)
    entry = riwayat_individu(baby).entri[0]
    assert entry.aksi == "registry.individu.nik_sementara_diganti"
    assert {p.kode for p in entry.perubahan} >= {"nik", "nik_sementara"}


def test_a_real_nik_already_registered_merges_the_temporary_record_into_it(keluarga):
    baby = kelahiran_catat(keluarga=keluarga, data=bayi(nama="Bayi Ny. Suartini"))
    # the same child came in meanwhile with a Dukcapil import, under her real NIK and name
    real = individu_create(keluarga=keluarga, data=bayi(nik=BAYI_NIK, nama="Ni Luh Putu Ayu"))
    hasil = nik_sementara_ganti(individu=baby, nik_baru=BAYI_NIK)
    baby.refresh_from_db()
    assert hasil.individu.pk == real.pk and hasil.digabung_dari == baby.pk
    assert baby.status_dasar == TIDAK_VALID and baby.atribut["digabung_ke"] == real.pk
    assert [e.aksi for e in riwayat_individu(baby).entri][0] == "registry.individu.digabung"
    assert [e.aksi for e in riwayat_individu(real).entri][0] == "registry.individu.menerima_gabungan"
    assert Peristiwa.objects.filter(individu=baby, jenis=Peristiwa.LAHIR).exists()  # kept on its record


@pytest.mark.parametrize("nik,rule", [("5105011203800001", "nik_orang_lain"),  # the father's NIK
                                      (temporary_number(DESA, 9), "nik_baru_sementara"),
                                      ("5105019902260001", "nik_tanggal")])
def test_a_wrong_real_nik_is_refused(keluarga, nik, rule):
    baby = kelahiran_catat(keluarga=keluarga, data=bayi())
    with pytest.raises(ValidationFailed) as exc:
        nik_sementara_ganti(individu=baby, nik_baru=nik)
    assert exc.value.findings[0].rule == rule
    baby.refresh_from_db()
    assert baby.nik_sementara and baby.status_dasar == HIDUP


def test_only_a_temporary_number_is_replaced(keluarga):
    head = keluarga.anggota.get()
    with pytest.raises(ValidationFailed) as exc:
        nik_sementara_ganti(individu=head, nik_baru=BAYI_NIK)
    assert exc.value.findings[0].rule == "bukan_nik_sementara"


def test_new_members_join_the_familys_household_recorded_in_both_histories(keluarga):
    head = keluarga.anggota.get()
    rt = rumah_tangga_create(kode="RT-001", banjar_kode=BANJAR)
    anggota_rumah_tangga_set(individu=head, rumah_tangga=rt, hubungan_rumah_tangga=1)
    baby = kelahiran_catat(keluarga=keluarga, data=bayi())
    newcomer = kedatangan_catat(keluarga=keluarga, tanggal=dt.date(2026, 3, 1), data={
        "nik": "5105015505700002", "nama": "Ni Nyoman Tua", "jenis_kelamin": 2, "tanggal_lahir": "1970-05-15",
        "hubungan_keluarga": 7})
    for person in (baby, newcomer):
        person.refresh_from_db()
        assert (person.rumah_tangga_id, person.hubungan_rumah_tangga) == (rt.pk, 2)
        created = riwayat_individu(person).entri[-1]
        assert "rumah_tangga_id" in {p.kode for p in created.perubahan}
    joined = [e for e in riwayat_rumah_tangga(rt).entri if e.aksi == "registry.rumah_tangga.anggota_masuk"]
    assert len(joined) == 3  # the head, then the baby and the newcomer


def test_a_family_without_household_or_split_over_two_leaves_the_new_member_out(keluarga):
    assert kelahiran_catat(keluarga=keluarga, data=bayi()).rumah_tangga_id is None
    kid = keluarga.anggota.get(nik=temporary_number(DESA, 1))
    head = keluarga.anggota.get(hubungan_keluarga=1)
    anggota_rumah_tangga_set(individu=kid, rumah_tangga=rumah_tangga_create(kode="RT-A", banjar_kode=BANJAR),
                             hubungan_rumah_tangga=2)
    anggota_rumah_tangga_set(individu=head, rumah_tangga=None)
    other = individu_create(keluarga=keluarga, data=bayi(nama="I Made Kedua", jenis_kelamin=1,
                                                        tanggal_lahir="2025-01-01", nik="5105010101250003"))
    assert other.rumah_tangga.kode == "RT-A"  # the one household the living members share
    anggota_rumah_tangga_set(individu=other, rumah_tangga=rumah_tangga_create(kode="RT-B", banjar_kode=BANJAR),
                             hubungan_rumah_tangga=2)
    third = individu_create(keluarga=keluarga, data=bayi(nik="5105014101250004", nama="Ni Ketut Ketiga",
                                                                 tanggal_lahir="2025-01-01"))
    assert third.rumah_tangga_id is None  # split over two households: no guess


# ---------------------------------------------------------------- the faces: web form, API, CLI


@pytest.fixture
def operator(keluarga):
    return pengguna_create(username="operator", password="rahasia-panjang", peran=OPERATOR_DESA, wilayah_kode=DESA)


def test_web_birth_without_nik_and_the_replace_form(keluarga, operator):
    client = masuk(Client(), operator)
    response = client.post(f"/registri/keluarga/{keluarga.pk}/lahir/", {
        "nik": "", "nama": "Ni Luh Bayi", "jenis_kelamin": 2, "tanggal_lahir": "2026-02-01",
        "hubungan_keluarga": 4, "status_kawin": 1, "kewarganegaraan": 1})
    assert response.status_code == 302, response.content.decode()[:3000]
    baby = Individu.objects.get(nik=temporary_number(DESA, 1))
    page = client.get(f"/registri/individu/{baby.pk}/").content.decode()
    assert f"/registri/individu/{baby.pk}/nik/" in page and "Ganti NIK sementara" in page
    assert client.get(f"/registri/individu/{baby.pk}/nik/").status_code == 200
    response = client.post(f"/registri/individu/{baby.pk}/nik/", {"nik": BAYI_NIK, "alasan": ""})
    assert response.status_code == 302
    baby.refresh_from_db()
    assert baby.nik == BAYI_NIK and not baby.nik_sementara
    assert AuditLog.objects.filter(aksi="pdp.ubah", keterangan="ganti NIK sementara").exists()


def test_api_and_cli_replace_a_temporary_nik(keluarga, operator):
    first = kelahiran_catat(keluarga=keluarga, data=bayi())
    second = kelahiran_catat(keluarga=keluarga, data=bayi(nama="I Wayan Kembar", jenis_kelamin=1))
    api = APIClient()
    masuk(api, operator)
    response = api.post(f"/api/v1/individu/{first.pk}/nik/", {"nik": BAYI_NIK}, format="json")
    assert response.status_code == 200 and response.data["digabung_dari"] is None
    bad = api.post(f"/api/v1/individu/{first.pk}/nik/", {"nik": "5105010101250003"}, format="json")
    assert bad.status_code == 400  # no longer temporary
    call_command("registri", "ganti-nik", "--individu", str(second.pk), "--nik", "5105010102260002", "--json")
    second.refresh_from_db()
    assert second.nik == "5105010102260002" and not second.nik_sementara


def test_web_family_without_kk_gets_a_temporary_number(keluarga, operator):
    client = masuk(Client(), operator)
    assert "KK belum terbit" in client.get(f"/registri/desa/{DESA}/keluarga/baru/").content.decode()
    response = client.post(f"/registri/desa/{DESA}/keluarga/baru/", {"no_kk": "", "banjar": BANJAR, "alamat": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    kel = keluarga.__class__.objects.get(no_kk=temporary_number(DESA, 1))
    assert kel.no_kk_sementara
