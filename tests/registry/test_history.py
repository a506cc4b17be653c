"""Corrections write before/after audit rows; history pages read them back with dictionary labels."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from presisi.regions.services import wilayah_load_csv
from presisi.registry.history import riwayat_individu, riwayat_keluarga, riwayat_rumah_tangga
from presisi.registry.models import HIDUP, PERGI, Individu, Keluarga, Peristiwa
from presisi.registry.services import (
    anggota_pindah_keluarga,
    anggota_rumah_tangga_set,
    bangunan_create,
    bangunan_update,
    individu_create,
    individu_update,
    keluarga_create,
    keluarga_update,
    kepulangan_catat,
    peristiwa_catat,
    rumah_tangga_create,
    rumah_tangga_update,
)
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
DESA, BANJAR, BANJAR_2 = "51.05.01.2001", "51.05.01.2001.001", "51.05.01.2001.002"


@pytest.fixture
def banjar(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n"
                          f"{BANJAR},Banjar Dinas Kaja,banjar,{DESA}\n{BANJAR_2},Banjar Dinas Kangin,banjar,{DESA}\n"
                          "51.05.01.2002.001,Banjar Dinas Kelod,banjar,51.05.01.2002\n")
    return BANJAR


@pytest.fixture
def operator(banjar):
    return pengguna_create(username="operator", password="rahasia-panjang", peran="operator_desa", wilayah_kode=DESA)


def person(keluarga, **overrides):
    data = {"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1, "tanggal_lahir": "1980-03-12",
            "hubungan_keluarga": 1, "pekerjaan": 9}
    return individu_create(keluarga=keluarga, data={**data, **overrides})


@pytest.fixture
def keluarga(banjar):
    kk = keluarga_create(no_kk="5105010203150001", banjar_kode=banjar, alamat="Jl. Pura Dalem 1")
    person(kk)
    return kk


def test_person_history_shows_labelled_before_and_after_and_events(client, keluarga, operator):
    p = keluarga.anggota.get()
    individu_update(individu=p, data={"pekerjaan": 11, "nik": "5105011203800002"}, pengguna=operator)
    peristiwa_catat(individu=p, jenis=Peristiwa.PERGI, tanggal=dt.date(2026, 1, 5), pengguna=operator)
    riwayat = riwayat_individu(p)
    koreksi = next(e for e in riwayat.entri if e.aksi == "registry.individu.diubah")
    rows = {c.label: (c.sebelum, c.sesudah) for c in koreksi.perubahan}
    assert rows["Jenis pekerjaan (KK)"] == ("Petani/Pekebun", "Nelayan/Perikanan")  # labels, not codes
    assert rows["Nomor Induk Kependudukan"] == ("510501******0001", "510501******0002")  # masked even here
    assert koreksi.pengguna == "operator" and "Nama lengkap" not in rows  # unchanged fields are not listed
    status = next(e for e in riwayat.entri if e.aksi == "registry.peristiwa.dicatat")
    assert ("Status dasar penduduk", "Hidup", "Pergi") in [(c.label, c.sebelum, c.sesudah) for c in status.perubahan]
    assert [e.get_jenis_display() for e in riwayat.peristiwa] == ["Pergi"]
    masuk(client, operator)
    html = client.get(f"/registri/individu/{p.pk}/riwayat/").content.decode()
    assert "Petani/Pekebun" in html and "Nelayan/Perikanan" in html and "Jenis pekerjaan (KK)" in html
    assert AuditLog.objects.filter(aksi="pdp.lihat", objek_id=str(p.pk), keterangan="riwayat penduduk").exists()


def test_family_corrections_keep_the_old_kk_and_move_members_with_the_banjar(keluarga, operator):
    keluarga_update(keluarga=keluarga, data={"no_kk": "5105010203150009", "tahapan_keluarga_sejahtera": 2},
                    banjar_kode=BANJAR_2, pengguna=operator)
    keluarga.refresh_from_db()
    assert (keluarga.no_kk, keluarga.no_kk_sebelumnya, keluarga.banjar.kode) == ("5105010203150009",
                                                                               "5105010203150001", BANJAR_2)
    assert keluarga.anggota.get().banjar.kode == BANJAR_2
    log = AuditLog.objects.get(aksi="registry.keluarga.diubah")
    assert (log.sebelum["no_kk"], log.sesudah["no_kk"]) == ("5105010203150001", "5105010203150009")
    entry = riwayat_keluarga(keluarga).entri[0]
    assert {c.label: c.sesudah for c in entry.perubahan}["Banjar"] == "Banjar Dinas Kangin"
    assert {c.label: c.sesudah for c in entry.perubahan}["Tahapan keluarga sejahtera"] == "Keluarga Sejahtera I"
    with pytest.raises(ValidationFailed) as err:  # another desa is a move, not a correction
        keluarga_update(keluarga=keluarga, data={"alamat": ""}, banjar_kode="51.05.01.2002.001")
    assert err.value.findings[0].rule == "banjar_lain_desa"
    keluarga.refresh_from_db()
    assert keluarga.alamat == "Jl. Pura Dalem 1"
    assert AuditLog.objects.filter(aksi="registry.keluarga.diubah").count() == 1


def test_moving_a_member_to_another_kk_shows_in_both_families(keluarga, banjar, operator):
    p = keluarga.anggota.get()
    other = keluarga_create(no_kk="5105010203150002", banjar_kode=BANJAR_2)
    person(other, nik="5105010107900001", nama="I Made Kepala", tanggal_lahir="1990-07-01")
    with pytest.raises(ValidationFailed) as err:
        anggota_pindah_keluarga(individu=p, keluarga=other, hubungan_keluarga=1)
    assert err.value.findings[0].rule == "satu_kepala_keluarga"
    anggota_pindah_keluarga(individu=p, keluarga=other, hubungan_keluarga=9, pengguna=operator)
    p.refresh_from_db()
    assert (p.keluarga, p.banjar.kode, p.hubungan_keluarga) == (other, BANJAR_2, 9)
    old = {e.aksi: e for e in riwayat_keluarga(keluarga).entri}
    assert {c.label: c.sebelum for c in old["registry.keluarga.anggota_keluar"].perubahan}["Anggota"] == p.nama
    new = riwayat_keluarga(other)
    moved = next(e for e in new.entri if e.aksi == "registry.individu.pindah_kk")
    assert moved.subjek == p.nama
    assert {c.label: c.sesudah for c in moved.perubahan}["Keluarga (No. KK)"] == "5105010203150002"
    assert {c.label: c.sesudah for c in moved.perubahan}["Status hubungan dalam keluarga"] == "Famili Lain"
    # the move is a "Pindah KK" event in the person's history, with its date and both numbers
    events = riwayat_individu(p).peristiwa
    assert [(e.jenis, e.data) for e in events] == [
        (Peristiwa.PINDAH_KK, {"dari_no_kk": keluarga.no_kk, "ke_no_kk": "5105010203150002"})]


def test_household_and_building_corrections_and_their_history(client, keluarga, banjar, operator):
    b1 = bangunan_create(kode="B-1", banjar_kode=banjar, lat=-8.7, lng=115.5)
    b2 = bangunan_create(kode="B-2", banjar_kode=banjar)
    rt = rumah_tangga_create(kode="RT-1", banjar_kode=banjar, bangunan=b1, atribut={"sumber_air_minum": 3})
    rumah_tangga_update(rumah_tangga=rt, data={"sumber_air_minum": 4, "luas_lantai": 36.5}, bangunan=b2,
                        pengguna=operator)
    rt.refresh_from_db()
    assert rt.bangunan == b2 and rt.atribut == {"sumber_air_minum": 4, "luas_lantai": 36.5}
    bangunan_update(bangunan=b1, data={"jumlah_lantai_bangunan": 2}, lat=None, lng=None, pengguna=operator)
    b1.refresh_from_db()
    assert (b1.lat, b1.lng, b1.atribut) == (None, None, {"jumlah_lantai_bangunan": 2})
    with pytest.raises(ValidationFailed):
        bangunan_update(bangunan=b2, data={"jumlah_lantai_bangunan": 99})
    p = keluarga.anggota.get()
    anggota_rumah_tangga_set(individu=p, rumah_tangga=rt, hubungan_rumah_tangga=1, pengguna=operator)
    second = person(keluarga, nik="5105015002950001", nama="Ni Made Sari", jenis_kelamin=2,
                    tanggal_lahir="1995-02-10", hubungan_keluarga=3)
    with pytest.raises(ValidationFailed) as err:
        anggota_rumah_tangga_set(individu=second, rumah_tangga=rt, hubungan_rumah_tangga=1)
    assert err.value.findings[0].rule == "satu_kepala_rumah_tangga"
    anggota_rumah_tangga_set(individu=p, rumah_tangga=None, pengguna=operator)
    assert second.rumah_tangga == rt  # a new family member joins the head's household (issue #13)
    aksi = [e.aksi for e in riwayat_rumah_tangga(rt).entri]
    assert aksi[:4] == ["registry.rumah_tangga.anggota_keluar", "registry.rumah_tangga.anggota_masuk",
                        "registry.rumah_tangga.anggota_masuk", "registry.rumah_tangga.diubah"]
    joined = riwayat_rumah_tangga(rt).entri[2]
    assert {c.label: c.sesudah for c in joined.perubahan} == {"Anggota": "I Wayan Sudarma",
                                                             "Hubungan dalam rumah tangga": "Kepala Rumah Tangga"}
    masuk(client, operator)
    html = client.get(f"/registri/rumah-tangga/{rt.pk}/riwayat/").content.decode()
    assert "Sumur bor/pompa" in html and "Leding" in html and "B-2" in html and "I Wayan Sudarma" in html
    html = client.get(f"/registri/bangunan/{b1.pk}/riwayat/").content.decode()
    assert "Jumlah lantai bangunan" in html and "Lintang" in html and "-8.7" in html


def test_a_person_who_left_can_come_back_but_not_the_living_or_dead(keluarga):
    p = keluarga.anggota.get()
    with pytest.raises(ValidationFailed):
        kepulangan_catat(individu=p, tanggal=dt.date(2026, 1, 1))
    peristiwa_catat(individu=p, jenis=Peristiwa.PERGI, tanggal=dt.date(2026, 1, 1))
    p.refresh_from_db()
    assert p.status_dasar == PERGI
    event = kepulangan_catat(individu=p, tanggal=dt.date(2026, 2, 1), asal="Denpasar")
    p.refresh_from_db()
    assert p.status_dasar == HIDUP and event.data == {"asal": "Denpasar"}
    assert Individu.objects.count() == 1 and Keluarga.objects.count() == 1
