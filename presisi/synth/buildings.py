"""Buildings: one dwelling per household plus the non-residential buildings of a Balinese village.

Every banjar has its balai banjar and one or two pura; every desa its three village temples
(Kahyangan Tiga), its office, schools and health posts (as many as the desa data says);
some households run a warung or a homestay in a separate building. Buildings are placed
around their banjar's centre inside the desa polygon.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.synth.context import Columns, Context
from presisi.synth.draws import tilted
from presisi.synth.geo import DesaSampler, fallback_point

TINGGAL, TINGGAL_USAHA, USAHA, AKOMODASI, PURA, SEKOLAH, FASKES, KANTOR, BALAI, GUDANG = range(1, 11)
# use → (floor area low, high m², build year low, high, share with two storeys)
_SPEC = {USAHA: (12, 60, 1985, 2026, 0.1), AKOMODASI: (40, 260, 2000, 2026, 0.35), PURA: (150, 2500, 1900, 1995, 0.0),
         SEKOLAH: (300, 1500, 1975, 2020, 0.2), FASKES: (80, 400, 1980, 2022, 0.1), KANTOR: (200, 600, 1975, 2020, 0.3),
         BALAI: (120, 400, 1950, 2020, 0.25), GUDANG: (20, 150, 1980, 2026, 0.0)}


@dataclass
class Buildings:
    desa: np.ndarray
    banjar: np.ndarray  # flat banjar index
    lat: np.ndarray
    lng: np.ndarray
    cols: Columns
    rt_building: np.ndarray  # building row of each household's dwelling

    def __len__(self) -> int:
        return len(self.desa)


def _desa_buildings(ctx: Context, desa_cols: Columns, rng) -> tuple[list[int], list[int], list[int]]:
    """(desa, banjar, use) of the village's non-residential buildings (structural, scale-independent)."""
    desa_l, banjar_l, use_l = [], [], []
    start = 0
    for j, d in enumerate(ctx.frame.desa):
        k = len(ctx.frame.banjar[d.kode])
        uses = []
        for b in range(k):
            uses += [(start + b, BALAI)] + [(start + b, PURA)] * (1 + int(rng.random() < 0.5))
        n_school = sum(int(desa_cols[c][j]) for c in ("jumlah_paud", "jumlah_sd", "jumlah_smp", "jumlah_sma"))
        n_health = int(desa_cols["jumlah_puskesmas_pustu"][j] + desa_cols["jumlah_polindes_poskesdes"][j])
        for use, count in ((PURA, 3), (KANTOR, 1), (SEKOLAH, n_school), (FASKES, n_health)):
            uses += [(start + int(rng.integers(0, k)), use) for _ in range(count)]
        for banjar, use in uses:
            desa_l.append(j)
            banjar_l.append(banjar)
            use_l.append(use)
        start += k
    return desa_l, banjar_l, use_l


def _household_extras(ctx: Context, rt_cols: Columns, rng) -> tuple[np.ndarray, np.ndarray]:
    """Households' separate warung and homestay buildings: (household row, use)."""
    n = len(ctx.pop.rt_desa)
    shop = np.isin(rt_cols["usaha_rumah_tangga"], [5, 6]) & (rng.random(n) < 0.3)
    homestay = (rt_cols["usaha_pariwisata"] == 2) & (rng.random(n) < 0.7)
    store = rng.random(n) < 0.01
    rows = np.r_[np.flatnonzero(shop), np.flatnonzero(homestay), np.flatnonzero(store)]
    uses = np.r_[np.full(shop.sum(), USAHA), np.full(homestay.sum(), AKOMODASI), np.full(store.sum(), GUDANG)]
    return rows, uses


def _attributes(ctx: Context, use: np.ndarray, rt: np.ndarray, rt_cols: Columns, rng) -> Columns:
    n = len(use)
    home = rt >= 0
    w = np.where(home, ctx.welfare.w[np.maximum(rt, 0)], 0.8)
    ref_year = int(str(ctx.pop.ref)[:4])
    area, year, storeys = np.empty(n), np.empty(n), np.ones(n)
    area[home] = rt_cols["luas_lantai"][rt[home]]
    year[home] = ref_year - np.minimum(rng.exponential(16.0, int(home.sum())).astype(int), 90)
    storeys[home] = 1 + (rng.random(int(home.sum())) < np.clip(0.06 + 0.08 * w[home], 0, 0.6))
    for u, (a0, a1, y0, y1, two) in _SPEC.items():
        sel = use == u
        m = int(sel.sum())
        area[sel] = np.rint(a0 + rng.random(m) * (a1 - a0))
        year[sel] = np.minimum(rng.integers(y0, y1 + 1, m), ref_year)
        storeys[sel] = 1 + (rng.random(m) < two)
    condition = tilted(rng, [1, 2, 3, 4], [0.68, 0.22, 0.07, 0.03], [0.5, -0.2, -0.6, -1.0], w)
    return {"penggunaan_bangunan": use.astype(float), "jumlah_lantai_bangunan": storeys,
            "kondisi_bangunan": condition, "luas_bangunan": np.clip(area, 4, 20000), "tahun_dibangun": year}


def buildings(ctx: Context, rt_cols: Columns, desa_cols: Columns) -> Buildings:
    rng = ctx.rng("bangunan")
    pop = ctx.pop
    n_rt = len(pop.rt_desa)
    mixed = np.isin(rt_cols["usaha_rumah_tangga"], [5, 6, 7]) & (rng.random(n_rt) < 0.5)
    extra_rt, extra_use = _household_extras(ctx, rt_cols, rng)
    d_desa, d_banjar, d_use = _desa_buildings(ctx, desa_cols, rng)
    desa = np.r_[pop.rt_desa, pop.rt_desa[extra_rt], d_desa].astype(np.int64)
    banjar = np.r_[pop.rt_banjar, pop.rt_banjar[extra_rt], d_banjar].astype(np.int64)
    use = np.r_[np.where(mixed, TINGGAL_USAHA, TINGGAL), extra_use, d_use].astype(np.int64)
    rt = np.r_[np.arange(n_rt), np.full(len(extra_rt) + len(d_use), -1)]
    order = np.lexsort((np.arange(len(desa)), banjar, desa))  # grouped by desa and banjar, stable
    desa, banjar, use, rt = desa[order], banjar[order], use[order], rt[order]
    rt_building = np.empty(n_rt, dtype=np.int64)
    rt_building[rt[rt >= 0]] = np.flatnonzero(rt >= 0)
    lat, lng = _locate(ctx, desa, banjar)
    cols = _attributes(ctx, use, rt, rt_cols, rng)
    return Buildings(desa=desa, banjar=banjar, lat=lat, lng=lng, cols=cols, rt_building=rt_building)


def _locate(ctx: Context, desa: np.ndarray, banjar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lat, lng = np.empty(len(desa)), np.empty(len(desa))
    centre = tuple(ctx.kal["titik_pusat"])
    start = 0
    for j, d in enumerate(ctx.frame.desa):
        k = len(ctx.frame.banjar[d.kode])
        sampler = DesaSampler(d, fallback_point(j, centre), ctx.rng("geo", d.kode))
        cx, cy = sampler.uniform(k)
        sel = np.flatnonzero(desa == j)
        if len(sel):
            x, y = sampler.around(cx, cy, banjar[sel] - start)
            lng[sel], lat[sel] = x, y
        start += k
    return lat, lng
