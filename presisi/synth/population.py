"""The synthetic population: people, family cards and households placed in desa and banjar.

Arrays are parallel: person arrays have one row per person (grouped by family, head
first), family arrays one row per card, household arrays one row per household. Dates
are numpy ``datetime64[D]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from presisi.synth.allocation import Allocation, banjar_shares
from presisi.synth.calibration import Kalibrasi
from presisi.synth.families import KEPALA, FamilyParams, Members, build_families, parent_rows
from presisi.synth.households import cut_sequence, pair_households
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream

DAYS_PER_YEAR = 365.2425


@dataclass
class Population:
    ref: np.datetime64
    # people
    fam: np.ndarray
    shdk: np.ndarray
    sex: np.ndarray
    kawin: np.ndarray
    birth: np.ndarray
    age: np.ndarray  # completed years at the reference date
    father: np.ndarray  # row of the father on the same card, -1 when not on it
    mother: np.ndarray
    order: np.ndarray  # birth order (1 = eldest) of children and grandchildren, 0 for the others
    rt: np.ndarray
    hub_rt: np.ndarray
    # families
    fam_desa: np.ndarray
    fam_banjar: np.ndarray  # index into the flat banjar list
    fam_rt: np.ndarray
    fam_head: np.ndarray
    # households
    rt_desa: np.ndarray
    rt_banjar: np.ndarray
    rt_head: np.ndarray
    rt_size: np.ndarray

    @property
    def desa(self) -> np.ndarray:
        return self.fam_desa[self.fam]

    @property
    def banjar(self) -> np.ndarray:
        return self.fam_banjar[self.fam]

    def __len__(self) -> int:
        return len(self.fam)


def family_params(kal: Kalibrasi, kode_kecamatan: str) -> FamilyParams:
    cfg = kal["keluarga"]
    ratio = float(kal.param("rasio_jenis_kelamin", kode_kecamatan))
    # The card structure itself leans female (widows outlive husbands); boys are drawn a little
    # more often than the plain ratio so that the kecamatan's sex ratio comes out as calibrated.
    # Only children and single heads are drawn with this probability, so the difference from an
    # even split is amplified to move the whole kecamatan's ratio by the calibrated amount.
    p_male = 0.5 + 2.2 * (ratio / (100.0 + ratio) - 0.5) + float(cfg["koreksi_laki_laki"])
    return FamilyParams(
        kinds=dict(cfg["jenis"]), head_age={k: dict(v) for k, v in cfg["umur_kepala"].items()},
        births=list(cfg["kelahiran"]), p_male=p_male, p_orangtua=float(cfg["p_orangtua"]),
        p_mertua=float(cfg["p_mertua"]), p_tiga_generasi=float(cfg["p_tiga_generasi"]),
        p_famili_lain=float(cfg["p_famili_lain"]), p_kepala_perempuan=float(cfg["p_kepala_perempuan"]),
    )


def age_in_years(birth: np.ndarray, ref: np.datetime64) -> np.ndarray:
    """Completed years of age (calendar-exact, as on an ID card)."""
    by = birth.astype("datetime64[Y]").astype(int) + 1970
    bm = birth.astype("datetime64[M]").astype(int) % 12
    bd = (birth - birth.astype("datetime64[M]")).astype(int)
    ref_d = ref.astype(dt.date)
    before = (bm + 1 > ref_d.month) | ((bm + 1 == ref_d.month) & (bd + 1 > ref_d.day))
    return (ref_d.year - by - before).astype(np.int64)


def _place(members: Members, alloc_desa: np.ndarray, desa_rows: np.ndarray) -> np.ndarray:
    """Desa row of each family: families come in random order, so a sequential cut is a random draw."""
    sizes = np.bincount(members.fam)
    return desa_rows[cut_sequence(sizes, alloc_desa.astype(float) + 1e-9)]


def _kecamatan_members(frame, kal, alloc, seed) -> tuple[list[Members], list[np.ndarray]]:
    blocks, desa_of_fam = [], []
    offset = 0
    for i, kec in enumerate(alloc.kecamatan_codes):
        rows = np.array([j for j, d in enumerate(frame.desa) if frame.kecamatan_of(d) == kec])
        if len(rows) == 0 or alloc.kecamatan[i] == 0:
            continue
        rng = stream(seed, "keluarga", kec)
        members = build_families(rng, int(alloc.kecamatan[i]), family_params(kal, kec))
        desa_of_fam.append(_place(members, alloc.desa[rows], rows))
        members.fam = members.fam + offset
        offset = int(members.fam.max()) + 1
        blocks.append(members)
    return blocks, desa_of_fam


def _banjar_of_families(frame: RegionFrame, fam_desa: np.ndarray, sizes: np.ndarray, seed: int) -> np.ndarray:
    out = np.zeros(len(fam_desa), dtype=np.int64)
    start = 0
    for j, desa in enumerate(frame.desa):
        n_banjar = len(frame.banjar[desa.kode])
        sel = np.flatnonzero(fam_desa == j)
        if len(sel):
            shares = banjar_shares(n_banjar, stream(seed, "banjar-bagian", desa.kode))
            out[sel] = start + cut_sequence(sizes[sel], shares)
        start += n_banjar
    return out


def _households(fam_banjar: np.ndarray, head_age: np.ndarray, head_male: np.ndarray, p_join: float,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Household of each family, and the family whose head heads the household."""
    old = head_age >= 50
    young = (head_age >= 22) & (head_age <= 42) & head_male & (rng.random(len(head_age)) < p_join)
    fam_rt = pair_households(fam_banjar, old, young, rng)
    order = np.lexsort((-head_age, fam_rt))
    first = order[np.r_[0, np.flatnonzero(np.diff(fam_rt[order])) + 1]]
    return fam_rt, first  # first[r] = family heading household r


