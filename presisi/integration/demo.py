"""Sector integration in the demo: the standard programs, a Dinsos PKH recipient list delivered and
linked through the real services (so the review queue, the discrepancy report and targeting have
content), and synthetic hazard layers (``demo_lapisan_muat``).

The list is made like a real agency list (``presisi.synth.sektor``: NIK missing in about 1 row in
8, mistyped names and dates, moved people, duplicates, non-residents) from the household heads of
the synthetic regency, mostly the poorer ones (DTSEN desil 1–4) as a real PKH list would be, so
both inclusion and exclusion errors show.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from presisi.integration.models import DatasetSektor
from presisi.integration.services.dataset import dataset_buat
from presisi.integration.services.pengiriman import pengiriman_terima
from presisi.integration.services.sasaran import program_bawaan_muat
from presisi.integration.services.spasial import muat_demo_lapisan
from presisi.integration.services.tautan import tautan_jalankan
from presisi.periods.models import Periode
from presisi.registry.models import HIDUP, Individu
from presisi.synth.sektor import Laju, daftar_sektor, registri_dari_db

DATASET_PKH = "dinsos-pkh"
# Share of the list drawn from poorer households (desil 1–4); the rest from anyone (inclusion errors).
BAGIAN_SASARAN = 0.8


def _kepala_rumah_tangga(miskin: bool) -> Any:
    qs = Individu.objects.filter(status_dasar=HIDUP, hubungan_rumah_tangga=1, rumah_tangga__isnull=False)
    desil = Q(rumah_tangga__atribut__desil_dtsen__in=[1, 2, 3, 4])
    return qs.filter(desil) if miskin else qs.exclude(desil)


def _registri_pkh(n: int) -> dict[str, list]:
    """The people the list is drawn from: mostly heads of poorer households, some better-off ones."""
    miskin = registri_dari_db(_kepala_rumah_tangga(True))
    lain = registri_dari_db(_kepala_rumah_tangga(False))
    ambil_lain = max(0, min(len(lain["id"]), int(n * (1 - BAGIAN_SASARAN) / BAGIAN_SASARAN)))
    langkah = max(1, len(lain["id"]) // max(ambil_lain, 1))  # spread over the regency, not the first desa
    return {k: miskin[k] + lain[k][::langkah][:ambil_lain] for k in miskin}


def demo_sektor_muat(*, periode_kode: str, seed: int = 7) -> dict[str, Any]:
    """Idempotent: the same list is recognised by its hash and not delivered twice."""
    out: dict[str, Any] = {"program": program_bawaan_muat()}
    walidata = get_user_model().objects.filter(username="walidata").first()
    periode = Periode.objects.filter(kode=periode_kode).first()
    dataset = DatasetSektor.objects.filter(kode=DATASET_PKH).first()
    if dataset is None:
        dataset = dataset_buat(oleh=None, kode=DATASET_PKH, sektor="dinsos", data={
            "nama": "Penerima Program Keluarga Harapan (PKH)", "unit": "individu", "jenis": "mikro",
            "jadwal": "triwulanan", "produsen": "Dinas Sosial", "program": "pkh",
            "deskripsi": "Daftar pengurus keluarga penerima manfaat PKH per desa (contoh sintetis).",
            "walidata": walidata.username if walidata else "",
        })
    registri = _registri_pkh(n=_kepala_rumah_tangga(True).count())
    n = min(len(registri["id"]), max(50, len(registri["id"]) // 2))
    if periode is None or n < 10:
        return out
    daftar = daftar_sektor(registri, n, seed=seed, laju=Laju())
    hasil = pengiriman_terima(dataset, periode, daftar.csv, f"{DATASET_PKH}-{periode.kode}.csv", oleh=None,
                              sumber="cli", tautkan=False)
    out["pengiriman"] = {"versi": hasil.versi, "baru": hasil.baru, "baris": hasil.jumlah_baris}
    if hasil.baru and hasil.pengiriman is not None:
        out["tautan"] = tautan_jalankan(hasil.pengiriman).as_dict()
    return out


def demo_lapisan_muat(*, pengguna=None) -> list[dict[str, Any]]:
    """Synthetic hazard zones and a road network over the loaded boundaries (before the indicators are
    computed, so each period's exposure indicators follow)."""
    return muat_demo_lapisan(pengguna=pengguna)
