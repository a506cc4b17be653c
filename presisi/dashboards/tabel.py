"""Tables shown on the pages and offered as CSV/XLSX downloads (same rows, same columns)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from presisi.core.exports import rows_to_csv, rows_to_xlsx

FORMAT = {"csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Tabel:
    kode: str
    judul: str
    kolom: list[tuple[str, str]]  # (key, label)
    baris: list[dict[str, Any]] = field(default_factory=list)
    desimal: int = 1
    urut: bool = False  # headers link to server-side sorting
    sembunyi: tuple[str, ...] = ()  # columns exported but not shown on the page

    @property
    def kolom_halaman(self) -> list[tuple[str, str]]:
        return [(k, label) for k, label in self.kolom if k not in self.sembunyi]


def peringkat(baris: list[dict[str, Any]], arah: str, urut: str) -> list[dict[str, Any]]:
    """Rank by performance (1 = best; highest first when there is no direction), then sort as asked."""
    present = [b for b in baris if b.get("nilai") is not None]
    best_first = sorted(present, key=lambda b: b["nilai"], reverse=arah != "turun")
    for i, b in enumerate(best_first, start=1):
        b["peringkat"] = i
    for b in baris:
        b.setdefault("peringkat", None)
    keys: dict[str, Callable[[dict], Any]] = {
        "nama": lambda b: b["nama"],
        "kode": lambda b: b["kode"],
        "nilai": lambda b: (b["nilai"] is None, b["nilai"] or 0),
        "-nilai": lambda b: (b["nilai"] is None, -(b["nilai"] or 0)),
    }
    key = keys.get(urut) or (lambda b: (b["peringkat"] is None, b["peringkat"] or 0, b["kode"]))
    return sorted(baris, key=key)


def kolom_peringkat(satuan: str, periode: str, banding: str | None) -> list[tuple[str, str]]:
    unit = f" ({satuan})" if satuan else ""
    cols = [("peringkat", _("Peringkat")), ("kode", _("Kode")), ("nama", _("Wilayah")),
            ("pembilang", _("Pembilang")), ("penyebut", _("Penyebut")), ("nilai", f"{_('Nilai')} {periode}{unit}")]
    if banding:
        cols += [("nilai_banding", f"{_('Nilai')} {banding}"), ("perubahan", _("Perubahan"))]
    return cols


def _export_rows(tabel: Tabel) -> list[dict[str, Any]]:
    hidden = _("disembunyikan (<5)")
    out = []
    for row in tabel.baris:
        r = {k: row.get(k) for k, _label in tabel.kolom}
        keys = list(row.get("sembunyi", ()))
        if row.get("disembunyikan"):
            keys += [k for k, _label in tabel.kolom if k not in ("kode", "nama", "peringkat", "satuan", "tema")]
        for key in keys:
            if key in r and r[key] is None:
                r[key] = hidden
        out.append(r)
    return out


def unduhan(tabel: Tabel, fmt: str, nama_berkas: str) -> HttpResponse:
    """The table as a file download (CSV with BOM for Excel, or XLSX)."""
    rows = _export_rows(tabel)
    if fmt == "xlsx":
        title = "".join("-" if c in "[]:*?/\\" else c for c in tabel.judul)[:31] or "Data"
        body = rows_to_xlsx(rows, tabel.kolom, title=title)
    else:
        body = rows_to_csv(rows, tabel.kolom)
    response = HttpResponse(body, content_type=FORMAT[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(nama_berkas)}.{fmt}"'
    return response
