"""Desa-level data (facilities, potential, hazards) and the village asset list.

Desa facts are structural: they follow the desa's full-scale size (its share of the
regency at scale 1.0) and its calibrated character (island, tourism, coast), not the
number of synthetic people drawn, so a small test run still has believable villages.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.synth.context import Columns, Context
from presisi.synth.draws import bernoulli_logit, shares_matrix, tilted, yes_no

HAZARDS = list(range(1, 11))


def _counts(rng, mean: np.ndarray, low: int, high: int) -> np.ndarray:
    return np.clip(rng.poisson(np.maximum(mean, 0.0)), low, high).astype(float)


def _facilities(ctx: Context, people: np.ndarray, n_banjar: np.ndarray, rng) -> Columns:
    kel = ctx.kelurahan.astype(float)
    remote = ctx.desa_param("keterpencilan")
    return {
        "jumlah_posyandu": np.clip(n_banjar + rng.integers(-1, 2, len(people)), 1, 50).astype(float),
        "jumlah_puskesmas_pustu": _counts(rng, 0.6 + 0.4 * kel, 0, 10),
        "jumlah_polindes_poskesdes": _counts(rng, 0.5 * (1 - kel), 0, 10),
        "jumlah_dokter": _counts(rng, 0.3 + 6.0 * kel, 0, 200),
        "jumlah_bidan": _counts(rng, 1.2 + people / 3000.0 + 2 * kel, 0, 100),
        "jarak_ke_puskesmas_km": np.round(np.clip(rng.gamma(2.0, 1.4 + 2.5 * remote) * (1 - 0.7 * kel), 0.1, 100), 1),
        "jumlah_paud": _counts(rng, 0.5 + people / 1500.0, 0, 50),
        "jumlah_sd": _counts(rng, 0.5 + people / 900.0, 1, 30),
        "jumlah_smp": _counts(rng, people / 6000.0 + 0.4 * kel, 0, 20),
        "jumlah_sma": _counts(rng, people / 12000.0 + 0.5 * kel, 0, 20),
        "jumlah_pasar": _counts(rng, 0.3 + 0.7 * kel, 0, 20),
        "jumlah_bumdes": np.where(kel > 0, 0.0, _counts(rng, 1.0, 1, 20)),  # BUMDes exist only in desa
        "jumlah_koperasi": _counts(rng, 1.5 + people / 2500.0, 0, 100),
        "jumlah_umkm": _counts(rng, people / 3.5 * 0.22, 0, 10000),
        "layanan_administrasi_daring": yes_no(rng.random(len(people)) < 0.55 + 0.3 * kel),
        "sinyal_seluler": tilted(rng, [1, 2, 3, 4], [0.01, 0.04, 0.15, 0.8], [-2, -1.5, -0.8, 0.5], -2 * remote),
    }


def _land_and_risk(ctx: Context, people: np.ndarray, rng) -> Columns:
    n = len(people)
    area_km2 = np.array([d.luas_km2 or np.nan for d in ctx.frame.desa])
    area_km2 = np.where(np.isnan(area_km2), rng.gamma(3.0, 1.5, n), area_km2)
    farm_share = np.where(ctx.kelurahan, 0.15, 0.55) * rng.uniform(0.7, 1.2, n)
    roads = np.round(2.0 + 1.8 * np.sqrt(area_km2) * rng.uniform(0.7, 1.4, n) + people / 2500.0, 1)
    hazard = shares_matrix(ctx.desa_shares("ancaman_bencana"), HAZARDS)
    return {
        "ada_tps3r": yes_no(rng.random(n) < 0.35 + 0.3 * ctx.kelurahan),
        "ada_bank_sampah": yes_no(rng.random(n) < 0.55),
        "luas_mangrove_ha": np.round(ctx.desa_param("luas_mangrove_ha") * rng.uniform(0.9, 1.1, n), 1),
        "luas_lahan_pertanian_ha": np.round(np.clip(area_km2 * 100.0 * farm_share, 0, 10000), 1),
        "panjang_jalan_desa_km": np.clip(roads, 0, 500),
        "panjang_jalan_rusak_km": np.round(roads * rng.beta(2.0, 7.0, n), 1),
        "desa_kepulauan": yes_no(ctx.desa_param("kepulauan") > 0),
        "ancaman_bencana_utama": np.asarray(HAZARDS, dtype=float)[
            np.minimum((rng.random(n)[:, None] * hazard.sum(1)[:, None] >= np.cumsum(hazard, 1)).sum(1), 9)],
        "ada_jalur_evakuasi": yes_no(rng.random(n) < 0.5),
        "desa_tangguh_bencana": yes_no(bernoulli_logit(rng, 0.25, 0.0, np.zeros(n))),
    }


def _tourism(ctx: Context, people: np.ndarray, rng) -> Columns:
    t = ctx.desa_param("pariwisata")
    homestays = np.round(people / 3.5 * 0.55 * t * 0.35 * 0.7 + rng.poisson(2.0 * t))
    return {
        "jumlah_daya_tarik_wisata": _counts(rng, 0.5 + 8.0 * t, 0, 200),
        "jumlah_homestay": np.clip(homestays, 0, 2000),
        "jumlah_kamar_akomodasi": np.clip(homestays * rng.uniform(3, 7, len(t)) + _counts(rng, 40 * t, 0, 5000), 0,
                                          20000).round(),
        "kunjungan_wisatawan_setahun": np.clip(np.round(ctx.desa_param("kunjungan_wisatawan")
                                                        * rng.uniform(0.85, 1.15, len(t)), -2), 0, 10_000_000),
    }


def village_data(ctx: Context, full_people: np.ndarray) -> Columns:
    """Every desa-level variable for each desa (``full_people`` = the desa's scale-1.0 population)."""
    rng = ctx.rng("desa")
    n_banjar = np.array([len(ctx.frame.banjar[d.kode]) for d in ctx.frame.desa], dtype=float)
    return {**_facilities(ctx, full_people, n_banjar, rng), **_land_and_risk(ctx, full_people, rng),
            **_tourism(ctx, full_people, rng)}


@dataclass
class Asset:
    desa: int
    banjar: int  # flat banjar index
    jenis: int
    nama: str
    kondisi: int
    tahun: int
    nilai: int


def village_assets(ctx: Context) -> list[Asset]:
    """A handful of assets per desa (office, land, road, water, vehicle, gamelan…)."""
    rng = ctx.rng("aset-desa")
    ref_year = int(str(ctx.pop.ref)[:4])
    islands = ctx.desa_param("kepulauan") > 0
    out: list[Asset] = []
    start = 0
    for j, d in enumerate(ctx.frame.desa):
        k = len(ctx.frame.banjar[d.kode])
        kind = "Kantor Lurah" if ctx.kelurahan[j] else "Kantor Desa"
        items = [(2, f"{kind} {d.nama}", 1.5e9), (1, f"Tanah kas {d.nama}", 8e8),
                 (3, f"Jalan lingkungan {d.nama}", 6e8), (8, "Seperangkat gamelan gong kebyar", 3e8),
                 (8, "Komputer dan printer kantor", 2.5e7)]
        if rng.random() < 0.6:
            items.append((7, "Ambulans desa", 3.5e8))
        if rng.random() < 0.5:
            water = "Penampungan air hujan (cubang)" if islands[j] else "Sumur bor desa"
            items.append((6, water, 2e8))
        for jenis, nama, value in items:
            out.append(Asset(desa=j, banjar=start + int(rng.integers(0, k)), jenis=jenis, nama=nama,
                             kondisi=int(rng.choice([1, 2, 3, 4], p=[.6, .25, .1, .05])),
                             tahun=int(rng.integers(1985, ref_year + 1)),
                             nilai=int(round(value * rng.uniform(0.5, 1.5), -5))))
        start += k
    return out
