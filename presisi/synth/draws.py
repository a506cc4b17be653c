"""Vectorised drawing helpers shared by the attribute generators.

Correlation is built in one way throughout: a categorical variable has base shares per
area, and each code has a *tilt* that moves its share with the household's welfare score
``w`` (standard normal, higher = better-off): ``p_ij ∝ base_ij · exp(tilt_j · w_i)``. A
negative tilt makes a code (earth floor, firewood) more common among poorer households.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

NAN = np.nan
_erf = np.frompyfunc(math.erf, 1, 1)


def norm_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(np.asarray(x, dtype=float) / math.sqrt(2.0)).astype(float))


def norm_ppf(p: float) -> float:
    return NormalDist().inv_cdf(p)


def logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def choose_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Column index drawn from each row of a (n, k) probability matrix (rows need not sum to 1)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def tilted(rng: np.random.Generator, codes: list[int], base: np.ndarray, tilt: list[float] | np.ndarray,
           w: np.ndarray) -> np.ndarray:
    """Codes drawn from ``base`` shares (k,) or (n, k), each tilted by welfare ``w``."""
    base = np.broadcast_to(np.asarray(base, dtype=float), (len(w), len(codes)))
    probs = base * np.exp(np.asarray(tilt, dtype=float)[None, :] * np.asarray(w, dtype=float)[:, None])
    return np.asarray(codes, dtype=float)[choose_rows(rng, probs)]


def pick(rng: np.random.Generator, codes: list[int], shares: list[float], n: int) -> np.ndarray:
    """``n`` codes drawn with the given (unnormalised) shares, as floats."""
    p = np.asarray(shares, dtype=float)
    return np.asarray(codes, dtype=float)[rng.choice(len(codes), size=n, p=p / p.sum())]


def shares_matrix(spec_per_row: list[dict[int, float]], codes: list[int]) -> np.ndarray:
    """(n, k) matrix of shares from one ``{code: share}`` mapping per row."""
    return np.array([[float(spec.get(c, 0.0)) for c in codes] for spec in spec_per_row], dtype=float)


def bernoulli_logit(rng: np.random.Generator, p_base: np.ndarray | float, slope: float,
                    w: np.ndarray) -> np.ndarray:
    """True with probability ``logistic(logit(p_base) + slope · w)`` (p_base is the share at w = 0)."""
    p = np.clip(np.asarray(p_base, dtype=float), 1e-6, 1 - 1e-6)
    return rng.random(len(w)) < logistic(np.log(p / (1 - p)) + slope * w)


def yes_no(mask: np.ndarray, applicable: np.ndarray | None = None) -> np.ndarray:
    """ya_tidak codes (1 = Ya, 2 = Tidak), NaN where the question does not apply."""
    out = np.where(mask, 1.0, 2.0)
    if applicable is not None:
        out[~applicable] = NAN
    return out


def blank(n: int) -> np.ndarray:
    return np.full(n, NAN)
