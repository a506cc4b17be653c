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
    order: np.ndarray  # birth order among the mother's children (1 = eldest), 0 when unknown

    @staticmethod
    def concat(blocks: list[Members]) -> Members:
        return Members(*(np.concatenate([getattr(b, f) for b in blocks]) for f in Members.__dataclass_fields__))

    def take(self, idx: np.ndarray) -> Members:
        return Members(*(getattr(self, f)[idx] for f in Members.__dataclass_fields__))


def _block(fam, shdk, sex, age, kawin, slot, father=S_NONE, mother=S_NONE, order=0) -> Members:
    n = len(fam)
    full = lambda v, dt: np.broadcast_to(np.asarray(v, dtype=dt), (n,)).copy()  # noqa: E731
    return Members(fam.astype(np.int64), full(shdk, np.int8), full(sex, np.int8), age.astype(float),
                   full(kawin, np.int8), full(slot, np.int8), full(father, np.int8), full(mother, np.int8),
                   full(order, np.int8))


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


def _parents_of_children(heads: Members, spouses: Members, n_fam: int, rng) -> tuple[np.ndarray, ...]:
    """Per family: mother age, father age (virtual when absent) and their slots."""
    mother_age, father_age = np.full(n_fam, np.nan), np.full(n_fam, np.nan)
    mother_slot, father_slot = np.full(n_fam, S_NONE), np.full(n_fam, S_NONE)
    for block, slot in ((heads, S_HEAD), (spouses, S_SPOUSE)):
        fem = block.sex == PEREMPUAN
        mother_age[block.fam[fem]], mother_slot[block.fam[fem]] = block.age[fem], slot
        father_age[block.fam[~fem]], father_slot[block.fam[~fem]] = block.age[~fem], slot
    gap = np.clip(rng.normal(4.0, 3.0, n_fam), -2.0, 10.0)
    mother_age = np.where(np.isnan(mother_age), father_age - gap, mother_age)
    father_age = np.where(np.isnan(father_age), mother_age + gap, father_age)
    return mother_age, father_age, mother_slot, father_slot


def _birth_ages(rng, n: int, births: list[float], k: int = 6) -> np.ndarray:
    """Mother's age at each of up to ``k`` births (NaN where there is no such birth)."""
    n_births = rng.choice(len(births), size=n, p=np.asarray(births) / np.sum(births))
    first = np.clip(rng.normal(24.5, 3.8, n), 17.0, 38.0)
    steps = 1.3 + rng.gamma(2.0, 1.3, (n, k))
    steps[:, 0] = 0.0
    ages = first[:, None] + np.cumsum(steps, axis=1)
    ages[np.arange(k)[None, :] >= n_births[:, None]] = np.nan
    return ages


def _stay_probability(age: np.ndarray, sex: np.ndarray) -> np.ndarray:
    """Grown children leave the card when they marry; daughters (who marry out) earlier."""
    knots = np.array([17.0, 21.0, 25.0, 29.0, 34.0, 45.0])
    sons = np.array([1.0, 0.93, 0.7, 0.42, 0.22, 0.1])
    daughters = np.array([1.0, 0.85, 0.5, 0.25, 0.12, 0.06])
    return np.where(sex == LAKI_LAKI, np.interp(age, knots, sons), np.interp(age, knots, daughters))


def _children(rng, heads: Members, spouses: Members, kind_has_kids: np.ndarray, prm: FamilyParams) -> Members:
    n_fam = len(heads.fam)
    m_age, f_age, m_slot, f_slot = _parents_of_children(heads, spouses, n_fam, rng)
    births = _birth_ages(rng, n_fam, prm.births)
    child_age = m_age[:, None] - births
    father_gap = f_age[:, None] - child_age
    ok = (~np.isnan(births)) & (births <= 44.5) & (child_age > 0.0) & kind_has_kids[:, None]
    ok &= (father_gap >= GAP_MIN) & (father_gap <= GAP_MAX)
    fam, col = np.nonzero(ok)
    age = child_age[fam, col]
    sex = np.where(rng.random(len(fam)) < prm.p_male, LAKI_LAKI, PEREMPUAN)
    keep = rng.random(len(fam)) < _stay_probability(age, sex)
    fam, age, sex, order = fam[keep], age[keep], sex[keep], col[keep] + 1
    # Birth order counts the siblings who already left the card: it decides the Balinese name.
    return _block(fam, ANAK, sex, age, BELUM_KAWIN, S_NONE, f_slot[fam], m_slot[fam], order)


def _elders(rng, young: Members, p: float, shdk: int, slots: tuple[int, int]) -> Members:
    """Parents of ``young`` members (head → Orangtua, spouse → Mertua) living on the card."""
    pick = (rng.random(len(young.fam)) < p) & (young.age < 58)
    fam, base = young.fam[pick], young.age[pick]
    m_age = base + rng.uniform(GAP_MIN + 3, 36.0, len(fam))
    f_age = m_age + np.clip(rng.normal(4.0, 3.5, len(fam)), -3.0, 12.0)
    who = rng.random(len(fam))  # mother only, both, or father only (women outlive men)
    has_m = (who < 0.85) & (m_age < 97)
    has_f = (who >= 0.5) & (f_age - base <= GAP_MAX) & (f_age - base >= GAP_MIN) & (f_age < 96)
    both = has_m & has_f
    kawin_m = np.where(both, KAWIN, CERAI_MATI)
    mothers = _block(fam[has_m], shdk, PEREMPUAN, m_age[has_m], kawin_m[has_m], slots[1])
    fathers = _block(fam[has_f], shdk, LAKI_LAKI, f_age[has_f], np.where(both, KAWIN, CERAI_MATI)[has_f], slots[0])
    return Members.concat([mothers, fathers])


