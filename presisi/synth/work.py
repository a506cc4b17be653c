"""Work in the reference week (15+), its sector, status, hours and income, and the KK occupation.

Participation follows age and sex (Balinese women work a lot); open unemployment is
concentrated among the young; the sector mix comes from the area's calibration (Nusa
Penida: farming, seaweed and, around Lembongan, tourism) tilted by education and sex.
The occupation printed on the KK (pekerjaan) is derived from the same draw so that the
administrative column agrees with the survey variables.
"""

from __future__ import annotations

import numpy as np

from presisi.registry.models import PEREMPUAN
from presisi.synth.context import Columns, Context
from presisi.synth.draws import NAN, choose_rows, shares_matrix, yes_no

SECTORS = list(range(1, 13))
_EDU_TILT = np.array([-0.5, -0.4, -0.5, -0.2, -0.5, 0.0, 0.2, -0.1, 1.3, 1.2, 1.0, 0.1])
_FEMALE_TILT = np.array([0.0, -0.3, -1.0, 0.4, -2.5, 0.6, 0.2, -2.0, 0.5, 0.8, -0.3, 0.1])
# status_pekerjaan shares per sector (codes 1–7)
_STATUS = {
    1: [.35, .25, 0, .05, .15, 0, .20], 2: [.45, .2, 0, .05, .1, 0, .2], 3: [.35, .2, 0, .15, .1, 0, .2],
    4: [.35, .15, .05, .3, 0, 0, .15], 5: [.1, 0, .05, .45, 0, .4, 0], 6: [.45, .2, .05, .15, 0, 0, .15],
    7: [.15, .08, .07, .65, 0, 0, .05], 8: [.5, 0, 0, .35, 0, .15, 0], 9: [0, 0, 0, 1, 0, 0, 0],
    10: [.15, 0, 0, .85, 0, 0, 0], 11: [0, 0, 0, 1, 0, 0, 0], 12: [.35, .1, 0, .35, 0, .2, 0],
}
_TOURISM_BY_SECTOR = np.array([0.01, 0.01, 0.08, 0.15, 0.03, 0.12, 0.95, 0.35, 0.0, 0.01, 0.0, 0.2])
_INCOME_BY_SECTOR = np.array([-0.35, -0.3, -0.15, -0.1, 0.0, 0.0, 0.15, 0.0, 0.2, 0.25, 0.25, -0.05])


def _participation(ctx: Context) -> np.ndarray:
    age, female = ctx.age_exact, ctx.pop.sex == PEREMPUAN
    knots = [15, 20, 25, 55, 60, 65, 70, 75, 85]
    men = np.interp(age, knots, [.55, .82, .96, .95, .88, .75, .55, .35, .12])
    women = np.interp(age, knots, [.42, .66, .78, .76, .66, .5, .36, .2, .06])
    return np.where(female, women, men)


def labour_status(ctx: Context) -> np.ndarray:
    """kegiatan_utama code per person aged 15+ (NaN below 15)."""
    rng = ctx.rng("kerja", "kegiatan")
    n, age = len(ctx.pop), ctx.age_exact
    adult = age >= 15
    school = ctx.notes["sekolah"] & adult
    in_lf = adult & ~school & (rng.random(n) < _participation(ctx))
    p_unemp = np.interp(age, [15, 20, 25, 30, 60], [.15, .11, .04, .013, .006])
    unemployed = in_lf & (rng.random(n) < p_unemp)
    unemp_code = np.array([3, 4, 5, 6])[rng.choice(4, size=n, p=[.65, .1, .1, .15])]
    worker_code = np.where(rng.random(n) < 0.97, 1, 2)
    female = ctx.pop.sex == PEREMPUAN
    outside = np.where(female & (rng.random(n) < 0.85), 8, np.where(~female & (rng.random(n) < 0.1), 8, 9))
    code = np.select([~adult, school, unemployed, in_lf], [NAN, 7, unemp_code, worker_code], outside)
    return code.astype(float)


def sectors(ctx: Context, working: np.ndarray) -> np.ndarray:
    rng = ctx.rng("kerja", "lapangan")
    base = shares_matrix(ctx.desa_shares("lapangan_usaha"), SECTORS)[ctx.pop.desa]
    tourism = ctx.person_param("pariwisata")
    base[:, 6] *= 0.4 + 4.0 * tourism  # accommodation and food grow with the area's tourism
    edu = (ctx.notes["pendidikan_akhir"] - 5.0) / 2.0
    female = (ctx.pop.sex == PEREMPUAN).astype(float)
    logits = _EDU_TILT[None, :] * edu[:, None] + _FEMALE_TILT[None, :] * female[:, None]
    out = np.full(len(ctx.pop), NAN)
    out[working] = np.asarray(SECTORS, dtype=float)[choose_rows(rng, (base * np.exp(logits))[working])]
    return out


def work(ctx: Context) -> Columns:
    rng = ctx.rng("kerja", "rincian")
    n = len(ctx.pop)
    kegiatan = labour_status(ctx)
    working = np.isin(kegiatan, [1, 2])
    sector = sectors(ctx, working)
    sec_idx = np.where(working, np.nan_to_num(sector, nan=1).astype(int) - 1, 0)
    status_probs = np.array([_STATUS[s] for s in SECTORS])[sec_idx]
    status = np.where(working, choose_rows(rng, status_probs) + 1.0, NAN)
    tourism = ctx.person_param("pariwisata")
    p_tour = np.clip(_TOURISM_BY_SECTOR[sec_idx] * (0.6 + 2.0 * tourism), 0, 0.98)
    hours_mean = np.where(np.isin(sector, [1, 2]) | (status == 7), 32.0, np.where(sector == 7, 48.0, 43.0))
    hours = np.clip(np.rint(rng.normal(hours_mean, 10.0)), 1, 98)
    edu = ctx.notes["pendidikan_akhir"]
    log_inc = (np.log(float(ctx.kal["upah_median"])) + 0.12 * (edu - 5) + 0.25 * ctx.w
               + _INCOME_BY_SECTOR[sec_idx] + rng.normal(0.0, 0.45, n))
    income = np.where(status == 7, 0.0, np.round(np.exp(log_inc) / 10_000.0) * 10_000.0)
    ctx.notes.update(kegiatan=kegiatan, lapangan=sector, status_kerja=status)
    return {
        "kegiatan_seminggu": kegiatan,
        "jam_kerja_seminggu": np.where(kegiatan == 1, hours, NAN),
        "lapangan_usaha": sector,
        "status_pekerjaan": status,
        "bekerja_sektor_pariwisata": yes_no(rng.random(n) < p_tour, working),
        "pendapatan_sebulan": np.where(working, income, NAN),
    }
