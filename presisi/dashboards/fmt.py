"""Number formatting for maps, charts, tables and the PDF (decimal comma in Bahasa Indonesia)."""

from __future__ import annotations

from functools import lru_cache

from django.utils import formats, translation

# Indonesian and English (core.i18n.teks) unit names shown as symbols
SATUAN_PENDEK = {"persen": "%", "per seribu": "‰", "percent": "%", "per mille": "‰"}


@lru_cache(maxsize=32)
def _separators(lang: str | None) -> tuple[str, str]:
    with translation.override(lang):
        return str(formats.get_format("DECIMAL_SEPARATOR")), str(formats.get_format("THOUSAND_SEPARATOR"))


def angka(nilai: float | None, desimal: int = 1, kosong: str = "–") -> str:
    """A number in the active language's style (Indonesian: 1.234,5), grouped; thousands of calls per page."""
    if nilai is None:
        return kosong
    decimal, thousand = _separators(translation.get_language())
    text = f"{float(nilai):,.{max(desimal, 0)}f}"
    if text in ("-0", "-0.0", "-0.00", "-0.000"):
        text = text[1:]
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousand)


def satuan_pendek(satuan: str) -> str:
    return SATUAN_PENDEK.get((satuan or "").strip().lower(), satuan or "")


def dengan_satuan(nilai: float | None, desimal: int, satuan: str, kosong: str = "–") -> str:
    if nilai is None:
        return kosong
    s = satuan_pendek(satuan)
    text = angka(nilai, desimal)
    if not s:
        return text
    return f"{text}{s}" if s in ("%", "‰") else f"{text} {s}"


def nama_pendek(nama: str) -> str:
    """Banjar names without the level word, for small labels."""
    for prefix in ("Banjar Dinas ", "Lingkungan ", "Dusun ", "Banjar "):
        if nama.startswith(prefix):
            return nama[len(prefix):]
    return nama
