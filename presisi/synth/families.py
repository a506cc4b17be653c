"""Family (KK) structure: who lives on each family card, with ages, sexes and kinship.

Families are drawn kind by kind, fully vectorised: couples with their children, widowed
or divorced heads, young single heads; some couples keep the head's parents (Orangtua)
or the wife's parents (Mertua), and some older couples keep a married son with his wife
(Menantu) and children (Cucu) on the same card, as Balinese compounds often do. Ages
are continuous years; every parent–child age gap lies within 16–45 years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.registry.models import LAKI_LAKI, PEREMPUAN

KEPALA, SUAMI, ISTRI, ANAK, MENANTU, CUCU, ORANGTUA, MERTUA, FAMILI_LAIN = 1, 2, 3, 4, 5, 6, 7, 8, 9
BELUM_KAWIN, KAWIN, CERAI_HIDUP, CERAI_MATI = 1, 2, 3, 4
GAP_MIN, GAP_MAX = 16.5, 44.5  # parent–child age gap kept inside 16–45 with a margin
# Sort order of members on a card: head, spouse, children (eldest first), in-laws…
_RANK = {KEPALA: 0, SUAMI: 1, ISTRI: 1, ANAK: 2, MENANTU: 3, CUCU: 4, ORANGTUA: 5, MERTUA: 6, FAMILI_LAIN: 7}
# Slots name who a member's parents are inside the card (resolved to row numbers later).
S_HEAD, S_SPOUSE, S_ORTU_M, S_ORTU_F, S_MERTUA_M, S_MERTUA_F, S_SON, S_MENANTU, S_NONE = range(9)


@dataclass
class Members:
    """One block of card members; ``father``/``mother`` are slots of the same family."""

    fam: np.ndarray
    shdk: np.ndarray
    sex: np.ndarray
    age: np.ndarray
    kawin: np.ndarray
    slot: np.ndarray
    father: np.ndarray
    mother: np.ndarray

    @staticmethod
    def concat(blocks: list[Members]) -> Members:
        return Members(*(np.concatenate([getattr(b, f) for b in blocks]) for f in Members.__dataclass_fields__))

    def take(self, idx: np.ndarray) -> Members:
        return Members(*(getattr(self, f)[idx] for f in Members.__dataclass_fields__))


def _block(fam, shdk, sex, age, kawin, slot, father=S_NONE, mother=S_NONE) -> Members:
    n = len(fam)
    full = lambda v, dt: np.broadcast_to(np.asarray(v, dtype=dt), (n,)).copy()  # noqa: E731
    return Members(fam.astype(np.int64), full(shdk, np.int8), full(sex, np.int8), age.astype(float),
                   full(kawin, np.int8), full(slot, np.int8), full(father, np.int8), full(mother, np.int8))


def _age_from_bands(rng: np.random.Generator, bands: dict[str, float], n: int) -> np.ndarray:
    """Continuous ages from a ``{"20-24": weight}`` table (uniform inside each band)."""
    lows = np.array([float(k.split("-")[0]) for k in bands])
    highs = np.array([float(k.split("-")[1]) + 1 for k in bands])
    w = np.array(list(bands.values()), dtype=float)
    pick = rng.choice(len(w), size=n, p=w / w.sum())
    return lows[pick] + rng.random(n) * (highs[pick] - lows[pick])


@dataclass
class FamilyParams:
    kinds: dict[str, float]
    head_age: dict[str, dict[str, float]]
    births: list[float]
    p_male: float
    p_orangtua: float
    p_mertua: float
    p_tiga_generasi: float
    p_famili_lain: float
    p_kepala_perempuan: float


def _heads(rng, n: int, prm: FamilyParams) -> tuple[np.ndarray, Members]:
    kind_names = list(prm.kinds)
    kw = np.array([prm.kinds[k] for k in kind_names], dtype=float)
    kind = rng.choice(len(kw), size=n, p=kw / kw.sum())
    age = np.zeros(n)
    for i, name in enumerate(kind_names):
        sel = kind == i
        age[sel] = _age_from_bands(rng, prm.head_age[name], int(sel.sum()))
    couple, widowed = kind == kind_names.index("pasangan"), kind == kind_names.index("cerai")
    female_p = np.where(couple, prm.p_kepala_perempuan, np.where(widowed, 0.72, 1.0 - prm.p_male - 0.08))
    sex = np.where(rng.random(n) < female_p, PEREMPUAN, LAKI_LAKI)
    kawin = np.where(couple, KAWIN, np.where(widowed, np.where(rng.random(n) < 0.8, CERAI_MATI, CERAI_HIDUP),
                                             BELUM_KAWIN))
    fam = np.arange(n)
    return kind, _block(fam, KEPALA, sex, age, kawin, S_HEAD, S_ORTU_M, S_ORTU_F)


def _spouses(rng, heads: Members, couple: np.ndarray) -> Members:
    fam = heads.fam[couple]
    head_age, head_sex = heads.age[couple], heads.sex[couple]
    gap = np.clip(rng.normal(4.0, 3.5, len(fam)), -4.0, 14.0)  # husbands are usually a few years older
    age = np.where(head_sex == LAKI_LAKI, head_age - gap, head_age + gap)
    age = np.clip(age, 18.0 + rng.random(len(fam)) * 3, 95.0)
    sex = np.where(head_sex == LAKI_LAKI, PEREMPUAN, LAKI_LAKI)
    shdk = np.where(sex == PEREMPUAN, ISTRI, SUAMI)
    return _block(fam, shdk, sex, age, KAWIN, S_SPOUSE, S_MERTUA_M, S_MERTUA_F)
