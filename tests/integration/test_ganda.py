"""Registry duplicates: finding pairs (upsert, decided pairs never reopened) and the reviewed merge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from presisi.core.exceptions import PermissionDenied, ValidationFailed, VersiBasi
from presisi.core.models import AuditLog
from presisi.integration.models import KeputusanTautan, PasanganGanda
from presisi.integration.services import ganda as svc
from presisi.integration.tautan import mesin
from presisi.registry.models import HIDUP, MATI, TIDAK_VALID, Peristiwa
from presisi.registry.services import individu_gabung
from presisi.registry.services.gabung import AKSI_GABUNG, AKSI_GABUNG_TERIMA
from tests.integration import tautan_data as data

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(db):
    data.siapkan_wilayah()
    o = data.registri_kecil()
    # the same woman twice in her family: once with a temporary number, once with her real NIK
    o["ketut2"] = data.orang(data.DESA, "5105014708850092", "NI KETUT SRIASIH", 2, dt.date(1985, 8, 7),
                             keluarga=o["ketut"].keluarga, hubungan_keluarga=3)
    return {"orang": o, "pengguna": data.pengguna_semua()}


def _palsu(pairs):
    def cari_ganda(registri, **kwargs):
        ids = set(registri["id"])
        return [mesin.Pasangan(a, b, p, 2.0, [{"kolom": "nama", "tingkat": "sama", "bobot": 2.0}], "probabilistik")
                for a, b, p in pairs if a in ids and b in ids]
    return cari_ganda


def test_find_upserts_and_never_reopens(dunia, monkeypatch):
    o = dunia["orang"]
    monkeypatch.setattr(mesin, "cari_ganda", _palsu([(o["ketut2"].pk, o["ketut"].pk, 0.8),
                                                     (o["made"].pk, o["putu"].pk, 0.3)]))
    r = svc.ganda_cari()
    assert (r["ditemukan"], r["baru"]) == (2, 2)
    pair = PasanganGanda.objects.get(individu_a=o["ketut"])  # ordered: a < b
    assert pair.individu_b_id == o["ketut2"].pk and pair.desa.kode == data.DESA and pair.status == "terbuka"
    assert svc.ganda_cari()["baru"] == 0 and PasanganGanda.objects.count() == 2
    other = PasanganGanda.objects.get(individu_a=o["made"])
    svc.ganda_putuskan(pasangan=other, keputusan=svc.BUKAN_GANDA, oleh=dunia["pengguna"]["admin"])
    r = svc.ganda_cari()
    assert (r["sudah_diputuskan"], r["diperbarui"]) == (1, 1)
    other.refresh_from_db()
    assert other.status == PasanganGanda.BUKAN_GANDA
    # one region only
    assert svc.ganda_cari(kode_wilayah=data.DESA)["ditemukan"] == 1
    assert AuditLog.objects.filter(aksi=svc.AKSI_CARI).count() == 4


def test_real_engine_finds_a_person_registered_twice(dunia):
    o = dunia["orang"]
    svc.ganda_cari()
    assert PasanganGanda.objects.filter(individu_a=o["ketut"], individu_b=o["ketut2"]).exists()
    assert not PasanganGanda.objects.filter(individu_a=o["wayan"], individu_b=o["gede"]).exists()


def test_merge_keeps_both_records_and_their_history(dunia):
    o, u = dunia["orang"], dunia["pengguna"]
    Peristiwa.objects.create(individu=o["ketut2"], jenis=Peristiwa.PINDAH_MASUK, tanggal=dt.date(2020, 1, 1))
    pair = PasanganGanda.objects.create(individu_a=o["ketut"], individu_b=o["ketut2"], desa=o["ketut"].desa,
                                        probabilitas=0.9, bobot_total=3.0, bobot=[])
    with pytest.raises(Http404):
        svc.ganda_putuskan(pasangan=pair, keputusan=svc.GABUNG, oleh=u["op_lain"], dipertahankan=o["ketut"].pk,
                           alasan="x")
    with pytest.raises(PermissionDenied):  # reviewing is not merging: its own permission
        svc.ganda_putuskan(pasangan=pair, keputusan=svc.GABUNG, oleh=u["ver"], dipertahankan=o["ketut"].pk,
                           alasan="x")
    with pytest.raises(ValidationFailed):
        svc.ganda_putuskan(pasangan=pair, keputusan=svc.GABUNG, oleh=u["op"], dipertahankan=o["gede"].pk,
                           alasan="x")
    keputusan = KeputusanTautan.objects.create(dataset=data.dataset(), kunci="k" * 64, individu=o["ketut2"],
                                               keputusan="terima")
    versi = o["ketut"].versi
    svc.ganda_putuskan(pasangan=pair, keputusan=svc.GABUNG, oleh=u["op"], dipertahankan=o["ketut"].pk,
                       alasan="terdaftar dua kali")
    pair.refresh_from_db()
    kept, dup = (o["ketut"], o["ketut2"])
    kept.refresh_from_db()
    dup.refresh_from_db()
    assert (pair.status, pair.dipertahankan_id) == (PasanganGanda.DIGABUNG, kept.pk)
    assert kept.status_dasar == HIDUP and kept.versi == versi + 1
    assert dup.status_dasar == TIDAK_VALID and dup.atribut["digabung_ke"] == kept.pk
    assert dup.peristiwa.count() == 1  # nothing deleted: events and audit rows stay with each record
    assert AuditLog.objects.filter(aksi=AKSI_GABUNG, objek_id=str(dup.pk)).exists()
    assert AuditLog.objects.filter(aksi=AKSI_GABUNG_TERIMA, objek_id=str(kept.pk)).exists()
    keputusan.refresh_from_db()
    assert keputusan.individu_id == kept.pk  # a decision naming the duplicate now names the kept record
    with pytest.raises(ValidationFailed):  # decided
        svc.ganda_putuskan(pasangan=pair, keputusan=svc.BUKAN_GANDA, oleh=u["op"])


def test_merge_refusals(dunia):
    o = dunia["orang"]
    with pytest.raises(ValidationFailed, match="alasan"):
        individu_gabung(dipertahankan=o["ketut"], duplikat=o["ketut2"], alasan="")
    with pytest.raises(ValidationFailed, match="jenis kelamin"):
        individu_gabung(dipertahankan=o["wayan"], duplikat=o["ketut2"], alasan="x")
    with pytest.raises(ValidationFailed, match="dirinya"):
        individu_gabung(dipertahankan=o["ketut"], duplikat=o["ketut"], alasan="x")
    o["ketut2"].status_dasar = MATI
    o["ketut2"].save()
    with pytest.raises(ValidationFailed, match="status dasar"):
        individu_gabung(dipertahankan=o["ketut"], duplikat=o["ketut2"], alasan="x")
    with pytest.raises(VersiBasi):
        individu_gabung(dipertahankan=o["ketut"], duplikat=o["ketut2"], alasan="x", versi_duplikat=999)
    # the living head of a family with living members cannot be the one made invalid
    child = data.orang(data.DESA, "5105010101100099", "I PUTU ANAK", 1, dt.date(2010, 1, 1),
                       keluarga=o["wayan"].keluarga, hubungan_keluarga=4)
    twin = data.orang(data.DESA, "5105011503800098", "I WAYAN SUDARMA", 1, o["wayan"].tanggal_lahir,
                      hubungan_keluarga=1)
    with pytest.raises(ValidationFailed, match="kepala keluarga"):
        individu_gabung(dipertahankan=twin, duplikat=o["wayan"], alasan="x")
    assert child.pk and individu_gabung(dipertahankan=o["wayan"], duplikat=twin, alasan="x").status_dasar == \
        TIDAK_VALID
