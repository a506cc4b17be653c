"""Formatting helpers for the dashboard templates (numbers with a decimal comma, table cells)."""

from __future__ import annotations

from typing import Any

from django import template

from presisi.dashboards.fmt import angka, dengan_satuan

register = template.Library()
BULAT = {"peringkat", "pembilang", "penyebut", "penduduk", "keluarga", "rumah_tangga", "laki", "perempuan"}
TERSEMBUNYI = {"pembilang", "penyebut", "nilai", "kec", "lain", "pulau", "darat", "desa", "kecamatan", "kabupaten",
               "laki", "perempuan", "induk", "nilai_banding"}


@register.simple_tag
def sel(tabel, row: dict[str, Any], key: str) -> str:
    """One table cell as text: numbers localised, hidden small cells marked."""
    value = row.get(key)
    if value is None:
        hidden = (row.get("disembunyikan") and key in TERSEMBUNYI) or key in row.get("sembunyi", ())
        return "<5" if hidden else "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    digits = 0 if key in BULAT else int(row.get("desimal", getattr(tabel, "desimal", 1)))
    text = angka(value, digits)
    return f"+{text}" if key in ("perubahan", "selisih") and value > 0 else text


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
