"""Map geometry for the SVG maps: project lon/lat, simplify, encode as compact SVG paths — cached per process.

A layout is built once per region set (the key includes each region's label point, which changes
whenever boundaries are (re)loaded) and reused by every request and every indicator: a request
only colours the cached paths. Regions without a polygon are drawn as points at their label
point; when no region has a location at all they are laid out as a grid of labelled squares.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import unary_union

from presisi.regions.models import Wilayah

LEBAR = 1000  # viewBox width; coordinates are rounded to whole units (0.1 % of the width)
TINGGI_MAKS = 1100
MARGIN = 12
TOLERANSI = 0.0012  # simplification tolerance, as a share of the map's larger side
POLIGON, TITIK, GRID = "poligon", "titik", "grid"


@dataclass(frozen=True)
class FiturInput:
    kode: str
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True)
class Bentuk:
    kode: str
    path: str | None = None  # SVG path data (polygons)
    titik: tuple[float, float] | None = None  # projected label / point position
    kotak: tuple[float, float, float] | None = None  # grid square: x, y, size


@dataclass(frozen=True)
class TataLetak:
    lebar: int
    tinggi: int
    mode: str
    bentuk: dict[str, Bentuk]
    latar: str | None = None  # background silhouette path (the parent region)
    garis: tuple[str, ...] = field(default_factory=tuple)  # group boundaries (e.g. kecamatan)
    bbox: tuple[float, float, float, float] | None = None  # lon/lat of the viewBox (for an optional basemap)

    @property
    def ukuran_path(self) -> int:
        return sum(len(b.path or "") for b in self.bentuk.values()) + sum(map(len, self.garis)) + len(self.latar or "")


_CACHE: OrderedDict[tuple, TataLetak] = OrderedDict()
_LOCK = threading.Lock()
_MAKS_CACHE = 512


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def tata_letak(fitur: Sequence[FiturInput], *, latar: FiturInput | None = None,
               kelompok: int | None = None) -> TataLetak:
    """The (cached) layout of these regions; ``kelompok`` = code depth of group boundaries to draw."""
    key = (tuple(fitur), latar, kelompok)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    result = _build(list(fitur), latar, kelompok)
    with _LOCK:
        _CACHE[key] = result
        while len(_CACHE) > _MAKS_CACHE:
            _CACHE.popitem(last=False)
    return result


def _geometries(codes: list[str]) -> dict[str, MultiPolygon | Polygon]:
    rows = Wilayah.objects.filter(kode__in=codes, geometri__isnull=False).values_list("kode", "geometri")
    out = {}
    for kode, geom in rows:
        try:
            g = shape(geom)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if not g.is_empty and g.geom_type in ("Polygon", "MultiPolygon"):
            out[kode] = g if g.is_valid else g.buffer(0)
    return out


class _Proyeksi:
    """Equirectangular with cos(latitude) scaling, fitted to the viewBox."""

    def __init__(self, bounds: tuple[float, float, float, float]):
        minx, miny, maxx, maxy = bounds
        self.kx = math.cos(math.radians((miny + maxy) / 2))
        w, h = max((maxx - minx) * self.kx, 1e-6), max(maxy - miny, 1e-6)
        self.skala = min((LEBAR - 2 * MARGIN) / w, (TINGGI_MAKS - 2 * MARGIN) / h)
        self.minx, self.maxy = minx, maxy
        self.lebar = LEBAR
        self.tinggi = int(math.ceil(h * self.skala + 2 * MARGIN))
        self.dx = (LEBAR - w * self.skala) / 2

    def bbox(self) -> tuple[float, float, float, float]:
        """lon/lat bounds of the whole viewBox (west, south, east, north)."""
        k = self.kx * self.skala
        return (round(self.minx - self.dx / k, 6), round(self.maxy - (self.tinggi - MARGIN) / self.skala, 6),
                round(self.minx + (self.lebar - self.dx) / k, 6), round(self.maxy + MARGIN / self.skala, 6))

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return (self.dx + (lng - self.minx) * self.kx * self.skala, MARGIN + (self.maxy - lat) * self.skala)

    def geometri(self, g):
        moved = affinity.translate(g, xoff=-self.minx, yoff=-self.maxy)
        scaled = affinity.scale(moved, xfact=self.kx * self.skala, yfact=-self.skala, origin=(0, 0))
        return affinity.translate(scaled, xoff=self.dx, yoff=MARGIN)


def _ring(coords) -> str:
    pts = [(round(x), round(y)) for x, y in coords]
    out: list[str] = []
    px, py = pts[0]
    out.append(f"M{px} {py}")
    deltas = []
    for x, y in pts[1:]:
        dx, dy = x - px, y - py
        if dx or dy:
            deltas.append(f"{dx} {dy}".replace(" -", "-"))
            px, py = x, y
    if len(deltas) < 2:
        return ""
    return out[0] + "l" + " ".join(deltas).replace(" -", "-") + "z"


def svg_path(g) -> str:
    """Compact SVG path data of a projected (Multi)Polygon: integer, relative coordinates."""
    polys = list(g.geoms) if hasattr(g, "geoms") else [g]
    parts = []
    for p in polys:
        if p.geom_type != "Polygon" or p.is_empty:
            continue
        parts.append(_ring(p.exterior.coords))
        parts += [_ring(r.coords) for r in p.interiors]
    return "".join(parts)


def _simplify(g, tol: float):
    s = g.simplify(tol, preserve_topology=True)
    return s if not s.is_empty else g


def _build(fitur: list[FiturInput], latar: FiturInput | None, kelompok: int | None) -> TataLetak:
    codes = [f.kode for f in fitur] + ([latar.kode] if latar else [])
    geoms = _geometries(codes)
    has_point = [f for f in fitur if f.kode in geoms or (f.lat is not None and f.lng is not None)]
    if not has_point:
        return _grid(fitur, geoms.get(latar.kode) if latar else None)
    parts = [geoms[f.kode] for f in fitur if f.kode in geoms]
    if latar and latar.kode in geoms:
        parts.append(geoms[latar.kode])
    xs = [f.lng for f in has_point if f.kode not in geoms]
    ys = [f.lat for f in has_point if f.kode not in geoms]
    bounds = _bounds(parts, xs, ys)
    proj = _Proyeksi(bounds)
    tol = TOLERANSI * max(proj.lebar, proj.tinggi)
    bentuk = {}
    for f in fitur:
        if f.kode in geoms:
            g = _simplify(proj.geometri(geoms[f.kode]), tol)
            label = g.representative_point()
            bentuk[f.kode] = Bentuk(f.kode, path=svg_path(g), titik=(round(label.x, 1), round(label.y, 1)))
        elif f.lat is not None and f.lng is not None:
            x, y = proj.xy(f.lng, f.lat)
            bentuk[f.kode] = Bentuk(f.kode, titik=(round(x, 1), round(y, 1)))
    latar_path = svg_path(_simplify(proj.geometri(geoms[latar.kode]), tol)) if latar and latar.kode in geoms else None
    garis = _group_lines(fitur, geoms, proj, tol, kelompok) if kelompok else ()
    mode = POLIGON if any(b.path for b in bentuk.values()) else TITIK
    return TataLetak(proj.lebar, proj.tinggi, mode, bentuk, latar_path, garis, proj.bbox())


def _bounds(parts, xs, ys) -> tuple[float, float, float, float]:
    bx = [b for g in parts for b in (g.bounds[0], g.bounds[2])] + xs
    by = [b for g in parts for b in (g.bounds[1], g.bounds[3])] + ys
    minx, maxx, miny, maxy = min(bx), max(bx), min(by), max(by)
    pad = 0.004 if not parts else 0.0  # points only: keep edge points off the frame
    if maxx - minx < 0.01 and maxy - miny < 0.01:
        pad = 0.01
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _group_lines(fitur, geoms, proj, tol, depth: int) -> tuple[str, ...]:
    groups: dict[str, list] = {}
    for f in fitur:
        if f.kode in geoms:
            groups.setdefault(".".join(f.kode.split(".")[:depth]), []).append(geoms[f.kode])
    if len(groups) < 2:
        return ()
    out = []
    for key in sorted(groups):
        merged = unary_union([g.buffer(0.00002) for g in groups[key]]).buffer(-0.00002)
        out.append(svg_path(_simplify(proj.geometri(merged), tol * 1.5)))
    return tuple(p for p in out if p)


def _grid(fitur: list[FiturInput], latar_geom) -> TataLetak:
    n = max(len(fitur), 1)
    cols = min(n, max(1, math.ceil(math.sqrt(n * 1.6))))
    rows = math.ceil(n / cols)
    cell = (LEBAR - 2 * MARGIN) / cols
    size = cell * 0.92
    tinggi = int(math.ceil(rows * cell + 2 * MARGIN))
    bentuk = {}
    for i, f in enumerate(fitur):
        r, c = divmod(i, cols)
        x, y = MARGIN + c * cell + (cell - size) / 2, MARGIN + r * cell + (cell - size) / 2
        bentuk[f.kode] = Bentuk(f.kode, titik=(round(x + size / 2, 1), round(y + size / 2, 1)),
                                kotak=(round(x, 1), round(y, 1), round(size, 1)))
    latar_path = None
    if latar_geom is not None:
        g = _Proyeksi(latar_geom.bounds).geometri(latar_geom)
        minx, miny, maxx, maxy = g.bounds
        f = min((LEBAR - 2 * MARGIN) / max(maxx - minx, 1e-6), (tinggi - 2 * MARGIN) / max(maxy - miny, 1e-6))
        g = affinity.scale(affinity.translate(g, xoff=-minx, yoff=-miny), xfact=f, yfact=f, origin=(0, 0))
        g = affinity.translate(g, xoff=(LEBAR - (maxx - minx) * f) / 2, yoff=(tinggi - (maxy - miny) * f) / 2)
        latar_path = svg_path(_simplify(g, TOLERANSI * LEBAR))
    return TataLetak(LEBAR, tinggi, GRID, bentuk, latar_path, ())


def tetangga(kode: str, kandidat: Sequence[FiturInput]) -> list[str]:
    """Codes among ``kandidat`` whose polygon touches region ``kode`` (neighbours), cached with the layouts
    (the key holds the label points, so reloaded boundaries are seen)."""
    key = ("tetangga", kode, tuple(kandidat))
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return list(hit)  # type: ignore[arg-type]
    codes = [f.kode for f in kandidat]
    geoms = _geometries([kode, *codes])
    centre = geoms.get(kode)
    result: tuple[str, ...] = ()
    if centre is not None:
        grown = centre.buffer(0.0005)
        result = tuple(k for k in codes if k != kode and k in geoms and grown.intersects(geoms[k]))
    with _LOCK:
        _CACHE[key] = result  # type: ignore[assignment]
    return list(result)
