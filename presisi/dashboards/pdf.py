"""The village profile as a PDF for a Musrenbang meeting (fpdf2, pure Python, no browser).

Same content as the web page: title, date, period, data status, key indicators against the
kecamatan and the regency, the population pyramid and the locator map (the page's own SVG,
rendered by fpdf2), and the banjar table. Core PDF fonts only (no font files to ship): text is
mapped to Latin-1, with the few other symbols spelled out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from presisi.core.pdf import tabel, teks
from presisi.dashboards.fmt import angka
from presisi.dashboards.profil import Profil
from presisi.dashboards.svg_peta import FONT

BIRU = (11, 93, 122)


def _svg_for_pdf(svg: str) -> io.BytesIO:
    """The page's SVG made friendly for fpdf2: core font, no links or tooltips, only drawable characters."""
    s = svg.replace(FONT.replace("'", "&#x27;"), "Helvetica").replace(FONT, "Helvetica")
    s = s.replace(' stroke="#ffffff" stroke-width="4" paint-order="stroke"', "")  # label halos: not in fpdf2
    s = re.sub(r"<title[^>]*>.*?</title>", "", s, flags=re.S)
    s = re.sub(r"<a [^>]*>", "<g>", s).replace("</a>", "</g>")
    s = re.sub(r'(paint-order|vector-effect|pointer-events|aria-[a-z]+|role|data-[a-z]+)="[^"]*"', "", s)
    return io.BytesIO(teks(s).encode("utf-8"))


