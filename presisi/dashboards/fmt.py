"""Number formatting for maps, charts, tables and the PDF (decimal comma in Bahasa Indonesia)."""

from __future__ import annotations

from django.utils import formats

SATUAN_PENDEK = {"persen": "%", "per seribu": "‰"}


def angka(nilai: float | None, desimal: int = 1, kosong: str = "–") -> str:
    if nilai is None:
        return kosong
    return formats.number_format(round(float(nilai), desimal), decimal_pos=desimal, use_l10n=True,
                                 force_grouping=True)


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
