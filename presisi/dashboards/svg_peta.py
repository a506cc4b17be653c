"""The choropleth map as inline SVG: coloured regions (links with aria-labels), legend, tooltips.

Fills and strokes are attributes (not page CSS) so the PNG download — the SVG drawn onto a
canvas — looks the same as the page. Class names are kept for styling focus and for tests.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presisi.dashboards.fmt import angka, nama_pendek
from presisi.dashboards.geo import GRID, TataLetak
from presisi.dashboards.klasifikasi import TANPA_DATA, Kelas

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
INK = "#1b2430"
LEGENDA_FONT = 36  # legend text, in viewBox units


@dataclass(frozen=True)
class Wilayah:
    """One region on the map: what to draw and say about it."""

    kode: str
    nama: str
    nilai: float | None
    teks: str  # tooltip / aria-label: name + value + unit
    href: str | None = None
    disembunyikan: bool = False
    singkat: str = ""  # short value text for labelled squares ("12,3%", "<5", "–")


def _attrs(**kw: Any) -> str:
    return " ".join(f'{k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in kw.items() if v is not None)


def _shape(letak: TataLetak, w: Wilayah, kelas: Kelas, fokus: str | None) -> str:
    b = letak.bentuk.get(w.kode)
    if b is None:
        return ""
    fill = kelas.warna_untuk(None if w.disembunyikan else w.nilai)
    idx = kelas.indeks(None if w.disembunyikan else w.nilai)
    css = f"kelas-{idx + 1}" if idx is not None else "kelas-kosong"
    is_focus = w.kode == fokus
    stroke, width = (INK, "3") if is_focus else ("#ffffff", "1")
    common = {"fill": fill, "class": f"wilayah {css}" + (" fokus" if is_focus else ""), "data_kode": w.kode}
    if b.path:
        extra = _attrs(stroke=stroke, stroke_width=width, vector_effect="non-scaling-stroke", **common)
        body = f'<path d="{b.path}" {extra}/>'
    elif b.kotak:
        x, y, s = b.kotak
        ink = kelas.tinta_untuk(None if w.disembunyikan else w.nilai)
        short = nama_pendek(w.nama)
        fs = max(12, min(30, s / 7, s * 1.7 / max(len(short), 1)))
        label = escape(short)
        value = escape(w.singkat or w.teks.rsplit(": ", 1)[-1])
        body = (f'<rect x="{x}" y="{y}" width="{s}" height="{s}" rx="6" '
                f'{_attrs(stroke=INK if is_focus else "#8a94a3", stroke_width="3" if is_focus else "1", **common)}/>'
                f'<text x="{x + s / 2:.1f}" y="{y + s / 2 - fs * 0.3:.1f}" font-size="{fs:.0f}" fill="{ink}" '
                f'text-anchor="middle">{label}</text>'
                f'<text x="{x + s / 2:.1f}" y="{y + s / 2 + fs * 1.0:.1f}" font-size="{fs:.0f}" fill="{ink}" '
                f'text-anchor="middle" font-weight="700">{value}</text>')
    else:
        x, y = b.titik or (0, 0)
        body = (f'<circle cx="{x}" cy="{y}" r="{16 if is_focus else 13}" '
                f'{_attrs(stroke=INK, stroke_width="3" if is_focus else "1.5", **common)}/>')
    title = f"<title>{escape(w.teks)}</title>"
    if w.href:
        return f'<a href="{escape(w.href)}" aria-label="{escape(w.teks)}">{title}{body}</a>'
    return f'<g role="img" aria-label="{escape(w.teks)}">{title}{body}</g>'


def _legend(kelas: Kelas, y0: float, lebar: int, desimal: int, satuan: str, arah: str) -> tuple[str, float]:
    items: list[tuple[str, str]] = []
    for i, warna in enumerate(kelas.warna):
        lo, hi = kelas.batas[i], kelas.batas[i + 1]
        label = angka(hi, desimal) if lo == hi or kelas.tunggal else f"{angka(lo, desimal)}–{angka(hi, desimal)}"
        items.append((warna, label))
    items.append((TANPA_DATA, _("tidak ada data / disembunyikan")))
    # The map is 1000 units wide and about 340 px wide on a 390 px phone: 36 units ≈ 12 px, the
    # smallest legend text that stays legible there (issue #13).
    fs, box, gap = LEGENDA_FONT, 40, 22
    parts = []
    x, y = 12.0, y0 + 8
    head = _("Legenda") + (f" ({escape(satuan)})" if satuan else "")
    if arah in ("naik", "turun"):
        head += " · " + _("warna lebih gelap = lebih baik")
    parts.append(f'<text x="12" y="{y + fs:.0f}" font-size="{fs}" fill="{INK}" font-weight="700">{escape(head)}</text>')
    y += fs + 14
    for warna, label in items:
        width = box + 8 + len(label) * fs * 0.55
        if x + width > lebar - 12:
            x, y = 12.0, y + box + 10
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{box}" height="{box}" fill="{warna}" stroke="#8a94a3"/>'
                     f'<text x="{x + box + 8:.0f}" y="{y + box - 9:.0f}" font-size="{fs}" fill="{INK}">'
                     f'{escape(label)}</text>')
        x += width + gap
    return f'<g class="legenda">{"".join(parts)}</g>', y + box + 12 - y0


def _basemap(letak: TataLetak) -> str:
    url = getattr(settings, "PRESISI_BASEMAP_URL", None) or os.environ.get("PRESISI_BASEMAP_URL", "")
    if not url or not letak.bbox or letak.mode == GRID:
        return ""
    w, s, e, n = letak.bbox
    href = url.format(minx=w, miny=s, maxx=e, maxy=n, width=letak.lebar, height=letak.tinggi)
    return (f'<image class="peta-dasar" href="{escape(href)}" x="0" y="0" width="{letak.lebar}" '
            f'height="{letak.tinggi}" preserveAspectRatio="none" opacity="0.6"/>')


def peta_svg(letak: TataLetak, wilayah: Sequence[Wilayah], kelas: Kelas, *, id_: str, judul: str,
             desimal: int = 1, satuan: str = "", arah: str = "", fokus: str | None = None,
             lapisan: str = "") -> SafeString:
    """The whole map: background, regions, group boundaries, an optional overlay (agency layers), legend."""
    legend, legend_h = _legend(kelas, letak.tinggi, letak.lebar, desimal, satuan, arah)
    height = letak.tinggi + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(id_)}" class="peta peta-{letak.mode}" '
        f'viewBox="0 0 {letak.lebar} {height:.0f}" font-family="{FONT}" aria-labelledby="{escape(id_)}-judul">',
        f'<title id="{escape(id_)}-judul">{escape(judul)}</title>',
        f'<rect class="latar-peta" width="{letak.lebar}" height="{height:.0f}" fill="#ffffff"/>',
        _basemap(letak),
    ]
    if letak.latar:
        parts.append(f'<path class="latar" d="{letak.latar}" fill="#eef1f4" stroke="#8a94a3" stroke-width="1.5" '
                     f'vector-effect="non-scaling-stroke"/>')
    parts.append('<g class="wilayah-wilayah">')
    parts += [_shape(letak, w, kelas, fokus) for w in wilayah]
    parts.append("</g>")
    if letak.garis:
        parts.append('<g class="garis-kelompok" fill="none" stroke="#1b2430" stroke-width="2" '
                     'vector-effect="non-scaling-stroke" pointer-events="none">')
        parts += [f'<path d="{d}" vector-effect="non-scaling-stroke"/>' for d in letak.garis]
        parts.append("</g>")
    parts.append(lapisan)  # already-escaped SVG from presisi.integration.svg_spasial (or "")
    parts.append(legend)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped


def peta_lokasi_svg(letak: TataLetak, wilayah: Sequence[Wilayah], *, fokus: str, id_: str, judul: str) -> SafeString:
    """A locator map: the focus region highlighted among its neighbours, each labelled and linked."""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(id_)}" class="peta peta-lokasi" '
        f'viewBox="0 0 {letak.lebar} {letak.tinggi}" font-family="{FONT}" aria-labelledby="{escape(id_)}-judul">',
        f'<title id="{escape(id_)}-judul">{escape(judul)}</title>',
        f'<rect width="{letak.lebar}" height="{letak.tinggi}" fill="#ffffff"/>', _basemap(letak),
    ]
    labels = []
    for w in wilayah:
        b = letak.bentuk.get(w.kode)
        if b is None:
            continue
        is_focus = w.kode == fokus
        fill, stroke, width = ("#2c7fb8", INK, "3") if is_focus else ("#e3e7ec", "#8a94a3", "1")
        if b.path:
            shape = (f'<path d="{b.path}" fill="{fill}" stroke="{stroke}" stroke-width="{width}" '
                     f'vector-effect="non-scaling-stroke" class="wilayah{" fokus" if is_focus else ""}"/>')
        else:
            x, y = b.titik or (0, 0)
            shape = (f'<circle cx="{x}" cy="{y}" r="{18 if is_focus else 12}" fill="{fill}" stroke="{stroke}" '
                     f'stroke-width="{width}" class="wilayah{" fokus" if is_focus else ""}"/>')
        title = f"<title>{escape(w.teks)}</title>"
        parts.append(f'<a href="{escape(w.href)}" aria-label="{escape(w.teks)}">{title}{shape}</a>' if w.href
                     else f"<g>{title}{shape}</g>")
        if b.titik:
            x, y = b.titik
            weight = ' font-weight="700"' if is_focus else ""
            dy = 12 if b.path else -26
            labels.append(f'<text x="{x}" y="{y + dy:.1f}" font-size="{40 if is_focus else 30}" fill="{INK}" '
                          f'text-anchor="middle" stroke="#ffffff" stroke-width="4" paint-order="stroke"'
                          f'{weight}>{escape(w.nama)}</text>')
    parts.append(f'<g class="label" pointer-events="none">{"".join(labels)}</g></svg>')
    return mark_safe("".join(parts))  # noqa: S308 - text parts are escaped
