"""Household dwelling, water, sanitation, energy and waste (REGSOSEK2022.K codes).

Base shares come from the area's calibration (Nusa Penida drinks rain-tank water more,
kelurahan have piped water and waste collection); each code's share is then tilted by
household welfare (see ``draws.tilted``), so poorer households more often have earth
floors, shared or no toilets, firewood and burnt rubbish.
"""

from __future__ import annotations

import numpy as np

from presisi.synth.context import Columns, Context
from presisi.synth.draws import NAN, shares_matrix, tilted

# variable → (codes, welfare tilt per code)
TILTS: dict[str, tuple[list[int], list[float]]] = {
    "status_kepemilikan_bangunan": ([1, 2, 3, 4, 5], [0.0, 0.3, -0.3, 0.4, -0.2]),
    "status_lahan": ([1, 2, 3, 4, 5, 6], [0.4, 0.0, -0.2, 0.3, -0.3, -0.6]),
    "jenis_lantai": ([1, 2, 3, 4, 5, 6, 7, 8, 9], [1.0, 0.5, 0.8, 0.0, -0.6, -0.7, -1.5, -2.0, -1.0]),
    "jenis_dinding": ([1, 2, 3, 4, 5, 6, 7], [0.4, -0.6, -0.6, -1.6, -1.0, -1.8, -1.0]),
    "jenis_atap": ([1, 2, 3, 4, 5, 6, 7, 8], [0.7, 0.2, -0.4, -0.5, 0.0, -1.5, -1.5, -1.0]),
    "sumber_air_minum": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [0.8, 0.1, 0.3, 0.2, -0.3, -1.2, -0.2, -1.2, -1.5,
                                                              -0.5, -1.0]),
    "sumber_air_mandi": ([3, 4, 5, 6, 7, 8, 9, 10, 11], [0.4, 0.2, -0.2, -1.2, -0.2, -1.2, -1.5, -0.4, -1.0]),
    "fasilitas_bab": ([1, 2, 3, 4, 5, 6], [0.5, -0.6, -0.8, -0.8, -1.2, -1.8]),
    "jenis_kloset": ([1, 2, 3, 4], [0.5, -0.3, -0.6, -1.0]),
    "pembuangan_tinja": ([1, 2, 3, 4, 5, 6], [0.4, 0.5, -0.8, -0.5, -1.0, -0.5]),
    "sumber_penerangan": ([1, 2, 3, 4], [0.3, -1.0, -1.0, -2.0]),
    "daya_listrik": ([1, 2, 3, 4, 5], [-1.2, -0.3, 0.4, 0.9, 1.3]),
    "bahan_bakar_memasak": ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [1.0, 0.6, 0.9, 0.0, 0.5, 0.0, -1.0, -1.0,
                                                                     -1.2, -1.6, -1.0, 0.3]),
    "pengelolaan_sampah": ([1, 2, 3, 4, 5, 6, 7], [0.4, 0.5, 0.2, -0.3, -0.3, -0.8, -1.0]),
}
# Round-trip minutes to fetch water: (share fetched on the premises, low, high) per source.
_WATER_TRIP = {1: (0.8, 2, 10), 2: (0.7, 2, 15), 3: (1.0, 0, 0), 4: (0.9, 3, 10), 5: (0.75, 3, 15),
               6: (0.5, 5, 20), 7: (0.2, 10, 40), 8: (0.1, 10, 45), 9: (0.05, 10, 60), 10: (0.9, 5, 20),
               11: (0.4, 5, 30)}


def draw(ctx: Context, name: str, rows: np.ndarray | None = None) -> np.ndarray:
    """One tilted categorical variable for all households (or the given rows; NaN elsewhere)."""
    pop = ctx.pop
    rows = np.arange(len(pop.rt_desa)) if rows is None else rows
    codes, tilt = TILTS[name]
    base = shares_matrix(ctx.desa_shares(name), codes)[pop.rt_desa[rows]]
    out = np.full(len(pop.rt_desa), NAN)
    out[rows] = tilted(ctx.rng("rumah", name), codes, base, tilt, ctx.welfare.w[rows])
    return out


def _water(ctx: Context) -> Columns:
    rng = ctx.rng("rumah", "air")
    drink = draw(ctx, "sumber_air_minum")
    bath = draw(ctx, "sumber_air_mandi")
    # Households that drink bottled or refill water bathe from another source; others mostly the same one.
    bath = np.where((drink > 2) & (rng.random(len(drink)) < 0.9), drink, bath)
    well_or_spring = (drink >= 4) & (drink <= 8)
    dist = _distance(rng, well_or_spring, ctx.welfare.w)
    on_site, low, high = (np.array([_WATER_TRIP[int(c)][i] for c in drink]) for i in range(3))
    trip = np.where(rng.random(len(drink)) < on_site, 0.0, np.rint(low + rng.random(len(drink)) * (high - low)))
    return {"sumber_air_minum": drink, "sumber_air_mandi": bath, "jarak_sumber_air_tinja": dist,
            "waktu_ambil_air": trip}


def _distance(rng, applicable: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Well or spring to the nearest septic tank: better-off compounds keep it further away."""
    out = tilted(rng, [1, 2, 3], np.array([0.22, 0.68, 0.10]), [-0.5, 0.3, 0.0], w)
    return np.where(applicable, out, NAN)


def _sanitation(ctx: Context) -> Columns:
    facility = draw(ctx, "fasilitas_bab")
    uses = facility <= 4
    closet = draw(ctx, "jenis_kloset", np.flatnonzero(uses))
    closet[~uses] = 5.0  # no facility used: recorded as such (code 5)
    disposal = draw(ctx, "pembuangan_tinja", np.flatnonzero(uses))
    return {"fasilitas_bab": facility, "jenis_kloset": closet, "pembuangan_tinja": disposal}


def _dwelling(ctx: Context) -> Columns:
    rng = ctx.rng("rumah", "luas")
    tenure = draw(ctx, "status_kepemilikan_bangunan")
    land = draw(ctx, "status_lahan", np.flatnonzero(tenure == 1))
    size = ctx.pop.rt_size.astype(float)
    area = 28.0 * np.power(size, 0.6) * np.exp(0.28 * ctx.welfare.w + rng.normal(0.0, 0.3, len(size)))
    return {"status_kepemilikan_bangunan": tenure, "status_lahan": land,
            "luas_lantai": np.clip(np.rint(area), 6.0, 2000.0), "jenis_lantai": draw(ctx, "jenis_lantai"),
            "jenis_dinding": draw(ctx, "jenis_dinding"), "jenis_atap": draw(ctx, "jenis_atap")}


def housing(ctx: Context) -> Columns:
    light = draw(ctx, "sumber_penerangan")
    cols: Columns = {**_dwelling(ctx), **_water(ctx), **_sanitation(ctx)}
    cols.update(sumber_penerangan=light, daya_listrik=draw(ctx, "daya_listrik", np.flatnonzero(light == 1)),
                bahan_bakar_memasak=draw(ctx, "bahan_bakar_memasak"),
                pengelolaan_sampah=draw(ctx, "pengelolaan_sampah"))
    return cols