def build_population(frame: RegionFrame, kal: Kalibrasi, alloc: Allocation, seed: int) -> Population:
    """People, families and households for the allocation (vectorised; no per-person Python)."""
    blocks, desa_lists = _kecamatan_members(frame, kal, alloc, seed)
    m = Members.concat(blocks)
    fam_desa = np.concatenate(desa_lists)
    sizes = np.bincount(m.fam, minlength=len(fam_desa))
    fam_banjar = _banjar_of_families(frame, fam_desa, sizes, seed)
    father, mother = parent_rows(m)
    ref = np.datetime64(kal.tanggal_acuan, "D")
    birth = ref - np.floor(m.age * DAYS_PER_YEAR).astype("timedelta64[D]")
    age = age_in_years(birth, ref)
    fam_head = np.flatnonzero(m.shdk == KEPALA)
    if len(fam_head) != len(fam_desa) or not np.array_equal(m.fam[fam_head], np.arange(len(fam_desa))):
        raise RuntimeError("setiap KK harus punya tepat satu kepala keluarga")
    rng = stream(seed, "rumah-tangga")
    fam_rt, rt_fam = _households(fam_banjar, m.age[fam_head], m.sex[fam_head] == 1,
                                 float(kal["rumah_tangga"]["p_gabung"]), rng)
    rt_head = fam_head[rt_fam]
    rt = fam_rt[m.fam]
    hub_rt = np.where(np.arange(len(m.fam)) == rt_head[rt], 1, 2).astype(np.int8)
    return Population(
        ref=ref, fam=m.fam, shdk=m.shdk, sex=m.sex, kawin=m.kawin, birth=birth, age=age, father=father,
        mother=mother, order=m.order, rt=rt, hub_rt=hub_rt, fam_desa=fam_desa, fam_banjar=fam_banjar, fam_rt=fam_rt,
        fam_head=fam_head, rt_desa=fam_desa[rt_fam], rt_banjar=fam_banjar[rt_fam], rt_head=rt_head,
        rt_size=np.bincount(rt, minlength=len(rt_fam)),
    )
