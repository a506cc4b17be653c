"""Agency layers drawn as server-side SVG: hazard zones coloured by class, networks as lines.

Two uses: the layer page's own map (desa boundaries as background), and an overlay fragment for the
dashboards' choropleth (``overlay_svg``), placed with the map's lon/lat viewBox bounds. Like the
dashboards' maps, colours are SVG presentation attributes (no inline CSS: CSP stays strict), so a
PNG drawn from the SVG looks the same; class names carry the meaning for styling and tests.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from shapely import affinity
from shapely.geometry import shape

from presisi.integration.models import FiturSpasial, LapisanSpasial
from presisi.regions.models import Wilayah

WARNA_KELAS = {"rendah": "#fed976", "sedang": "#fd8d3c", "tinggi": "#bd0026", "": "#9e9ac8"}
WARNA_GARIS = {LapisanSpasial.JALAN: "#4d4d4d", LapisanSpasial.AIR: "#2171b5"}
WARNA_KAWASAN = "#41ab5d"
LEBAR = 1000
MARGIN = 12
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1b2430"


class Proyeksi:
    """Linear lon/lat → viewBox mapping of a bbox (equirectangular, like the dashboards' maps)."""

    def __init__(self, bbox: tuple[float, float, float, float], lebar: float, tinggi: float):
        self.w, self.s, self.e, self.n = bbox
        self.lebar, self.tinggi = lebar, tinggi

    @classmethod
    def muat(cls, bounds: tuple[float, float, float, float]) -> Proyeksi:
        minx, miny, maxx, maxy = bounds
        kx = math.cos(math.radians((miny + maxy) / 2))
        w, h = max((maxx - minx) * kx, 1e-6), max(maxy - miny, 1e-6)
        skala = (LEBAR - 2 * MARGIN) / w
        tinggi = h * skala + 2 * MARGIN
        pad_x, pad_y = MARGIN / (skala * kx), MARGIN / skala
        return cls((minx - pad_x, miny - pad_y, maxx + pad_x, maxy + pad_y), LEBAR, round(tinggi))

    def geometri(self, g):
        sx = self.lebar / max(self.e - self.w, 1e-12)
        sy = self.tinggi / max(self.n - self.s, 1e-12)
        return affinity.affine_transform(g, [sx, 0, 0, -sy, -self.w * sx, self.n * sy])


def _ring(coords, tutup: bool) -> str:
    """Compact path data: whole viewBox units (0.1 % of the width), relative moves, repeats dropped."""
    pts = [(round(x), round(y)) for x, y in coords]
    if len(pts) < 2:
        return ""
    px, py = pts[0]
    deltas = []
    for x, y in pts[1:]:
        dx, dy = x - px, y - py
        if dx or dy:
            deltas.append(f"{dx} {dy}")
            px, py = x, y
    if not deltas or (tutup and len(deltas) < 2):
        return ""
    return (f"M{pts[0][0]} {pts[0][1]}l" + " ".join(deltas)).replace(" -", "-") + ("z" if tutup else "")


def path_data(g) -> str:
    """SVG path data of a projected (multi)polygon or (multi)line."""
    parts: list[str] = []
    for p in getattr(g, "geoms", [g]):
        if p.is_empty:
            continue
        if p.geom_type == "Polygon":
            parts.append(_ring(p.exterior.coords, True))
            parts += [_ring(r.coords, True) for r in p.interiors]
        elif p.geom_type == "LineString":
            parts.append(_ring(p.coords, False))
        elif p.geom_type in ("MultiPolygon", "MultiLineString", "GeometryCollection"):
            parts.append(path_data(p))
    return "".join(parts)


def _sederhana(g, proj: Proyeksi):
    s = proj.geometri(g).simplify(0.6, preserve_topology=True)
    return s


def _fitur_svg(f: FiturSpasial, layer: LapisanSpasial, proj: Proyeksi, opasitas: float = 0.6) -> str:
    d = path_data(_sederhana(shape(f.geometri), proj))
    if not d:
        return ""
    label = f"{layer.nama}: {_('fitur')} {f.urutan}" + (f", {_('kelas')} {f.kelas}" if f.kelas else "")
    title = f"<title>{escape(label)}</title>"
    if layer.jenis in WARNA_GARIS or f.geometri.get("type", "").endswith("LineString"):
        warna = WARNA_GARIS.get(layer.jenis, INK)
        return (f'<path class="garis garis-{escape(layer.jenis)}" d="{d}" fill="none" stroke="{warna}" '
                f'stroke-width="2.5" vector-effect="non-scaling-stroke">{title}</path>')
    warna = WARNA_KAWASAN if layer.jenis == LapisanSpasial.KAWASAN_LINDUNG else WARNA_KELAS.get(f.kelas, "#9e9ac8")
    return (f'<path class="zona kelas-{escape(f.kelas or "lain")}" d="{d}" fill="{warna}" fill-opacity="{opasitas}" '
            f'fill-rule="evenodd" stroke="{warna}" stroke-width="1" vector-effect="non-scaling-stroke">{title}</path>')


def _lapisan_svg(layers: Iterable[LapisanSpasial], proj: Proyeksi, opasitas: float = 0.6) -> str:
    out = []
    w, s, e, n = proj.w, proj.s, proj.e, proj.n
    for layer in layers:
        feats = FiturSpasial.objects.filter(lapisan=layer, max_x__gte=w, min_x__lte=e, max_y__gte=s, min_y__lte=n)
        # zones of higher class drawn last (on top)
        order = {"rendah": 0, "sedang": 1, "tinggi": 2}
        ordered = sorted(feats, key=lambda f: (order.get(f.kelas, -1), f.urutan))
        body = "".join(_fitur_svg(f, layer, proj, opasitas) for f in ordered)
        out.append(f'<g class="lapisan lapisan-{escape(layer.jenis)}" data-kode="{escape(layer.kode)}">{body}</g>')
    return "".join(out)


def overlay_svg(*, bbox: Sequence[float] | None, lebar: float, tinggi: float,
                layers: Iterable[LapisanSpasial]) -> str:
    """A ``<g>`` to put over a dashboard map whose viewBox (0..lebar × 0..tinggi) covers ``bbox`` (lon/lat)."""
    if not bbox:
        return ""
    proj = Proyeksi(tuple(bbox), lebar, tinggi)  # type: ignore[arg-type]
    body = _lapisan_svg(layers, proj, opasitas=0.4)
    # pointer-events none: the choropleth's region links under the zones stay clickable
    return f'<g class="lapisan-sektor" pointer-events="none">{body}</g>' if body else ""


def _legenda(layers: list[LapisanSpasial], y0: float) -> tuple[str, float]:
    items: list[tuple[str, str, bool]] = []
    if any(la.jenis == LapisanSpasial.BAHAYA for la in layers):
        items += [(WARNA_KELAS[k], _("bahaya %(kelas)s") % {"kelas": _(k)}, False)
                  for k in ("rendah", "sedang", "tinggi")]
    if any(la.jenis == LapisanSpasial.KAWASAN_LINDUNG for la in layers):
        items.append((WARNA_KAWASAN, _("kawasan lindung"), False))
    for jenis, warna in WARNA_GARIS.items():
        if any(la.jenis == jenis for la in layers):
            items.append((warna, _("jaringan jalan") if jenis == LapisanSpasial.JALAN else _("jaringan air"), True))
    parts, x, y, fs = [], 12.0, y0 + 10, 22
    for warna, label, garis in items:
        width = 40 + len(label) * fs * 0.55
        if x + width > LEBAR - 12:
            x, y = 12.0, y + 34
        mark = (f'<line x1="{x:.0f}" y1="{y + 13:.0f}" x2="{x + 28:.0f}" y2="{y + 13:.0f}" stroke="{warna}" '
                f'stroke-width="4"/>' if garis else
                f'<rect x="{x:.0f}" y="{y:.0f}" width="28" height="26" fill="{warna}" stroke="#8a94a3"/>')
        parts.append(mark + f'<text x="{x + 36:.0f}" y="{y + 20:.0f}" font-size="{fs}" fill="{INK}">'
                            f'{escape(label)}</text>')
        x += width + 16
    return f'<g class="legenda">{"".join(parts)}</g>', (y + 40 - y0) if items else 0


def peta_lapisan_svg(layers: Sequence[LapisanSpasial], *, id_: str, judul: str) -> SafeString:
    """A whole map: the desa boundaries (grey, titled) and the layers on top, with a legend."""
    desa = list(Wilayah.objects.filter(kedalaman=4, geometri__isnull=False).values_list("kode", "nama", "geometri"))
    geoms = [(k, nm, shape(g)) for k, nm, g in desa]
    bounds: Any = None
    if geoms:
        bounds = shapely.total_bounds([g for _k, _n, g in geoms])
    else:
        boxes = [la.ringkasan.get("bbox") for la in layers if (la.ringkasan or {}).get("bbox")]
        if boxes:
            bounds = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                      max(b[3] for b in boxes))
    if bounds is None:
        return mark_safe("")  # noqa: S308 - empty
    proj = Proyeksi.muat(tuple(float(b) for b in bounds))
    legend, legend_h = _legenda(list(layers), proj.tinggi)
    height = proj.tinggi + legend_h
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(id_)}" class="peta peta-lapisan" '
             f'viewBox="0 0 {proj.lebar} {height:.0f}" font-family="{FONT}" role="img" '
             f'aria-labelledby="{escape(id_)}-judul"><title id="{escape(id_)}-judul">{escape(judul)}</title>',
             f'<rect width="{proj.lebar}" height="{height:.0f}" fill="#ffffff"/>', '<g class="batas-desa">']
    for kode, nama, g in geoms:
        d = path_data(_sederhana(g, proj))
        parts.append(f'<path d="{d}" fill="#eef1f4" stroke="#8a94a3" stroke-width="1" '
                     f'vector-effect="non-scaling-stroke" data-kode="{escape(kode)}"><title>{escape(nama)}</title>'
                     f'</path>')
    parts.append("</g>")
    parts.append(_lapisan_svg(layers, proj))
    parts.append(legend)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped
