"""Choropleth classes and colours: quantile or fixed breaks, a colour-blind-safe sequential palette.

The palette is ColorBrewer YlGnBu (5 classes, safe for the common colour-vision deficiencies and
for greyscale printing). Darker means "better" when the indicator has a direction: the palette
runs light → dark with the value, and is reversed when lower is better (``arah = turun``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PALET = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
TANPA_DATA = "#d9d9d9"  # no value, or hidden by small-cell suppression
# Text drawn on a class colour needs a contrasting ink (WCAG AA on the two darkest classes).
TINTA = ("#1b2430", "#1b2430", "#1b2430", "#ffffff", "#ffffff")
KUANTIL, TETAP = "kuantil", "tetap"
METODE = (KUANTIL, TETAP)


@dataclass(frozen=True)
class Kelas:
    batas: tuple[float, ...]  # n + 1 ascending break points
    warna: tuple[str, ...]  # n colours, one per class, in ascending value order
    metode: str
    terbalik: bool
    tunggal: bool = False  # one class per distinct value (few distinct values)

    def indeks(self, nilai: float | None) -> int | None:
        """Class number (0-based) of a value, or None for a missing value."""
        if nilai is None or not self.warna:
            return None
        for i in range(len(self.warna)):
            if nilai <= self.batas[i + 1] + 1e-12:
                return i
        return len(self.warna) - 1

    def warna_untuk(self, nilai: float | None) -> str:
        i = self.indeks(nilai)
        return TANPA_DATA if i is None else self.warna[i]

    def tinta_untuk(self, nilai: float | None) -> str:
        i = self.indeks(nilai)
        if i is None:
            return TINTA[0]
        return TINTA[PALET.index(self.warna[i])]


def _nice(x: float, up: bool) -> float:
    if x == 0:
        return 0.0
    exp = 10 ** math.floor(math.log10(abs(x)))
    step = exp / 2
    return (math.ceil if up else math.floor)(x / step) * step


def _quantile_breaks(values: list[float], n: int) -> list[float]:
    v = sorted(values)
    breaks = [v[0]]
    for k in range(1, n):
        pos = k * (len(v) - 1) / n
        lo, hi = math.floor(pos), math.ceil(pos)
        breaks.append(v[lo] + (v[hi] - v[lo]) * (pos - lo))
    breaks.append(v[-1])
    out = [breaks[0]]
    for b in breaks[1:]:
        if b > out[-1] + 1e-9:
            out.append(b)
    return out


def _fixed_breaks(values: list[float], n: int, satuan: str) -> list[float]:
    if satuan.strip().lower() in {"persen", "%"} and min(values) >= 0 and max(values) <= 100:
        return [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    lo, hi = _nice(min(min(values), 0.0), up=False), _nice(max(values), up=True)
    if hi <= lo:
        hi = lo + 1
    return [lo + (hi - lo) * k / n for k in range(n + 1)]


def klasifikasi(values: Sequence[float | None], *, metode: str = KUANTIL, arah: str = "", satuan: str = "",
                n: int = 5) -> Kelas:
    """Classes for the values shown on one map (missing values ignored)."""
    present = [float(v) for v in values if v is not None]
    terbalik = arah == "turun"
    if not present:
        return Kelas((), (), metode, terbalik)
    distinct = sorted(set(present))
    tunggal = metode != TETAP and len(distinct) <= n
    if tunggal:  # e.g. 0 and 100 only: a class per value, never one class for everything
        batas = [distinct[0], *distinct]
    else:
        batas = _fixed_breaks(present, n, satuan) if metode == TETAP else _quantile_breaks(present, n)
    k = len(batas) - 1
    palette = list(PALET[::-1] if terbalik else PALET)
    # Fewer classes than colours: spread them over the palette so the extremes stay distinct.
    picks = [round(i * (len(palette) - 1) / (k - 1)) for i in range(k)] if k > 1 else [len(palette) // 2]
    return Kelas(tuple(batas), tuple(palette[p] for p in picks), metode, terbalik, tunggal)
