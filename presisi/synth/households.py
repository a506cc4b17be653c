"""Placing families in desa and banjar, and grouping them into households.

Most households hold one family card. Balinese compounds (pekarangan) often hold a
parents' card and a married son's card that share one kitchen: such pairs become one
household whose head is the head of the older card.
"""

from __future__ import annotations

import numpy as np


def cut_sequence(sizes: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Area index of each family, cutting the families (in their random order) by people shares.

    A family goes to the area in which its midpoint falls on the cumulative people line,
    so each area receives its share within half a family.
    """
    cum = np.cumsum(sizes)
    mid = cum - sizes / 2.0
    bounds = np.cumsum(shares / shares.sum()) * cum[-1]
    return np.minimum(np.searchsorted(bounds, mid, side="right"), len(shares) - 1)


def _rank_within(groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random rank (0, 1, 2…) of each element inside its group."""
    order = np.lexsort((rng.random(len(groups)), groups))
    sorted_groups = groups[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_groups)) + 1]
    first = np.repeat(starts, np.diff(np.r_[starts, len(groups)]))
    rank = np.empty(len(groups), dtype=np.int64)
    rank[order] = np.arange(len(groups)) - first
    return rank


def pair_households(banjar: np.ndarray, old: np.ndarray, young: np.ndarray,
                    rng: np.random.Generator) -> np.ndarray:
    """Household number of each family: a chosen young family joins an old family of its banjar.

    ``old`` and ``young`` are boolean masks over families. Returns household ids numbered
    0.. in the order of each household's first family.
    """
    n = len(banjar)
    rt = np.arange(n)
    old_idx, young_idx = np.flatnonzero(old & ~young), np.flatnonzero(young & ~old)
    key_old = banjar[old_idx] * (n + 1) + _rank_within(banjar[old_idx], rng)
    key_young = banjar[young_idx] * (n + 1) + _rank_within(banjar[young_idx], rng)
    _, i_old, i_young = np.intersect1d(key_old, key_young, assume_unique=True, return_indices=True)
    rt[young_idx[i_young]] = old_idx[i_old]
    _, first, inverse = np.unique(rt, return_index=True, return_inverse=True)
    renumber = np.argsort(np.argsort(first))  # households numbered by their first family
    return renumber[inverse]
