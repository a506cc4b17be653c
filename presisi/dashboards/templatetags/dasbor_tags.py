"""Formatting helpers for the dashboard templates (numbers with a decimal comma, table cells)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

from presisi.dashboards.fmt import angka, dengan_satuan
from presisi.dashboards.tabel import teks_sel

register = template.Library()


@register.filter
def parameter_bernama(teks):
    """``{{ definisi|parameter_bernama }}``: a parameter named by its code shows its human name."""
    from presisi.indicators.selectors import parameter_bernama as bernama

    return bernama(teks)


@register.simple_tag
def sel(tabel, row: dict[str, Any], key: str) -> str:
    """One table cell as text: numbers localised, hidden small cells marked."""
    return teks_sel(tabel, row, key)


@register.filter
def nilai(value: float | None, spec: str = "1") -> str:
    """``{{ v|nilai:"1|persen" }}``: value with decimals and short unit."""
    digits, _sep, satuan = spec.partition("|")
    return dengan_satuan(value, int(digits or 1), satuan)


@register.filter
def bulat(value: float | None) -> str:
    return angka(value, 0)


@register.filter
def tema_label(value: str) -> str:
    return (value or "").replace("_", " ").capitalize()


@register.filter
def nama_wilayah(w) -> str:
    """'Kabupaten Klungkung', 'Kecamatan Nusa Penida', 'Desa Sakti' (without doubling a level word)."""
    level = w.get_tingkat_display()
    if w.tingkat == "banjar" or w.nama.lower().startswith(level.split("/")[0].lower()):
        return w.nama
    return f"{level} {w.nama}"


@register.filter
def dialek(url: str, kode: str) -> str:
    """``{{ csv|dialek:"excel-id" }}``: a CSV download link in one dialect (see core.exports)."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'dialek': kode})}"
