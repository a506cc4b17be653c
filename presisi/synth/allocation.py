"""How many people live where: kecamatan, desa and banjar targets.

Kecamatan get the calibration's census shares (or, without them, shares by area, or
equal shares). Desa shares inside a kecamatan vary plausibly: a Dirichlet-like draw around
a base weight that grows slowly with area, with kelurahan (towns) denser. Everything is
derived from the scale-1.0 allocation so that the structure (banjar counts) does not
depend on the scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.regions.codes import KELURAHAN
from presisi.synth.calibration import Kalibrasi
from presisi.synth.regions import RegionFrame
from presisi.synth.streams import stream


@dataclass
class Allocation:
    kecamatan_codes: list[str]
    kecamatan: np.ndarray  # people per kecamatan
    desa_codes: list[str]
    desa: np.ndarray  # people per desa (same order as frame.desa)
    desa_weights: np.ndarray  # share of the regency per desa (scale-independent)


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that add up exactly to ``total``."""
    w = np.asarray(weights, dtype=float)
    w = w / w.sum()
    raw = w * total
    out = np.floor(raw).astype(np.int64)
    short = int(total - out.sum())
    if short > 0:
        order = np.lexsort((np.arange(len(w)), -(raw - out)))  # ties by position: deterministic
        out[order[:short]] += 1
    return out


def _area(regions: list) -> np.ndarray | None:
    areas = np.array([r.luas_km2 or np.nan for r in regions], dtype=float)
    return None if np.isnan(areas).any() or (areas <= 0).any() else areas


def kecamatan_shares(frame: RegionFrame, kal: Kalibrasi) -> np.ndarray:
    """Census shares when the calibration has them for every kecamatan, else area, else equal."""
    census = [kal.kecamatan(k.kode).get("sensus") for k in frame.kecamatan]
    if all(census):
        w = np.array(census, dtype=float)
    else:
        by_kec = {k.kode: 0.0 for k in frame.kecamatan}
        desa_area = _area(frame.desa)
        if desa_area is not None:
            for d, a in zip(frame.desa, desa_area, strict=True):
                by_kec[frame.kecamatan_of(d)] += a
            w = np.array(list(by_kec.values()))
        else:
            kec_area = _area(frame.kecamatan)
            w = kec_area if kec_area is not None else np.ones(len(frame.kecamatan))
        has_desa = {frame.kecamatan_of(d) for d in frame.desa}
        w = np.where([k.kode in has_desa for k in frame.kecamatan], np.maximum(w, 1e-9), 0.0)
    return w / w.sum()


def desa_weights(frame: RegionFrame, kal: Kalibrasi, seed: int) -> np.ndarray:
    """Each desa's share of its kecamatan (sums to 1 within every kecamatan)."""
    rng = stream(seed, "alokasi", "desa")
    cfg = kal["sebaran_desa"]
    n = len(frame.desa)
    area = _area(frame.desa)
    base = np.power(area, float(cfg["pangkat_luas"])) if area is not None else np.ones(n)
    kelurahan = np.array([d.tingkat == KELURAHAN for d in frame.desa])
    base = base * np.where(kelurahan, float(cfg["faktor_kelurahan"]), 1.0)
    overrides = kal.get("desa") or {}
    base = base * np.array([float((overrides.get(d.kode) or {}).get("bobot", 1.0)) for d in frame.desa])
    k = float(cfg["konsentrasi"])
    w = base * rng.gamma(k, 1.0 / k, n)
    kec = np.array([frame.kecamatan_of(d) for d in frame.desa])
    for code in np.unique(kec):
        sel = kec == code
        w[sel] = w[sel] / w[sel].sum()
    return w


def allocate(frame: RegionFrame, kal: Kalibrasi, *, scale: float, seed: int) -> Allocation:
    """People per kecamatan and per desa for ``penduduk_dasar × scale`` people."""
    total = max(len(frame.desa), int(round(float(kal["penduduk_dasar"]) * scale)))
    kec_codes = [k.kode for k in frame.kecamatan]
    kec_people = largest_remainder(total, kecamatan_shares(frame, kal))
    within = desa_weights(frame, kal, seed)
    kec_index = {c: i for i, c in enumerate(kec_codes)}
    kec_of_desa = np.array([kec_index[frame.kecamatan_of(d)] for d in frame.desa])
    desa_people = np.zeros(len(frame.desa), dtype=np.int64)
    for i in range(len(kec_codes)):
        sel = np.flatnonzero(kec_of_desa == i)
        if len(sel):
            desa_people[sel] = largest_remainder(int(kec_people[i]), within[sel])
    regency_share = within * kecamatan_shares(frame, kal)[kec_of_desa]
    return Allocation(kec_codes, kec_people, frame.desa_codes, desa_people, regency_share)


def banjar_counts(alloc: Allocation, kal: Kalibrasi, seed: int) -> np.ndarray:
    """Banjar per desa from the scale-1.0 population (3–12, mean about 6.7 in Bali)."""
    cfg = kal["banjar"]
    rng = stream(seed, "alokasi", "banjar")
    rel = alloc.desa_weights / alloc.desa_weights.mean()
    raw = float(cfg["rata_rata_per_desa"]) * np.power(rel, 0.8) * rng.lognormal(0.0, 0.18, len(rel))
    return np.clip(np.rint(raw), int(cfg["minimum"]), int(cfg["maksimum"])).astype(np.int64)


def banjar_shares(n_banjar: int, rng: np.random.Generator) -> np.ndarray:
    """Shares of a desa's people per banjar: banjar differ, but none is tiny."""
    w = rng.gamma(8.0, 1.0, n_banjar)
    return w / w.sum()
