"""Schooling: highest level completed (KK column), school participation, current level, years, literacy.

Each person gets a *final* level from the attainment table of their birth cohort (older
Balinese, older women especially, often had little schooling), ranked by household
welfare so that better-off households are better educated. Young people whose final
level is still ahead of them are at school at the level that fits their age; the others
left school with that level.
"""

from __future__ import annotations

import numpy as np

from presisi.registry.models import PEREMPUAN
from presisi.synth.context import Columns, Context
from presisi.synth.draws import NAN, blank, yes_no

YEARS = np.array([0, 0, 3, 6, 9, 12, 14, 15, 16, 18, 21], dtype=float)  # lama sekolah per pendidikan_kk code
# Age of leaving school for each final level (lower bound, spread).
LEAVE_AGE = {2: (8.0, 4.0), 3: (12.5, 1.0), 4: (15.5, 1.0), 5: (18.5, 1.0), 6: (20.0, 1.0), 7: (21.0, 1.0),
             8: (22.0, 1.5), 9: (24.5, 2.0), 10: (29.0, 4.0)}
PAUD, SD, SMP, SMA, PT, SLB = 1, 2, 3, 4, 5, 6


def _cohort_table(ctx: Context) -> tuple[np.ndarray, list[np.ndarray]]:
    """Upper birth year of each cohort and the cumulative shares of levels 1–10 in it."""
    table = ctx.kal["pendidikan_kohort"]
    upper = np.array([float(row["lahir_sampai"]) for row in table])
    cdfs = []
    for row in table:
        p = np.array([float(row["sebaran"].get(c, 0.0)) for c in range(1, 11)])
        cdfs.append(np.cumsum(p / p.sum()))
    return upper, cdfs


def final_levels(ctx: Context) -> np.ndarray:
    """Final pendidikan_kk level per person: cohort shares, ranked by welfare (and sex, for elders)."""
    rng = ctx.rng("pendidikan", "akhir")
    pop = ctx.pop
    year = pop.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    female_gap = np.clip((1985 - year) / 40.0, 0.0, 1.0) * 0.6  # the schooling gap closed for younger women
    score = 0.6 * ctx.w + rng.normal(0.0, 0.8, len(pop)) - np.where(pop.sex == PEREMPUAN, female_gap, 0.0)
    upper, cdfs = _cohort_table(ctx)
    cohort = np.minimum(np.searchsorted(upper, year), len(cdfs) - 1)
    level = np.ones(len(pop), dtype=np.int64)
    for c, cdf in enumerate(cdfs):
        sel = np.flatnonzero(cohort == c)
        if len(sel) == 0:
            continue
        pct = (np.argsort(np.argsort(score[sel], kind="stable")) + 0.5) / len(sel)
        level[sel] = 1 + np.minimum(np.searchsorted(cdf, pct), 9)
    return level


def _leave_ages(rng, final: np.ndarray) -> np.ndarray:
    low = np.array([LEAVE_AGE.get(int(f), (0.0, 0.0))[0] for f in range(11)])[final]
    spread = np.array([LEAVE_AGE.get(int(f), (0.0, 0.0))[1] for f in range(11)])[final]
    return low + rng.random(len(final)) * spread


def _level_for_age(age: np.ndarray) -> np.ndarray:
    return np.select([age < 13, age < 16, age < 19], [SD, SMP, SMA], PT)


def education(ctx: Context) -> Columns:
    rng = ctx.rng("pendidikan", "jalur")
    n, age = len(ctx.pop), ctx.age_exact
    final = final_levels(ctx)
    disabled = ctx.notes.get("disabilitas_berat", np.zeros(n, dtype=bool))
    final = np.where(disabled & (rng.random(n) < 0.35), 1, final)  # some severely disabled never attend
    leave = _leave_ages(rng, final)
    school_age = age >= 7
    in_school = school_age & (final > 1) & (age < leave)
    paud = (age >= 5) & (age < 7) & (rng.random(n) < np.clip(0.72 + 0.08 * ctx.w, 0.3, 0.97))
    jenjang = np.where(in_school, _level_for_age(age), np.where(paud, PAUD, NAN)).astype(float)
    jenjang[in_school & disabled & (rng.random(n) < 0.5)] = SLB
    done_in_school = np.select([age < 13, age < 16, age < 19], [2, 3, 4], np.where(final >= 9, 8, 5))
    pendidikan = np.where(in_school, done_in_school, np.where(school_age, final, 1))
    dropout_years = np.clip(np.floor(leave - 7.0), 1, 5)
    lama = np.where(in_school, np.clip(np.floor(age - 7.0), 0, 21), np.where(final == 2, dropout_years,
                                                                               YEARS[pendidikan]))
    lama = np.where(school_age, lama, 0.0)
    participation = np.where(in_school | paud, 2, np.where(school_age & (final > 1), 3, 1)).astype(float)
    ctx.notes.update(sekolah=in_school | paud, pendidikan_akhir=final)
    five_plus = age >= 5
    return {
        "pendidikan": pendidikan.astype(float),
        "partisipasi_sekolah": np.where(five_plus, participation, NAN),
        "jenjang_sekolah": np.where(five_plus, jenjang, NAN),
        "lama_sekolah": np.where(five_plus, lama, NAN),
        "bisa_baca_tulis": _literacy(rng, ctx, final, in_school, five_plus),
    }


def _literacy(rng, ctx: Context, final: np.ndarray, in_school: np.ndarray, five_plus: np.ndarray) -> np.ndarray:
    age = ctx.age_exact
    p = np.select([age < 7, final == 1, final == 2], [np.clip((age - 5.0) * 0.2, 0, 0.4), 0.12, 0.7], 0.995)
    p = np.where(in_school & (age >= 8), 1.0, p)
    out = yes_no(rng.random(len(age)) < p)
    return np.where(five_plus, out, blank(len(age)))
