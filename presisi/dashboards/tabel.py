"""Tables shown on the pages and offered as CSV/XLSX downloads (same rows, same columns)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from presisi.core.exports import DIALEK_STANDAR, Dialek, desimal_kolom, rows_to_csv, rows_to_xlsx
from presisi.dashboards.fmt import angka

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
    tautan_urut: dict[str, str] = field(default_factory=dict)  # sort key → URL
    urut_aktif: str = ""

    @property
    def kolom_halaman(self) -> list[tuple[str, str]]:
        return [(k, label) for k, label in self.kolom if k not in self.sembunyi]

    @property
    def kepala_halaman(self) -> list[dict[str, Any]]:
        """Header cells; value, name and rank link to server-side sorting (plain links, no script)."""
        out = []
        for key, label in self.kolom_halaman:
            cell: dict[str, Any] = {"label": label, "css": "" if key in TEKS else "n", "href": None, "sort": None}
            if self.tautan_urut and key == "nilai":
                down = self.urut_aktif == "-nilai"
                cell["href"] = self.tautan_urut["nilai" if down else "-nilai"]
                cell["sort"] = {"nilai": "ascending", "-nilai": "descending"}.get(self.urut_aktif)
                cell["label"] = f"{label} {'↓' if down else '↑' if self.urut_aktif == 'nilai' else '↕'}"
            elif self.tautan_urut and key in ("nama", "peringkat"):
                cell["href"] = self.tautan_urut[key]
                cell["sort"] = "ascending" if self.urut_aktif == key else None
            out.append(cell)
        return out

    @property
    def baris_html(self) -> list[SafeString]:
        """Rows as escaped HTML, formatted here: far cheaper than per-cell template logic on big tables."""
        keys = [k for k, _label in self.kolom_halaman]
        return [mark_safe(_row_html(self, row, keys)) for row in self.baris]  # noqa: S308 - escaped below


TEKS = {"kode", "nama", "tema", "satuan", "kelompok", "periode", "status_data", "desa_dinas"}
BULAT = {"peringkat", "pembilang", "penyebut", "penduduk", "keluarga", "rumah_tangga", "laki", "perempuan"}
TERSEMBUNYI = {"pembilang", "penyebut", "nilai", "kec", "lain", "pulau", "darat", "desa", "kecamatan", "kabupaten",
               "laki", "perempuan", "induk", "nilai_banding"}


def _cell_html(tabel: Tabel, row: dict[str, Any], key: str) -> str:
    text = escape(teks_sel(tabel, row, key))
    if key == "nama":
        href = row.get("href")
        return f'<td><a href="{escape(href)}">{text}</a></td>' if href else f"<td>{text}</td>"
    if key in TEKS:
        return f'<td class="code">{text}</td>' if key == "kode" else f"<td>{text}</td>"
    if key == "perubahan" and row.get("ubah"):
        return f'<td class="n"><span class="ubah {row["ubah"]["makna"]}">{row["ubah"]["panah"]} {text}</span></td>'
    if key == "nilai" and row.get("sementara"):
        label = escape(_("sementara: mencakup data desa yang belum disetujui"))
        return f'<td class="n sementara">{text} <abbr title="{label}">*</abbr></td>'
    return f'<td class="n sembunyi">{text}</td>' if text == "&lt;5" else f'<td class="n">{text}</td>'


def _row_html(tabel: Tabel, row: dict[str, Any], keys: list[str]) -> str:
    css = ' class="dipilih"' if row.get("dipilih") else ""
    return f"<tr{css}>" + "".join(_cell_html(tabel, row, k) for k in keys) + "</tr>"


def teks_sel(tabel: Tabel, row: dict[str, Any], key: str) -> str:
    """One table cell as text: numbers localised, hidden small cells marked."""
    value = row.get(key)
    if value is None and row.get("belum_terbit") and key in TERSEMBUNYI:
        return _("belum terbit")
    if value is None:
        hidden = (row.get("disembunyikan") and key in TERSEMBUNYI) or key in row.get("sembunyi", ())
        return "<5" if hidden else "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    digits = 0 if key in BULAT else int(row.get("desimal", tabel.desimal))
    text = angka(value, digits)
    return f"+{text}" if key in ("perubahan", "selisih") and value > 0 else text


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
            ("pembilang", _("Pembilang")), ("penyebut", _("Penyebut")),
            ("nilai", _("Nilai %(periode)s") % {"periode": periode} + unit)]
    if banding:
        cols += [("nilai_banding", _("Nilai %(periode)s") % {"periode": banding}), ("perubahan", _("Perubahan"))]
    return cols


DESIMAL_BARIS = "_desimal"  # the row's digits (indicator tables mix indicators), never a column


def _export_rows(tabel: Tabel) -> list[dict[str, Any]]:
    hidden = _("disembunyikan (<5)")
    out = []
    for row in tabel.baris:
        r = {k: row.get(k) for k, _label in tabel.kolom}
        r[DESIMAL_BARIS] = int(row.get("desimal", tabel.desimal))
        keys = list(row.get("sembunyi", ()))
        if row.get("disembunyikan"):
            keys += [k for k, _label in tabel.kolom if k not in ("kode", "nama", "peringkat", "satuan", "tema")]
        for key in keys:
            if key in r and r[key] is None:
                r[key] = hidden
        if row.get("belum_terbit"):
            for key in TERSEMBUNYI:
                if key in r and r[key] is None:
                    r[key] = _("belum terbit")
        out.append(r)
    return out


def unduhan(tabel: Tabel, fmt: str, nama_berkas: str, dialek: Dialek = DIALEK_STANDAR) -> HttpResponse:
    """The table as a file download: CSV in a dialect (see core.exports), or XLSX. Numbers have the digits
    the page shows (counts whole, values with their indicator's decimals), so file and page agree."""
    rows = _export_rows(tabel)
    digits = desimal_kolom(bulat=BULAT, desimal=tabel.desimal, per_baris=DESIMAL_BARIS)
    if fmt == "xlsx":
        title = "".join("-" if c in "[]:*?/\\" else c for c in tabel.judul)[:31] or "Data"
        body = rows_to_xlsx(rows, tabel.kolom, title=title, desimal=digits)
    else:
        body = rows_to_csv(rows, tabel.kolom, dialek=dialek, desimal=digits)
    response = HttpResponse(body, content_type=FORMAT[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(nama_berkas)}.{fmt}"'
    return response


def kolom_status_data(tabel: Tabel) -> None:
    """Provisional mode: downloads (and the page's table) say for each row whether it is provisional."""
    if any(key == "status_data" for key, _label in tabel.kolom):
        return
    tabel.kolom = [*tabel.kolom, ("status_data", _("Status data"))]
    for row in tabel.baris:
        row["status_data"] = _("sementara") if row.get("sementara") else _("tetap")