def _third_generation(rng, heads: Members, spouses: Members, prm: FamilyParams) -> Members:
    """A married son with his wife and children kept on the card of an older couple."""
    m_age, f_age, m_slot, f_slot = _parents_of_children(heads, spouses, len(heads.fam), rng)
    couple = np.zeros(len(heads.fam), dtype=bool)
    couple[spouses.fam] = True
    pick = couple & (f_age >= 48) & (rng.random(len(couple)) < prm.p_tiga_generasi)
    fam = np.flatnonzero(pick)
    son_age = m_age[fam] - rng.uniform(21.0, 36.0, len(fam))
    ok = (son_age >= 22.0) & (f_age[fam] - son_age <= GAP_MAX)
    fam, son_age = fam[ok], son_age[ok]
    son = _block(fam, ANAK, LAKI_LAKI, son_age, KAWIN, S_SON, f_slot[fam], m_slot[fam])
    wife_age = np.maximum(son_age - np.clip(rng.normal(3.0, 3.0, len(fam)), -3.0, 10.0), 19.0)
    menantu = _block(fam, MENANTU, PEREMPUAN, wife_age, KAWIN, S_MENANTU)
    births = _birth_ages(rng, len(fam), [0.15, 0.35, 0.38, 0.12], k=3)
    cucu_age = wife_age[:, None] - births
    gap_f = son_age[:, None] - cucu_age
    ok = (~np.isnan(births)) & (cucu_age > 0) & (births >= GAP_MIN) & (gap_f >= GAP_MIN) & (gap_f <= GAP_MAX)
    row, col = np.nonzero(ok)
    sex = np.where(rng.random(len(row)) < prm.p_male, LAKI_LAKI, PEREMPUAN)
    cucu = _block(fam[row], CUCU, sex, cucu_age[ok], BELUM_KAWIN, S_NONE, S_SON, S_MENANTU, col + 1)
    return Members.concat([son, menantu, cucu])


def _relatives(rng, heads: Members, p: float) -> Members:
    """Famili lain: a niece, nephew or sibling of the head."""
    pick = rng.random(len(heads.fam)) < p
    fam = heads.fam[pick]
    age = rng.uniform(6.0, 70.0, len(fam))
    kawin = np.where(age < 20, BELUM_KAWIN, np.where(rng.random(len(fam)) < 0.7, BELUM_KAWIN, CERAI_MATI))
    sex = np.where(rng.random(len(fam)) < 0.5, LAKI_LAKI, PEREMPUAN)
    return _block(fam, FAMILI_LAIN, sex, age, kawin, S_NONE)


def _draw(rng, n_fam: int, prm: FamilyParams) -> Members:
    kind, heads = _heads(rng, n_fam, prm)
    names = list(prm.kinds)
    couple = kind == names.index("pasangan")
    spouses = _spouses(rng, heads, couple)
    blocks = [heads, spouses, _children(rng, heads, spouses, kind != names.index("lajang"), prm)]
    blocks.append(_elders(rng, heads.take(kind != names.index("cerai")), prm.p_orangtua, ORANGTUA,
                          (S_ORTU_M, S_ORTU_F)))
    blocks.append(_elders(rng, spouses, prm.p_mertua, MERTUA, (S_MERTUA_M, S_MERTUA_F)))
    blocks.append(_third_generation(rng, heads, spouses, prm))
    blocks.append(_relatives(rng, heads, prm.p_famili_lain))
    members = Members.concat(blocks)
    rank = np.array([_RANK.get(i, 9) for i in range(12)])[members.shdk]
    return members.take(np.lexsort((-members.age, rank, members.fam)))


def build_families(rng: np.random.Generator, target_people: int, prm: FamilyParams) -> Members:
    """Whole families whose members add up to about ``target_people`` (within one family)."""
    n_fam = int(target_people / 3.0) + 16
    members = _draw(rng, n_fam, prm)
    cum = np.cumsum(np.bincount(members.fam, minlength=n_fam))
    if cum[-1] < target_people:  # cannot happen with the margin above; a clear failure if it does
        raise RuntimeError("generator keluarga menghasilkan terlalu sedikit penduduk")
    n_keep = int(np.searchsorted(cum, target_people)) + 1
    if n_keep > 1 and target_people - cum[n_keep - 2] < cum[n_keep - 1] - target_people:
        n_keep -= 1
    return members.take(np.flatnonzero(members.fam < n_keep))


def parent_rows(members: Members) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of each member's father and mother on the same card (-1 when absent)."""
    n_fam = int(members.fam.max()) + 1 if len(members.fam) else 0
    pos = np.full((S_NONE + 1, n_fam), -1, dtype=np.int64)
    has_slot = members.slot != S_NONE
    pos[members.slot[has_slot], members.fam[has_slot]] = np.flatnonzero(has_slot)
    return pos[members.father, members.fam], pos[members.mother, members.fam]
