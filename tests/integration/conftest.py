"""Small hand-built registries and deliveries for the integration tests (synthetic people only)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.integration.bantu_sektor import (  # noqa: F401  (sector catalogue fixtures)
    akun,
    ds_pkh,
    ds_rekap,
    periode_kirim,
    titik_uji,
)

DESA_A, DESA_B, DESA_C = "51.05.01.2001", "51.05.01.2002", "51.05.02.2001"
KEC_A = "51.05.01"
PASSWORD = "uji-rahasia-panjang-9"
_nomor = itertools.count(1)


@pytest.fixture
def wilayah_uji(wilayah_klungkung, kamus):
    """Klungkung regions + dictionary + one banjar in each of three test desa."""
    from presisi.regions.models import Wilayah
    from presisi.regions.services import wilayah_load_csv

    rows = "\n".join(f"{d}.0001,Banjar Uji {i},banjar,{d}" for i, d in enumerate((DESA_A, DESA_B, DESA_C)))
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows + "\n")
    return {k: Wilayah.objects.get(kode=k) for k in (DESA_A, DESA_B, DESA_C)}


@pytest.fixture
def periode_uji(db):
    from presisi.periods.models import Periode

    return Periode.objects.create(kode="2026-S1", tanggal_mulai=dt.date(2026, 1, 1),
                                  tanggal_referensi=dt.date(2026, 6, 30))


def _banjar(desa):
    from presisi.regions.models import Wilayah

    return Wilayah.objects.get(kode=desa.kode + ".0001")


def rumah_tangga(desa, *, atribut: dict | None = None):
    """One household with its building and family card (no members yet)."""
    from presisi.registry.models import Bangunan, Keluarga, RumahTangga

    n = next(_nomor)
    common = {"desa": desa, "banjar": _banjar(desa), "sintetis": True}
    b = Bangunan.objects.create(kode=f"BG-U{n:05d}", **common)
    rt = RumahTangga.objects.create(kode=f"RT-U{n:05d}", bangunan=b, atribut=atribut or {}, **common)
    kk = Keluarga.objects.create(no_kk=f"51050199{n:08d}", **common)
    return rt, kk


def orang(desa, rt, kk, *, jk: int = 1, lahir: dt.date = dt.date(1980, 3, 12), hub: int = 1, status: int = 1,
          atribut: dict | None = None, pendidikan: int | None = None):
    from presisi.registry.models import Individu

    n = next(_nomor)
    return Individu.objects.create(
        nik=f"510501{lahir:%d%m%y}{n:04d}", nama=f"Warga Uji {n}", jenis_kelamin=jk, tanggal_lahir=lahir,
        hubungan_keluarga=hub, hubungan_rumah_tangga=hub, keluarga=kk, rumah_tangga=rt, desa=desa,
        banjar=_banjar(desa), status_dasar=status, atribut=atribut or {}, pendidikan=pendidikan, sintetis=True)


def dataset(kode: str = "dinsos-pkh", *, sektor: str = "dinsos", jenis: str = "mikro", unit: str = "individu",
            program: str = "", metadata: dict | None = None, produsen: str = "Dinas Sosial"):
    from presisi.dictionary.models import Sektor
    from presisi.integration.models import DatasetSektor

    return DatasetSektor.objects.create(kode=kode, nama=kode.upper(), sektor=Sektor.objects.get(kode=sektor),
                                        produsen=produsen, unit=unit, jenis=jenis, program=program,
                                        metadata=metadata or {})


def pengiriman(ds, periode, *, versi: int = 1):
    from presisi.integration.models import Pengiriman

    return Pengiriman.objects.create(dataset=ds, periode=periode, versi=versi, sumber=Pengiriman.CLI,
                                     sha256=f"{versi:064d}", nama_berkas="uji.csv")


def baris(kirim, nomor: int, *, individu=None, status: str = "tertaut", desa=None, **fields):
    """One source row whose link outcome is already set (as the linkage step leaves it)."""
    from presisi.integration.kunci import kunci_baris
    from presisi.integration.models import BarisSumber

    values = {"nik": individu.nik if individu is not None else "", "nama": individu.nama if individu else "",
              "jenis_kelamin": individu.jenis_kelamin if individu else None,
              "tanggal_lahir": individu.tanggal_lahir if individu else None,
              "no_kk": individu.keluarga.no_kk if individu else ""}
    values.update(fields)
    desa = desa if desa is not None else (individu.desa if individu is not None else None)
    return BarisSumber.objects.create(
        pengiriman=kirim, baris=nomor, desa=desa, kode_desa=desa.kode if desa else "9999", status_tautan=status,
        individu=individu, skor=1.0 if individu else None, metode="nik" if individu else "",
        kunci=kunci_baris(nik=values["nik"], nama=f"{values['nama']}#{nomor}", kode_desa=desa.kode if desa else ""),
        **values)


def pengguna(username: str, peran: str, wilayah: str, sektor: list[str] | None = None):
    from presisi.accounts.services import pengguna_create

    return pengguna_create(username=username, password=PASSWORD, peran=peran, wilayah_kode=wilayah, sektor=sektor)
