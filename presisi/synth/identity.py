"""Identity columns of the synthetic people: religion, names, parents' names, birthplace, NIK, No. KK."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.registry.models import LAKI_LAKI, PEREMPUAN
from presisi.synth.calibration import Kalibrasi, distribution
from presisi.synth.families import ANAK, CUCU, KEPALA, MENANTU, ORANGTUA
from presisi.synth.names import draw_titles, make_names
from presisi.synth.numbers import kk_issue_dates, make_kk, make_nik, temporary_mask, temporary_numbers
from presisi.synth.population import Population
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream


@dataclass
class Identity:
    agama: np.ndarray  # per person
    nama: list[str]
    nama_ayah: list[str]
    nama_ibu: list[str]
    tempat_lahir: list[str]
    nik: list[str]
    nik_sementara: np.ndarray
    no_kk: list[str]  # per family
    kk_terbit: np.ndarray


def household_religion(pop: Population, desa_codes: list[str], kal: Kalibrasi, seed: int) -> np.ndarray:
    """Religion per household from its desa's mix; everyone in a household shares it."""
    rng = stream(seed, "agama")
    u = rng.random(len(pop.rt_desa))
    out = np.zeros(len(pop.rt_desa), dtype=np.int8)
    for j, kode in enumerate(desa_codes):
        sel = pop.rt_desa == j
        codes, p = distribution(kal.param("agama", kode))
        out[sel] = codes[np.minimum(np.searchsorted(np.cumsum(p), u[sel], side="right"), len(codes) - 1)]
    return out


def birth_orders(pop: Population, rng: np.random.Generator) -> np.ndarray:
    """Birth order among siblings on the card (eldest = 1); others get a drawn order."""
    n = len(pop)
    order = rng.choice(4, size=n, p=[0.34, 0.3, 0.2, 0.16]) + 1
    for role in (ANAK, CUCU):
        sel = np.flatnonzero(pop.shdk == role)  # rows are sorted eldest first within a card
        fam = pop.fam[sel]
        starts = np.r_[0, np.flatnonzero(np.diff(fam)) + 1]
        first = np.repeat(starts, np.diff(np.r_[starts, len(sel)]))
        order[sel] = np.arange(len(sel)) - first + 1
    return order


def _titles(pop: Population, rng: np.random.Generator, share: float) -> np.ndarray:
    """Titles follow the head's paternal line; people who married in draw their own."""
    line = draw_titles(rng, int(pop.fam.max()) + 1, share)[pop.fam]
    own = draw_titles(rng, len(pop), share * 0.6)
    inherits = np.isin(pop.shdk, [KEPALA, ANAK, CUCU]) | ((pop.shdk == ORANGTUA) & (pop.sex == LAKI_LAKI))
    return np.where(inherits, line, own)


def person_names(pop: Population, agama: np.ndarray, kal: Kalibrasi, seed: int) -> tuple[list[str], ...]:
    rng = stream(seed, "nama")
    year = pop.birth.astype("datetime64[Y]").astype(np.int64) + 1970
    titles = _titles(pop, rng, float(kal.param("triwangsa")))
    names = make_names(rng, sex=pop.sex, religion=agama, birth_order=birth_orders(pop, rng),
                       birth_year=year, title=titles)
    # Parents not on the card still appear on it by name: make one up for them.
    parent_year = year - rng.integers(20, 36, len(pop))
    order = rng.choice(4, size=len(pop), p=[0.34, 0.3, 0.2, 0.16]) + 1
    fathers = make_names(rng, sex=np.full(len(pop), LAKI_LAKI), religion=agama, birth_order=order,
                         birth_year=parent_year, title=np.where(np.isin(pop.shdk, [KEPALA, ANAK]), titles, -1))
    mothers = make_names(rng, sex=np.full(len(pop), PEREMPUAN), religion=agama, birth_order=order[::-1],
                         birth_year=parent_year + 3, title=np.full(len(pop), -1))
    names_arr = np.array(names, dtype=object)
    ayah = np.where(pop.father >= 0, names_arr[np.maximum(pop.father, 0)], np.array(fathers, dtype=object))
    ibu = np.where(pop.mother >= 0, names_arr[np.maximum(pop.mother, 0)], np.array(mothers, dtype=object))
    return names, ayah.tolist(), ibu.tolist()


def birthplaces(pop: Population, frame: RegionFrame, agama: np.ndarray, kal: Kalibrasi, seed: int) -> list[str]:
    """Mostly the regency itself; people who married in more often elsewhere."""
    rng = stream(seed, "tempat-lahir")
    cfg = kal["tempat_lahir"]
    local = frame.kabupaten.nama.removeprefix("Kabupaten ").removeprefix("Kota ").strip()
    p_local = np.where(np.isin(pop.shdk, [MENANTU]) | ((pop.shdk == 3) | (pop.shdk == 2)),
                       float(cfg["p_lokal_pendatang"]), float(cfg["p_lokal"]))
    bali = np.array([x for x in cfg["bali"] if x != local], dtype=object)
    luar = np.array(cfg["luar_bali"], dtype=object)
    other = np.where((agama != 4) & (rng.random(len(pop)) < 0.6), luar[rng.integers(0, len(luar), len(pop))],
                     bali[rng.integers(0, len(bali), len(pop))])
    return np.where(rng.random(len(pop)) < p_local, local, other).tolist()