class _Dokumen(FPDF):
    def __init__(self, judul: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.judul_kaki = teks(judul)
        self.set_auto_page_break(True, margin=14)
        self.set_margins(14, 14, 14)

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7.5)
        self.set_text_color(90, 90, 90)
        page = _("halaman %(n)s dari %(total)s") % {"n": self.page_no(), "total": "{nb}"}
        self.cell(0, 4, f"{self.judul_kaki} - {page}", align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11.5)
    pdf.set_text_color(*BIRU)
    pdf.cell(0, 7, teks(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", size=8.5)


def _table(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
    tabel(pdf, header, rows, widths, ["LEFT"] + ["RIGHT"] * (len(header) - 1))


def _cell(row: dict, key: str) -> str:
    value = row.get(key)
    if value is None:
        return "<5" if row.get("disembunyikan") and key == "desa" else "-"
    return angka(value, int(row.get("desimal", 1)))


def profil_pdf(p: Profil, gambar: dict[str, str]) -> bytes:
    """The profile as PDF bytes (starts with %PDF)."""
    title = _("Profil Desa %(nama)s") % {"nama": p.desa.nama}
    pdf = _Dokumen(f"{title} - {p.periode.kode}")
    pdf.set_title(teks(title))
    pdf.set_creator("Presisi")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.set_text_color(90, 90, 90)
    pdf.cell(0, 5, teks(_("PROFIL DESA - DATA DESA PRESISI")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 17)
    pdf.set_text_color(*BIRU)
    pdf.cell(0, 9, teks(f"{p.desa.get_tingkat_display()} {p.desa.nama}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("Helvetica", size=9.5)
    kec = _("Kecamatan %(nama)s") % {"nama": p.kecamatan.nama} if p.kecamatan else ""
    where = ", ".join(x for x in (kec, p.konteks.kabupaten.nama if p.konteks.kabupaten else "") if x)
    lines = [
        _("Kode %(kode)s - %(wilayah)s") % {"kode": p.desa.kode, "wilayah": where},
        _("Periode %(periode)s (tanggal acuan %(acuan)s) - dicetak %(cetak)s") % {
            "periode": p.periode.kode, "acuan": date_format(p.periode.tanggal_referensi),
            "cetak": date_format(timezone.localtime(), "DATETIME_FORMAT")},
        _status_line(p),
        _("Bahan Musyawarah Perencanaan Pembangunan (Musrenbang). Hanya data agregat."),
    ]
    for line in lines:
        pdf.multi_cell(0, 4.8, teks(line), new_x="LMARGIN", new_y="NEXT")
    _key_indicators(pdf, p)
    _pictures(pdf, gambar)
    _banjar(pdf, p)
    return bytes(pdf.output())


def _status_line(p: Profil) -> str:
    s = p.status.get("snapshot")
    text = _("Status data: belum ada snapshot untuk periode ini.")
    if s:
        state = _("dibekukan (disetujui)") if s["beku"] else _("belum dibekukan")
        text = _("Status data: %(state)s; snapshot dibangun %(t)s, %(n)s penduduk.") % {
            "state": state, "t": date_format(timezone.localtime(s["dibangun_pada"]), "DATETIME_FORMAT"),
            "n": angka(s["jumlah_individu"], 0)}
    if p.status.get("pengajuan"):
        text += " " + _("Pengajuan: %(s)s.") % {"s": p.status["pengajuan"]["label"]}
    if p.reader.sementara:
        text += " " + _("ANGKA SEMENTARA: dapat mencakup data desa yang belum disetujui kabupaten.")
    elif p.belum_terbit:
        text += " " + _("Data desa ini untuk periode ini belum dipublikasikan.")
    return text


def _key_indicators(pdf: FPDF, p: Profil) -> None:
    _heading(pdf, _("Indikator utama dibandingkan kecamatan dan kabupaten"))
    rows = p.utama or p.indikator[:20]
    header = [_("Indikator"), p.desa.nama, _("Kec. %(nama)s") % {"nama": p.kecamatan.nama} if p.kecamatan else "",
              p.konteks.kabupaten.nama if p.konteks.kabupaten else "", _("Satuan")]
    body = [[r["nama"], _cell(r, "desa"), _cell(r, "kecamatan"), _cell(r, "kabupaten"), r["satuan"]] for r in rows]
    if not body:
        pdf.cell(0, 6, teks(_("Belum ada indikator yang dihitung untuk periode ini.")), new_x="LMARGIN", new_y="NEXT")
        return
    _table(pdf, header, body, (88, 24, 24, 24, 22))


def _pictures(pdf: FPDF, gambar: dict[str, str]) -> None:
    if pdf.get_y() > 170:
        pdf.add_page()
    _heading(pdf, _("Piramida penduduk dan peta lokasi"))
    y = pdf.get_y() + 1
    pdf.image(_svg_for_pdf(str(gambar["piramida"])), x=14, y=y, w=100)
    pdf.image(_svg_for_pdf(str(gambar["peta"])), x=118, y=y, w=78)
    pdf.set_y(y + 76)


def _banjar(pdf: FPDF, p: Profil) -> None:
    if p.banjar is None:
        return
    if pdf.get_y() > 220:
        pdf.add_page()
    _heading(pdf, _("Banjar"))
    cols = p.banjar.kolom[1:]  # the code column is left out to fit the page
    n_ind = len(cols) - 4
    widths = [46, 17, 17, 17] + [max(12.0, (182 - 97) / max(n_ind, 1))] * n_ind
    # indicator columns are numbered; their names follow the table
    header = [label for _key, label in cols[:4]] + [f"({i})" for i in range(1, n_ind + 1)]
    body = []
    for row in p.banjar.baris:
        cells = [row["nama"]]
        for key, _label in cols[1:]:
            value = row.get(key)
            cells.append("-" if value is None else angka(value, 0 if key in ("penduduk", "keluarga", "rumah_tangga")
                                                           else 1))
        body.append(cells)
    if not body:
        pdf.cell(0, 6, teks(_("Belum ada banjar terdaftar.")), new_x="LMARGIN", new_y="NEXT")
        return
    _table(pdf, header, body, widths[: len(header)])
    pdf.ln(1)
    pdf.set_font("Helvetica", size=7.5)
    for i, (_key, label) in enumerate(cols[4:], start=1):
        pdf.multi_cell(0, 3.8, teks(f"({i}) {label}"), new_x="LMARGIN", new_y="NEXT")
