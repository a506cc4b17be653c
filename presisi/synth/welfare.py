"""Household welfare: a latent score, per-capita expenditure and the DTSEN welfare decile.

Every household gets a welfare score ``w`` (about standard normal, higher = better-off)
made of a desa effect, a household draw and a small household-size penalty, shifted per
kecamatan so that poorer kecamatan are poorer on everything (housing, water, assets,
schooling). Monthly per-capita expenditure is ``exp(a_k + s·w + noise)`` with ``a_k``
solved per kecamatan so that the share of *people* below the poverty line equals the
calibrated target exactly (BPS counts poor people, not households).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from presisi.synth.calibration import Kalibrasi
from presisi.synth.draws import norm_cdf, norm_ppf
from presisi.synth.population import Population
from presisi.synth.streams import stream

SPREAD = 0.55  # sd of log per-capita expenditure inside a kecamatan (Susenas-like)
DESA_SD = 0.25  # between-desa variation of the welfare score


@dataclass
class Welfare:
    w: np.ndarray  # per household
    pengeluaran: np.ndarray  # Rp per capita per month, per household
    desil: np.ndarray  # DTSEN decile 1–10, NaN when the household is not in DTSEN
    poor: np.ndarray  # below the poverty line


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][min(np.searchsorted(cum, q * cum[-1]), len(values) - 1)])


def welfare_scores(pop: Population, desa_codes: list[str], kelurahan: np.ndarray, kal: Kalibrasi,
                   seed: int) -> np.ndarray:
    """The latent score per household (poorer kecamatan and desa shifted down)."""
    rng = stream(seed, "kesejahteraan")
    target = kal.param_array("kemiskinan", desa_codes, kelurahan)
    overall = float(np.mean(target))
    # Shift each desa by how much poorer than the regency its calibrated target is.
    shift = np.array([norm_ppf(overall) - norm_ppf(float(t)) for t in target]) * 1.1
    desa_effect = shift + rng.normal(0.0, DESA_SD, len(desa_codes))
    size_penalty = -0.05 * (np.minimum(pop.rt_size, 9) - 3.5)
    return desa_effect[pop.rt_desa] + rng.normal(0.0, 1.0, len(pop.rt_desa)) + size_penalty


def expenditure(pop: Population, w: np.ndarray, desa_codes: list[str], kal: Kalibrasi, seed: int) -> Welfare:
    rng = stream(seed, "pengeluaran")
    line = float(kal["garis_kemiskinan"])
    log_pc = SPREAD * (w + rng.normal(0.0, 0.35, len(w)))
    kec_of_desa = np.array([k.rsplit(".", 1)[0] for k in desa_codes])
    kec = kec_of_desa[pop.rt_desa]
    for code in np.unique(kec):
        sel = kec == code
        target = float(kal.param("kemiskinan", str(code)))
        cut = _weighted_quantile(log_pc[sel], pop.rt_size[sel].astype(float), target)
        # Households at the cut-off value stay just above the line, so the share is met exactly.
        log_pc[sel] += np.log(line) - cut + 1e-9
    pc = np.round(np.exp(log_pc) / 1000.0) * 1000.0
    pc = np.maximum(pc, 150_000.0)
    return Welfare(w=w, pengeluaran=pc, desil=_desil(rng, pc, kal), poor=pc < line)


def _desil(rng: np.random.Generator, pc: np.ndarray, kal: Kalibrasi) -> np.ndarray:
    """National DTSEN decile from a noisy proxy-means rank; not every household is registered."""
    cfg = kal["dtsen"]
    proxy = np.log(pc) + rng.normal(0.0, float(cfg["galat_pmt"]), len(pc))
    pct = norm_cdf((proxy - np.log(float(cfg["median_nasional"]))) / float(cfg["sebaran_nasional"]))
    desil = np.clip(np.ceil(pct * 10.0), 1, 10)
    registered = rng.random(len(pc)) < np.interp(desil, [1, 5, 10], [0.99, 0.92, 0.7])
    return np.where(registered, desil, np.nan)
