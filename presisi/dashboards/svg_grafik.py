"""Server-side SVG charts: the trend line chart and the population pyramid (no chart library)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from presisi.dashboards.fmt import angka, satuan_pendek
from presisi.dashboards.svg_peta import FONT, INK

BIRU, JINGGA, ABU = "#0b5d7a", "#c85200", "#8a94a3"  # blue/orange: distinguishable with any colour vision


@dataclass(frozen=True)
class Seri:
    nama: str
    nilai: tuple[float | None, ...]  # one per period, None = no value / hidden
    warna: str = BIRU
    putus: bool = False  # dashed line


def _ticks(lo: float, hi: float, n: int = 4) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    exp = 10 ** math.floor(math.log10(raw))
    step = min((m * exp for m in (1, 2, 2.5, 5, 10) if m * exp >= raw), default=raw)
    start = math.floor(lo / step) * step
    out, v = [], start
    while v < hi + step * 0.999:
        out.append(round(v, 10))
        v += step
    return out


def _open(id_: str, w: int, h: int, judul: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(id_)}" class="grafik" viewBox="0 0 {w} {h}" '
            f'font-family="{FONT}" role="img" aria-labelledby="{escape(id_)}-judul">'
            f'<title id="{escape(id_)}-judul">{escape(judul)}</title>'
            f'<rect width="{w}" height="{h}" fill="#ffffff"/>')


def tren_svg(periode: Sequence[str], seri: Sequence[Seri], *, id_: str, judul: str, desimal: int = 1,
             satuan: str = "") -> SafeString:
    """Value per period for each series; x = periods in time order."""
    w, h, left, right, top, bottom = 640, 340, 84, 52, 20, 92
    values = [v for s in seri for v in s.nilai if v is not None]
    lo = min([0.0, *values]) if values else 0.0
    ticks = _ticks(lo, max(values) if values else 1.0)
    y_lo, y_hi = ticks[0], ticks[-1]
    plot_w, plot_h = w - left - right, h - top - bottom
    n = max(len(periode), 1)

    def x(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y(v: float) -> float:
        return top + plot_h - (v - y_lo) / ((y_hi - y_lo) or 1) * plot_h

    parts = [_open(id_, w, h, judul)]
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    tick_digits = 0 if step >= 1 else min(3, -math.floor(math.log10(step)))
    for t in ticks:
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#e3e7ec"/>'
                     f'<text x="{left - 8}" y="{y(t) + 7:.1f}" font-size="20" fill="{INK}" text-anchor="end">'
                     f'{escape(angka(t, tick_digits))}</text>')
    every = max(1, math.ceil(n / 6))  # at most ~6 period labels
    for i, p in enumerate(periode):
        if i % every == 0 or i == n - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 28}" font-size="20" fill="{INK}" '
                         f'text-anchor="middle">{escape(p)}</text>')
    unit = satuan_pendek(satuan)
    for s in seri:
        pts = [(x(i), y(v), v, periode[i]) for i, v in enumerate(s.nilai) if v is not None]
        if len(pts) > 1:
            d = " ".join(f"{px:.1f},{py:.1f}" for px, py, _v, _p in pts)
            dash = ' stroke-dasharray="8 6"' if s.putus else ""
            parts.append(f'<polyline points="{d}" fill="none" stroke="{s.warna}" stroke-width="3"{dash}/>')
        for px, py, v, p in pts:
            label = f"{s.nama}, {p}: {angka(v, desimal)}{(' ' + unit) if unit and unit not in '%‰' else unit}"
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="{s.warna}"><title>{escape(label)}</title>'
                         f'</circle>')
    lx = left
    for s in seri:
        dash = ' stroke-dasharray="8 6"' if s.putus else ""
        parts.append(f'<line x1="{lx}" x2="{lx + 34}" y1="{h - 22}" y2="{h - 22}" stroke="{s.warna}" '
                     f'stroke-width="3"{dash}/><text x="{lx + 42}" y="{h - 15}" font-size="20" fill="{INK}">'
                     f'{escape(s.nama)}</text>')
        lx += 64 + int(len(s.nama) * 11)
    if not values:
        empty = _("Belum ada nilai untuk ditampilkan")
        parts.append(f'<text x="{w / 2}" y="{top + plot_h / 2}" font-size="18" fill="{INK}" text-anchor="middle">'
                     f'{escape(empty)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - text parts are escaped


@dataclass(frozen=True)
class Kelompok:
    label: str
    laki: int | None  # None = hidden (small cell)
    perempuan: int | None


def piramida_svg(kelompok: Sequence[Kelompok], *, id_: str, judul: str, jumlah: int | None = None) -> SafeString:
    """Population pyramid: men left, women right, youngest group at the bottom."""
    w, row, top, mid_w = 720, 24, 44, 84
    h = top + row * len(kelompok) + 44
    half = (w - mid_w) / 2 - 64
    peak = max([k.laki or 0 for k in kelompok] + [k.perempuan or 0 for k in kelompok] + [1])
    cx = w / 2
    men, women, total_label = _("Laki-laki"), _("Perempuan"), _("Jumlah penduduk")
    parts = [_open(id_, w, h, judul),
             f'<text x="{cx - mid_w / 2 - 8}" y="26" font-size="18" font-weight="700" fill="{BIRU}" '
             f'text-anchor="end">{escape(men)}</text>',
             f'<text x="{cx + mid_w / 2 + 8}" y="26" font-size="18" font-weight="700" fill="{JINGGA}">'
             f'{escape(women)}</text>']
    for i, k in enumerate(reversed(kelompok)):
        y = top + i * row
        parts.append(f'<text x="{cx}" y="{y + row - 7}" font-size="16" fill="{INK}" text-anchor="middle">'
                     f'{escape(k.label)}</text>')
        for value, sign, colour in ((k.laki, -1, BIRU), (k.perempuan, 1, JINGGA)):
            edge = cx + sign * mid_w / 2
            if value is None:
                parts.append(f'<text x="{edge + sign * 6:.1f}" y="{y + row - 7}" font-size="15" fill="{INK}" '
                             f'text-anchor="{"end" if sign < 0 else "start"}">&lt;5</text>')
                continue
            length = value / peak * half
            bx = edge - length if sign < 0 else edge
            sex = _("laki-laki") if sign < 0 else _("perempuan")
            label = f"{k.label}, {sex}: {angka(value, 0)}"
            parts.append(f'<rect x="{bx:.1f}" y="{y + 3}" width="{length:.1f}" height="{row - 6}" fill="{colour}">'
                         f'<title>{escape(label)}</title></rect>'
                         f'<text x="{edge + sign * (length + 6):.1f}" y="{y + row - 7}" font-size="15" fill="{INK}" '
                         f'text-anchor="{"end" if sign < 0 else "start"}">{escape(angka(value, 0))}</text>')
    total = jumlah if jumlah is not None else sum((k.laki or 0) + (k.perempuan or 0) for k in kelompok)
    parts.append(f'<text x="{cx}" y="{h - 12}" font-size="16" fill="{INK}" text-anchor="middle">'
                 f'{escape(total_label)}: {escape(angka(total, 0))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - text parts are escaped
