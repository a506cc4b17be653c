"""Health: Washington Group functioning, chronic illness, pregnancy, contraception, immunisation,
smoking and health insurance.

Disability (a lot of difficulty or cannot do at all in at least one domain) rises steeply
with age, from about 1% of children to a quarter of the very old, giving 2–4% of people
aged 5+. Pregnancy is drawn for married women by age; contraception is recorded on the
partner who uses the method (female methods on the wife, condoms and vasectomy on the
husband), as codes.md §6 rule 4 requires.
"""

from __future__ import annotations

import numpy as np

from presisi.registry.models import LAKI_LAKI, PEREMPUAN
from presisi.synth.context import Columns, Context
from presisi.synth.draws import NAN, bernoulli_logit, blank, choose_rows, yes_no
from presisi.synth.families import ISTRI, KAWIN, KEPALA, MENANTU, SUAMI

WG = ["wg_melihat", "wg_mendengar", "wg_berjalan", "wg_mengingat", "wg_mengurus_diri", "wg_berkomunikasi"]
_AGES = [5, 40, 50, 70, 90]
_MILD = [[.02, .04, .15, .30, .45], [.005, .01, .03, .12, .30], [.005, .01, .04, .15, .35],
         [.005, .01, .02, .08, .25], [.002, .003, .005, .03, .12], [.003, .004, .005, .02, .08]]
_SEVERE_DOMAIN_YOUNG = [0.15, 0.10, 0.25, 0.25, 0.05, 0.20]
_SEVERE_DOMAIN_OLD = [0.30, 0.20, 0.35, 0.10, 0.03, 0.02]


def functioning(ctx: Context) -> Columns:
    """Six WG domains (1 none … 4 cannot do at all) for people aged 5+."""
    rng = ctx.rng("kesehatan", "wg")
    n, age = len(ctx.pop), ctx.age_exact
    p_severe = np.interp(age, [5, 18, 40, 60, 70, 80, 90], [.008, .009, .012, .035, .07, .15, .28])
    severe = rng.random(n) < p_severe * np.exp(-0.15 * ctx.w)
    codes = np.ones((n, 6))
    for d in range(6):
        codes[rng.random(n) < np.interp(age, _AGES, _MILD[d]), d] = 2
    old = age >= 50
    weights = np.where(old[:, None], _SEVERE_DOMAIN_OLD, _SEVERE_DOMAIN_YOUNG)
    n_domains = np.where(severe, rng.choice([1, 2, 3], size=n, p=[0.6, 0.25, 0.15]), 0)
    for k in range(3):
        pick = n_domains > k
        domain = choose_rows(rng, weights[pick])
        codes[np.flatnonzero(pick), domain] = np.where(rng.random(int(pick.sum())) < 0.75, 3, 4)
    codes[age < 5] = NAN
    ctx.notes["disabilitas_berat"] = (codes >= 3).any(axis=1)
    return {name: codes[:, d] for d, name in enumerate(WG)}


_CHRONIC_AGES = [0, 20, 40, 60, 75, 90]
_CHRONIC = {  # sakit_menahun code → prevalence at the ages above
    1: [0, .001, .005, .025, .05, .06], 2: [0, .001, .002, .005, .006, .006], 3: [.001, .001, .002, .006, .01, .012],
    4: [0, .0005, .002, .006, .01, .01], 5: [0, 0, .002, .012, .03, .04], 6: [0, .001, .01, .05, .07, .06],
    7: [0, .001, .002, .008, .012, .012], 11: [.001, .004, .004, .004, .004, .004],
    12: [.0005, .001, .002, .003, .004, .004], 13: [.01, .01, .01, .015, .02, .02],
}


def chronic(ctx: Context) -> np.ndarray:
    """Main chronic illness (sakit_menahun; 14 = none); non-communicable diseases grow with age."""
    rng = ctx.rng("kesehatan", "kronis")
    age = ctx.age_exact
    probs = np.column_stack([np.interp(age, _CHRONIC_AGES, p) for p in _CHRONIC.values()])
    probs = np.column_stack([probs, 1.0 - probs.sum(axis=1)])
    return np.array([*_CHRONIC, 14], dtype=float)[choose_rows(rng, probs)]


