"""Child anthropometry (0–59 months) drawn from target z-scores through the WHO standards.

Each child gets a height-for-age z drawn from a normal distribution whose mean is solved
so that the kecamatan's stunting prevalence (HAZ < −2) matches its calibrated target, and
nudged by household welfare; the length/height with that z comes from the WHO LMS tables
(``presisi.indicators.growth.value_for_z``) at the child's age in days on the day of
weighing. Weight follows from a weight-for-length/height z, MUAC from the same z.
"""

from __future__ import annotations

import numpy as np

from presisi.indicators import growth
from presisi.synth.context import Columns, Context
from presisi.synth.draws import NAN, blank, norm_ppf, yes_no

HAZ_SD = 1.0
HAZ_WELFARE = 0.3  # how much a better-off household raises the child's height z
MAX_DAYS = 1826  # under 60 months: age_days / 30.4375 < 60


def _target_haz(ctx: Context, rows: np.ndarray) -> np.ndarray:
    rng = ctx.rng("antropometri", "haz")
    w = ctx.w[rows]
    kec = np.array([k.rsplit(".", 1)[0] for k in ctx.desa_codes])[ctx.pop.desa[rows]]
    z = np.empty(len(rows))
    for code in np.unique(kec):
        sel = kec == code
        w_c = w[sel] - w[sel].mean()
        sd = float(np.sqrt(HAZ_SD**2 + HAZ_WELFARE**2 * w_c.var()))
        mean = -2.0 - norm_ppf(float(ctx.kal.param("stunting", str(code)))) * sd
        z[sel] = mean + HAZ_WELFARE * w_c + rng.normal(0.0, HAZ_SD, int(sel.sum()))
    return np.clip(z, -5.0, 4.0)


def _measure_dates(ctx: Context, rows: np.ndarray, rng) -> np.ndarray:
    """Last posyandu weighing: within about two months before the reference date."""
    birth = ctx.pop.birth[rows]
    when = ctx.pop.ref - rng.integers(0, 75, len(rows)).astype("timedelta64[D]")
    return np.maximum(when, birth + np.timedelta64(1, "D"))


def anthropometry(ctx: Context) -> Columns:
    rng = ctx.rng("antropometri", "ukur")
    n, pop = len(ctx.pop), ctx.pop
    balita = np.flatnonzero(ctx.age_days < MAX_DAYS)
    measured = balita[rng.random(len(balita)) < float(ctx.kal["cakupan_penimbangan"])]
    haz = _target_haz(ctx, measured)
    when = _measure_dates(ctx, measured, rng)
    age_days = (when - pop.birth[measured]).astype(np.int64)
    sex = pop.sex[measured].astype(int)
    height = np.asarray(growth.value_for_z("hfa", sex, age_days, haz), dtype=float)
    lying = age_days < 731
    whz = np.clip(rng.normal(-0.1 + 0.1 * ctx.w[measured], 0.95), -4.5, 4.0)
    weight = np.empty(len(measured))
    for indicator, sel, lo, hi in (("wfl", lying, 45.0, 110.0), ("wfh", ~lying, 65.0, 120.0)):
        if sel.any():
            key = np.clip(height[sel], lo, hi)
            weight[sel] = growth.value_for_z(indicator, sex[sel], key, whz[sel])
    months = age_days / 30.4375
    muac = np.clip(np.interp(months, [6, 12, 24, 59], [14.0, 14.6, 15.2, 15.9]) + 0.9 * whz
                   + rng.normal(0.0, 0.5, len(measured)), 8.0, 25.0)
    cols: Columns = {k: blank(n) for k in ("berat_badan", "panjang_tinggi_badan", "cara_ukur", "edema",
                                            "lingkar_lengan_atas")}
    cols["tanggal_ukur"] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    cols["tanggal_ukur"][measured] = when
    cols["panjang_tinggi_badan"][measured] = np.clip(np.round(height, 1), 38.0, 130.0)
    cols["berat_badan"][measured] = np.clip(np.round(weight, 1), 0.5, 40.0)
    cols["cara_ukur"][measured] = np.where(lying, 1.0, 2.0)
    cols["edema"][measured] = yes_no(np.zeros(len(measured), dtype=bool))
    cols["lingkar_lengan_atas"][measured] = np.where(months >= 6, np.round(muac, 1), NAN)
    return cols
