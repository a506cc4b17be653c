"""The data-subject report as files to hand to the person: XLSX (one sheet per part) and PDF.

Both are built from the same dict as the page, the API and ``--json`` (``selectors.laporan_subjek``).
The PDF uses the core fonts only (no font files to ship): text is mapped to Latin-1.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from presisi.core.exports import LembarXlsx
from presisi.core.pdf import tabel, teks


def _bagian(r: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report as (title, header, rows) tables, in the order a reader meets them."""
    s, k = r["subjek"], r["keluarga"]
    identitas = [[_("NIK"), s["nik"]], [_("Nama"), s["nama"]], [_("Tempat lahir"), s["tempat_lahir"]],
                 [_("Tanggal lahir"), s["tanggal_lahir"]], [_("Jenis kelamin"), s["jenis_kelamin"]],
                 [_("Status dasar"), s["status_dasar"]], [_("Desa"), f"{s['desa']['nama']} ({s['desa']['kode']})"],
                 [_("Banjar"), s["banjar"]["nama"]], [_("No. KK"), k["no_kk"]], [_("Alamat"), k["alamat"]],
                 [_("Hubungan dalam keluarga"), k["hubungan"]]]
    for unit in ("subjek", "keluarga", "rumah_tangga", "bangunan"):
        for b in (r[unit] or {}).get("rincian", []):
            identitas += [[f"{b['bagian']}: {row['label']}", row["nilai"]] for row in b["baris"]]
    if r["rumah_tangga"]:
        identitas.append([_("Rumah tangga"), f"{r['rumah_tangga']['kode']} ({r['rumah_tangga']['hubungan']})"])
    if r["bangunan"]:
        b = r["bangunan"]
        identitas.append([_("Bangunan"), f"{b['kode']} {b['lat'] or ''} {b['lng'] or ''}".strip()])
    return [
        (_("Data yang disimpan"), [_("Data"), _("Nilai")], identitas),
        (_("Anggota keluarga"), [_("Nama"), _("NIK (disamarkan)"), _("Hubungan"), _("Status")],
         [[m["nama"], m["nik"], m["hubungan"], m["status_dasar"]] for m in k["anggota"]]),
        (_("Peristiwa kependudukan"), [_("Tanggal"), _("Peristiwa"), _("Keterangan")],
         [[p["tanggal"], p["jenis_label"], p["keterangan"]] for p in r["peristiwa"]]),
        (_("Riwayat perubahan"), [_("Waktu"), _("Oleh"), _("Perubahan"), _("Rincian")],
         [[e["waktu"][:19], e["pengguna"], e["judul"],
           "; ".join(f"{p['label']}: {p['sebelum']} -> {p['sesudah']}" for p in e["perubahan"]) or e["keterangan"]]
          for e in r["riwayat"]]),
        (_("Temuan validasi"), [_("Periode"), _("Aturan"), _("Kolom"), _("Pesan"), _("Status")],
         [[t["periode"], t["aturan"], t["kolom"], t["pesan"], t["status"]] for t in r["temuan"]]),
        (_("Impor berkas"), [_("Impor"), _("Berkas"), _("Waktu"), _("Oleh"), _("Menulis data")],
         [[f"#{j['id']}", j["nama_berkas"], j["dibuat"][:19], j["pengguna"], _("ya") if j["menulis"] else _("tidak")]
          for j in r["impor"]]),
        (_("Permintaan perbaikan"), [_("Diterima"), _("Data"), _("Usulan"), _("Status"), _("Alasan")],
         [[p["diterima_pada"][:19], p["kolom_label"], p["nilai_usulan"], p["status_label"], p["alasan"]]
          for p in r["permintaan_perbaikan"]]),
        (_("Akses ke data Anda"), [_("Waktu"), _("Pengguna"), _("Tindakan"), _("Tujuan"), _("NIK lengkap")],
         [[a["waktu"][:19], a["pengguna"] or _("sistem"), a["aksi"], a["tujuan"], _("ya") if a["nik_penuh"] else ""]
          for a in r["akses"]]),
    ]


def laporan_xlsx(r: dict[str, Any]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for judul, header, rows in _bagian(r):
        lembar = LembarXlsx(wb.create_sheet(judul[:31]), header)
        for row in rows:
            lembar.tambah(row)
        lembar.tutup()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def laporan_pdf(r: dict[str, Any]) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=14)
    pdf.set_margins(14, 14, 14)
    pdf.set_title(teks(_("Laporan data subjek")))
    pdf.set_creator("Presisi")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, teks(_("Laporan data pribadi: %(nama)s") % {"nama": r["subjek"]["nama"]}),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in (_("Hak akses subjek data, UU 27/2022 Pasal 32. Dibuat %(waktu)s.") % {"waktu": r["dibuat_pada"][:16]},
                 _("Berisi semua data yang disimpan tentang Anda dan setiap akses yang tercatat.")):
        pdf.multi_cell(0, 4.8, teks(line), new_x="LMARGIN", new_y="NEXT")
    for judul, header, rows in _bagian(r):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, teks(judul), new_x="LMARGIN", new_y="NEXT")
        if rows:
            tabel(pdf, header, rows)
        else:
            pdf.set_font("Helvetica", size=8.5)
            pdf.cell(0, 5, teks(_("Tidak ada.")), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