def pregnancy(ctx: Context) -> np.ndarray:
    """hamil for women 10–54: about 3% of women 15–49, only married women."""
    rng = ctx.rng("kesehatan", "hamil")
    pop, age = ctx.pop, ctx.age_exact
    women = (pop.sex == PEREMPUAN) & (age >= 10) & (age < 55)
    p = np.interp(age, [15, 20, 25, 30, 35, 40, 45, 49.9, 50], [.11, .10, .095, .077, .05, .02, .004, .001, 0])
    pregnant = women & (pop.kawin == KAWIN) & (rng.random(len(pop)) < p)
    ctx.notes["hamil"] = pregnant
    return yes_no(pregnant, women)


def contraception(ctx: Context) -> np.ndarray:
    """cara_kb on the partner who uses it; couples with a wife of 15–49 who is not pregnant."""
    rng = ctx.rng("kesehatan", "kb")
    pop, age = ctx.pop, ctx.age_exact
    out = blank(len(pop))
    wives = np.flatnonzero((pop.sex == PEREMPUAN) & (pop.kawin == KAWIN) & (age >= 15) & (age < 50)
                           & np.isin(pop.shdk, [KEPALA, ISTRI, MENANTU]) & ~ctx.notes["hamil"])
    husband = _husband_rows(pop, wives)
    users = wives[(husband >= 0) & bernoulli_logit(rng, 0.62, 0.15, ctx.w[wives])[husband >= 0]]
    husband_of_user = _husband_rows(pop, users)
    method = np.array([1, 2, 3, 5, 6, 99, 4, 7], dtype=float)[
        rng.choice(8, size=len(users), p=[.10, .27, .34, .08, .05, .02, .09, .05])]
    male_method = np.isin(method, [4, 7])
    out[users[~male_method]] = method[~male_method]
    out[husband_of_user[male_method]] = method[male_method]
    return out


def _husband_rows(pop, wives: np.ndarray) -> np.ndarray:
    """Row of each wife's husband on the same card (head/suami, or the married son for a menantu)."""
    head = pop.fam_head[pop.fam[wives]]
    spouse_of_head = np.where(pop.shdk[wives] == KEPALA, _first_role(pop, SUAMI)[pop.fam[wives]], head)
    married_son = _first_role(pop, 4, married=True)[pop.fam[wives]]
    rows = np.where(pop.shdk[wives] == MENANTU, married_son, spouse_of_head)
    ok = rows >= 0
    rows[ok & (pop.sex[np.maximum(rows, 0)] != LAKI_LAKI)] = -1
    return rows


def _first_role(pop, role: int, married: bool = False) -> np.ndarray:
    n_fam = len(pop.fam_head)
    out = np.full(n_fam, -1, dtype=np.int64)
    sel = np.flatnonzero((pop.shdk == role) & ((pop.kawin == KAWIN) if married else True))
    out[pop.fam[sel][::-1]] = sel[::-1]
    return out


def immunisation(ctx: Context) -> np.ndarray:
    """imunisasi_dasar_lengkap for children aged 12–59 months (about 90%, lower when poor)."""
    rng = ctx.rng("kesehatan", "imunisasi")
    months = ctx.age_days / 30.4375
    applicable = (months >= 12) & (months < 60)
    return yes_no(bernoulli_logit(rng, 0.9, 0.35, ctx.w), applicable)


def smoking(ctx: Context) -> np.ndarray:
    """merokok for people aged 10+: mostly adult men."""
    rng = ctx.rng("kesehatan", "rokok")
    age, male = ctx.age_exact, ctx.pop.sex == LAKI_LAKI
    p = np.where(male, np.interp(age, [10, 15, 20, 30, 60, 80], [.01, .12, .38, .45, .38, .2]),
                 np.interp(age, [10, 20, 60], [.001, .01, .02]))
    return yes_no(rng.random(len(age)) < p, age >= 10)
