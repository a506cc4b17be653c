"""Small hand-made registry, datasets, deliveries and users for the record-linkage tests.

Deliveries are made with the ORM directly (the delivery service is built elsewhere); the keys are the
real ``kunci_baris``. People are clear-cut: a source row either copies a registry person exactly or is
nobody at all, so the tests hold for any linkage engine; the review band is built by hand
(``KandidatTautan`` rows or a stand-in ``mesin.tautkan``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from presisi.accounts.services import pengguna_create
from presisi.dictionary.models import Sektor
from presisi.integration.kunci import kunci_baris
from presisi.integration.models import (
    TINJAU,
    BarisSumber,
    DatasetSektor,
    KandidatTautan,
    Pengiriman,
)
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.regions.services import wilayah_load_csv
from presisi.registry.models import HIDUP, Individu, Keluarga

DESA = "51.05.01.2001"  # Sakti, Kecamatan Nusa Penida
DESA_TETANGGA = "51.05.01.2002"  # Batumadeg, same kecamatan
DESA_LAIN = "51.05.02.2001"  # Negari, Kecamatan Banjarangkan
PASSWORD = "rahasia-panjang-sekali"

PENGGUNA = {
    "op": ("operator_desa", DESA, None),
    "op_tetangga": ("operator_desa", DESA_TETANGGA, None),
    "op_lain": ("operator_desa", DESA_LAIN, None),
    "ver": ("verifikator_kecamatan", "51.05.01", None),
    "ver_lain": ("verifikator_kecamatan", "51.05.02", None),
    "wali": ("walidata", "51.05", ["dinsos"]),
    "wali_lain": ("walidata", "51.05", ["dinkes"]),
    "wali_dukcapil": ("walidata", "51.05", ["dukcapil"]),
    "admin": ("admin", "51.05", None),
    "analis": ("analis", "51.05", None),
}


def siapkan_wilayah() -> None:
    from pathlib import Path

    from django.conf import settings

    wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))
    rows = "".join(f"{d}.0001,Banjar Satu {d[-4:]},banjar,{d}\n" for d in (DESA, DESA_TETANGGA, DESA_LAIN))
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n" + rows)
    for kode, nama in (("dinsos", "Sosial"), ("dinkes", "Kesehatan"), ("dukcapil", "Kependudukan")):
        Sektor.objects.get_or_create(kode=kode, defaults={"nama": nama})


def pengguna_semua() -> dict[str, Any]:
    return {name: pengguna_create(username=name, password=PASSWORD, peran=peran, wilayah_kode=kode, sektor=sektor)
            for name, (peran, kode, sektor) in PENGGUNA.items()}


_kk_serial = [0]


def orang(desa: str, nik: str, nama: str, jenis_kelamin: int, tanggal_lahir: dt.date, *, no_kk: str = "",
          status_dasar: int = HIDUP, hubungan_keluarga: int = 1, keluarga: Keluarga | None = None,
          nama_ayah: str = "", nama_ibu: str = "") -> Individu:
    """One registry person (ORM; a family of its own unless given)."""
    w = Wilayah.objects.get(kode=desa)
    banjar = Wilayah.objects.get(kode=f"{desa}.0001")
    if keluarga is None:
        _kk_serial[0] += 1
        keluarga = Keluarga.objects.create(no_kk=no_kk or f"{nik[:6]}99{_kk_serial[0]:08d}", desa=w, banjar=banjar)
    return Individu.objects.create(nik=nik, nama=nama, jenis_kelamin=jenis_kelamin, tanggal_lahir=tanggal_lahir,
                                   hubungan_keluarga=hubungan_keluarga, keluarga=keluarga, desa=w, banjar=banjar,
                                   status_dasar=status_dasar, nama_ayah=nama_ayah, nama_ibu=nama_ibu)


def registri_kecil() -> dict[str, Individu]:
    """Six clearly different people in three desa."""
    return {
        "wayan": orang(DESA, "5105011503800001", "I WAYAN SUDARMA", 1, dt.date(1980, 3, 15)),
        "ketut": orang(DESA, "5105014708850002", "NI KETUT SRIASIH", 2, dt.date(1985, 8, 7)),
        "made": orang(DESA_TETANGGA, "5105012011700003", "I MADE KARDANA", 1, dt.date(1970, 11, 20)),
        "putu": orang(DESA_TETANGGA, "5105016202950004", "NI PUTU AYU LESTARI", 2, dt.date(1995, 2, 22)),
        "gede": orang(DESA_LAIN, "5105020305600005", "I GEDE OKA", 1, dt.date(1960, 5, 3)),
        "komang": orang(DESA_LAIN, "5105025109000006", "NI KOMANG ARI", 2, dt.date(2000, 9, 11)),
    }


def dataset(kode: str = "bansos-pkh", sektor: str = "dinsos") -> DatasetSektor:
    return DatasetSektor.objects.create(kode=kode, nama=f"Penerima {kode}", sektor=Sektor.objects.get(kode=sektor),
                                        unit="individu")


def periode(kode: str = "2026-S2") -> Periode:
    p, _ = Periode.objects.get_or_create(kode=kode, defaults={"nama": kode, "tanggal_mulai": dt.date(2026, 7, 1),
                                                              "tanggal_referensi": dt.date(2026, 12, 31)})
    return p


def baris_dari(person: Individu) -> dict[str, Any]:
    """A source row that copies a registry person exactly."""
    return {"nik": person.nik, "no_kk": person.keluarga.no_kk, "nama": person.nama,
            "jenis_kelamin": person.jenis_kelamin, "tanggal_lahir": person.tanggal_lahir,
            "kode_desa": person.desa.kode}


ORANG_ASING = {"nik": "", "no_kk": "", "nama": "ZZYZX QWERTY VBNM", "jenis_kelamin": 1,
               "tanggal_lahir": dt.date(1911, 1, 29), "kode_desa": DESA}


def kirim(ds: DatasetSektor, rows: list[dict[str, Any]], *, versi: int | None = None,
          per: Periode | None = None) -> Pengiriman:
    """A delivery with its rows (what the delivery service would store)."""
    per = per or periode()
    versi = versi or (Pengiriman.objects.filter(dataset=ds, periode=per).count() + 1)
    p = Pengiriman.objects.create(dataset=ds, periode=per, versi=versi, sumber=Pengiriman.CLI,
                                  sha256=f"{versi:064d}", jumlah_baris=len(rows))
    desa = {w.kode: w for w in Wilayah.objects.filter(kode__in={r.get("kode_desa", "") for r in rows})}
    BarisSumber.objects.bulk_create([
        BarisSumber(pengiriman=p, baris=i, desa=desa.get(r.get("kode_desa", "")), kunci=kunci_baris(**{
            k: r.get(k) for k in ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa")}),
            **{k: v for k, v in r.items() if v is not None})
        for i, r in enumerate(rows, start=1)])
    return p


def baris_tinjau(p: Pengiriman, nomor: int, kandidat: list[tuple[Individu, float]]) -> BarisSumber:
    """Put a row in the review band by hand: its candidates with chosen probabilities."""
    row = BarisSumber.objects.get(pengiriman=p, baris=nomor)
    KandidatTautan.objects.filter(baris=row).delete()
    for rank, (person, prob) in enumerate(kandidat, start=1):
        KandidatTautan.objects.create(baris=row, individu=person, probabilitas=prob, bobot_total=1.5,
                                      peringkat=rank, bobot=[{"kolom": "prior", "tingkat": "awal", "bobot": -10.0},
                                                             {"kolom": "nama", "tingkat": "mirip", "bobot": 8.0},
                                                             {"kolom": "tanggal_lahir", "tingkat": "sama",
                                                              "bobot": 3.5}])
    row.status_tautan, row.individu, row.skor, row.metode = TINJAU, kandidat[0][0], kandidat[0][1], ""
    row.save()
    return row
