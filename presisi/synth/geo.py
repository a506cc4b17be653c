"""Where buildings stand: points inside the desa polygon, clustered around banjar centres.

With boundaries loaded, banjar centres are drawn inside the polygon and buildings around
them (a settlement cluster), by vectorised rejection sampling with ``shapely.contains_xy``.
Without boundaries the desa's label point is used (or, when the region list has no
coordinates, a point spread deterministically around the regency's calibrated centre).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import shape

from presisi.regions.models import Wilayah

KM_PER_DEG = 111.32
DECIMALS = 6  # about 10 cm; points are checked after rounding so they stay inside


class DesaSampler:
    """Random points for one desa: ``centres(k)`` for banjar, ``around(centres, idx)`` for buildings."""

    def __init__(self, desa: Wilayah, fallback: tuple[float, float], rng: np.random.Generator):
        self.rng = rng
        self.geom = shape(desa.geometri) if desa.geometri else None
        if self.geom is not None:
            shapely.prepare(self.geom)
            self.bounds = self.geom.bounds
            area = desa.luas_km2 or 1.0
        else:
            lat, lng = (desa.lat, desa.lng) if desa.lat is not None and desa.lng is not None else fallback
            half = 0.012
            self.bounds = (lng - half, lat - half, lng + half, lat + half)
            area = (2 * half * KM_PER_DEG) ** 2
        # Cluster spread: a banjar's houses lie within a few hundred metres of its centre.
        self.sigma = min(max(0.08 * math.sqrt(area), 0.08), 0.6) / KM_PER_DEG

    def _inside(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        if self.geom is None:
            minx, miny, maxx, maxy = self.bounds
            return (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        return shapely.contains_xy(self.geom, x, y)

    def uniform(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        minx, miny, maxx, maxy = self.bounds
        xs, ys = np.empty(0), np.empty(0)
        while len(xs) < n:
            m = max(64, 2 * (n - len(xs)))
            x = np.round(minx + self.rng.random(m) * (maxx - minx), DECIMALS)
            y = np.round(miny + self.rng.random(m) * (maxy - miny), DECIMALS)
            ok = self._inside(x, y)
            xs, ys = np.r_[xs, x[ok]], np.r_[ys, y[ok]]
        return xs[:n], ys[:n]

    def around(self, cx: np.ndarray, cy: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One point near centre ``which[i]`` for each i, always inside the desa."""
        n = len(which)
        x, y = np.empty(n), np.empty(n)
        todo = np.arange(n)
        for _ in range(25):
            if len(todo) == 0:
                break
            px = np.round(cx[which[todo]] + self.rng.normal(0.0, self.sigma, len(todo)), DECIMALS)
            py = np.round(cy[which[todo]] + self.rng.normal(0.0, self.sigma, len(todo)), DECIMALS)
            ok = self._inside(px, py)
            x[todo[ok]], y[todo[ok]] = px[ok], py[ok]
            todo = todo[~ok]
        if len(todo):  # a centre in a thin sliver of the polygon: fall back to anywhere inside
            x[todo], y[todo] = self.uniform(len(todo))
        return x, y


def fallback_point(index: int, centre: tuple[float, float]) -> tuple[float, float]:
    """A deterministic spot for the ``index``-th desa on a spiral around the regency centre."""
    angle = index * 2.399963  # golden angle: points do not line up
    radius = 0.02 * math.sqrt(index + 1)
    return centre[0] + radius * math.sin(angle), centre[1] + radius * math.cos(angle)
