"""Identity columns of the synthetic people: religion, names, parents' names, birthplace, NIK, No. KK."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.registry.models import LAKI_LAKI, PEREMPUAN
from presisi.synth.calibration import Kalibrasi, distribution
from presisi.synth.families import ANAK, CUCU, ISTRI, KEPALA, MENANTU, ORANGTUA, SUAMI
from presisi.synth.names import HINDU, draw_titles, make_names
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
    """Birth order of children and grandchildren; a drawn one for people whose siblings are not known."""
    drawn = rng.choice(4, size=len(pop), p=[0.34, 0.3, 0.2, 0.16]) + 1
    return np.where(pop.order > 0, pop.order, drawn)


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
    married_in = np.isin(pop.shdk, [MENANTU, ISTRI, SUAMI])
    p_local = np.where(married_in, float(cfg["p_lokal_pendatang"]), float(cfg["p_lokal"]))
    bali = np.array([x for x in cfg["bali"] if x != local], dtype=object)
    luar = np.array(cfg["luar_bali"], dtype=object)
    other = np.where((agama != HINDU) & (rng.random(len(pop)) < 0.6), luar[rng.integers(0, len(luar), len(pop))],
                     bali[rng.integers(0, len(bali), len(pop))])
    return np.where(rng.random(len(pop)) < p_local, local, other).tolist()


def identity_numbers(pop: Population, frame: RegionFrame, kal: Kalibrasi, seed: int) -> tuple[
        list[str], np.ndarray, list[str], np.ndarray]:
    """(NIK per person, temporary-NIK mask, No. KK per family, KK issue dates)."""
    kec6_of_desa = np.array([int(d.kode[:8].replace(".", "")) for d in frame.desa], dtype=np.int64)
    rng = stream(seed, "nik")
    nik = make_nik(kec6_of_desa[pop.desa], pop.birth, pop.sex, rng).astype(object)
    cfg = kal["nik_sementara"]
    temporary = temporary_mask((pop.ref - pop.birth).astype(np.int64), rng, infant_share=float(cfg["bayi"]),
                               other_share=float(cfg["lainnya"]))
    nik[temporary] = temporary_numbers(frame.desa_codes, pop.desa[temporary])
    rng_kk = stream(seed, "no-kk")
    starts = np.r_[0, np.flatnonzero(np.diff(pop.fam)) + 1]
    youngest = np.maximum.reduceat(pop.birth.astype(np.int64), starts).astype("datetime64[D]")
    issued = kk_issue_dates(youngest, pop.ref, rng_kk)
    no_kk = make_kk(kec6_of_desa[pop.fam_desa], issued, rng_kk)
    return nik.tolist(), temporary, no_kk.tolist(), issued


STREETS_DESA = ["Jl. Raya {desa}", "Jl. Pura Dalem", "Jl. Pura Puseh", "Jl. Pura Desa", "Gg. Cempaka", "Gg. Melati",
                "Gg. Kenanga", "Gg. Jepun", "Jl. Subak", "Jl. Pantai", "Jl. Banjar {banjar}"]
STREETS_KOTA = ["Jl. Gajah Mada", "Jl. Diponegoro", "Jl. Untung Surapati", "Jl. Flamboyan", "Jl. Puputan",
                "Jl. Gunung Rinjani", "Jl. Teratai", "Jl. Nangka", "Gg. Mawar", "Jl. Sudirman"]


def household_addresses(pop: Population, frame: RegionFrame, kelurahan: np.ndarray, seed: int) -> list[str]:
    """Street address (KK 'alamat') per family; families of one household share it."""
    rng = stream(seed, "alamat")
    n_rt = len(pop.rt_desa)
    banjar_names = [b.nama.split(" ", 2)[-1] for d in frame.desa for b in frame.banjar[d.kode]]
    pick = rng.integers(0, 10_000, n_rt)
    number = rng.integers(1, 180, n_rt)
    out = []
    for r in range(n_rt):
        j = int(pop.rt_desa[r])
        pool = STREETS_KOTA if kelurahan[j] else STREETS_DESA
        street = pool[pick[r] % len(pool)].format(desa=frame.desa[j].nama, banjar=banjar_names[pop.rt_banjar[r]])
        out.append(f"{street} No. {number[r]}")
    return [out[r] for r in pop.fam_rt.tolist()]
