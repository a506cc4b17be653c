"""The per-desa XLSX template, generated from the dictionary.

One sheet per unit (Keluarga, Individu, Rumah Tangga, Bangunan): row 1 holds the variable
codes the importer reads, row 2 the Indonesian labels (* = required), data from row 3.
Code lists and the desa's banjar are drop-downs that point at a hidden sheet, and a
"Petunjuk" sheet explains every column.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from presisi.core.exports import xlsx_cell, xlsx_row
from presisi.dictionary.models import KODE, TANGGAL, TEKS
from presisi.imports.cells import KOSONGKAN
from presisi.imports.columns import BANJAR, SHEET_NAMES, UNITS, Kolom, unit_columns
from presisi.regions.models import Wilayah
from presisi.registry.identitas import KOLOM_ALASAN, KOLOM_KOREKSI

CODES_SHEET = "Daftar Kode"
GUIDE_SHEET = "Petunjuk"
DATA_ROWS = 20000  # rows that carry drop-downs and text formats
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def code_option(kode: int, label: str) -> str:
    """How a code appears in a drop-down; the importer reads the leading number."""
    return f"{kode} - {label}"


def banjar_option(banjar: Wilayah) -> str:
    return f"{banjar.kode.rsplit('.', 1)[-1]} - {banjar.nama}"


def _code_lists(wb: Workbook, columns: dict[str, list[Kolom]], banjar: list[Wilayah]) -> dict[str, str]:
    """Write every code list once to the hidden sheet; return variable code → range formula."""
    ws = wb.create_sheet(CODES_SHEET)
    ranges: dict[str, str] = {}
    lists: dict[str, list[str]] = {BANJAR: [banjar_option(b) for b in banjar]}
    for cols in columns.values():
        for col in cols:
            if col.tipe == KODE and col.var is not None and col.kode not in lists:
                lists[col.kode] = [code_option(k, lbl) for k, lbl in col.var.labels]
    for j, (kode, options) in enumerate(lists.items(), start=1):
        letter = get_column_letter(j)
        xlsx_cell(ws, 1, j, kode).font = Font(bold=True)
        for i, option in enumerate(options, start=2):
            xlsx_cell(ws, i, j, option)
        if options:
            ranges[kode] = f"'{CODES_SHEET}'!${letter}$2:${letter}${len(options) + 1}"
    ws.sheet_state = "hidden"
    return ranges


def _unit_sheet(wb: Workbook, unit: str, cols: list[Kolom], ranges: dict[str, str]) -> None:
    ws = wb.create_sheet(SHEET_NAMES[unit])
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        code_cell = xlsx_cell(ws, 1, j, col.kode)
        code_cell.font = Font(bold=True)
        code_cell.fill = REQUIRED_FILL if col.wajib else HEADER_FILL
        label_cell = xlsx_cell(ws, 2, j, col.label + (" *" if col.wajib else ""))
        label_cell.font = Font(italic=True)
        label_cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[letter].width = max(12, min(40, len(col.label) + 4))
        target = f"{letter}3:{letter}{DATA_ROWS + 2}"
        source = ranges.get(BANJAR if col.tipe == BANJAR else col.kode)
        if source and (col.tipe in (KODE, BANJAR)):
            dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                errorTitle="Nilai tidak ada dalam daftar",
                                error=f"Pilih {col.label} dari daftar.")
            dv.add(target)
            ws.add_data_validation(dv)
        if col.tipe in (TEKS, TANGGAL):
            # text format keeps 16-digit NIK/KK exact and dates as typed (TTTT-BB-HH)
            for row in range(3, 203):
                ws.cell(row=row, column=j).number_format = "@"
    ws.freeze_panes = "B3"


def _guide(wb: Workbook, desa: Wilayah, columns: dict[str, list[Kolom]], banjar: list[Wilayah]) -> None:
    ws = wb.active
    ws.title = GUIDE_SHEET
    lines = [
        f"Templat impor data desa presisi — {desa.get_tingkat_display()} {desa.nama} ({desa.kode})",
        f"Dibuat {dt.date.today().isoformat()} dari kamus data Presisi.",
        "",
        "Cara mengisi:",
        "1. Isi lembar Keluarga, Individu, Rumah Tangga dan Bangunan; baris 1 (kode kolom) jangan diubah.",
        "2. Baris 2 adalah nama kolom; tanda * berarti wajib diisi. Data dimulai dari baris 3.",
        "3. Kolom berdaftar (kode) dipilih dari daftar; boleh juga diketik angka kodenya saja.",
        "4. NIK dan No. KK diketik sebagai teks 16 digit (format sel Teks), tanggal sebagai TTTT-BB-HH.",
        "5. Jangan memakai rumus; isi nilai saja. Baris kosong dilewati.",
        "6. Setiap anggota keluarga harus memakai No. KK yang ada di lembar Keluarga atau sudah terdaftar.",
        "7. Penduduk yang meninggal atau pindah JANGAN dihapus dari berkas saja: catat peristiwanya di Presisi.",
        "8. Unggah dengan 'Uji coba' lebih dahulu: semua temuan ditampilkan per baris, tanpa menyimpan data.",
        f"9. Sel KOSONG tidak pernah menghapus nilai yang sudah tersimpan. Untuk mengosongkan nilai tersimpan, "
        f"isi sel dengan tanda {KOSONGKAN} (tanda minus saja); uji coba menampilkan nilai mana yang akan "
        "dikosongkan. Kolom wajib tidak dapat dikosongkan.",
        "10. NIK yang sudah terdaftar harus datang dengan orang yang sama (nama, tanggal lahir, jenis kelamin). "
        "NIK terdaftar dengan orang lain ditolak dan temuannya menyebut pemilik terdaftar.",
        f"11. Koreksi identitas (nama/tanggal lahir/jenis kelamin yang terdaftar memang salah): isi kolom "
        f"{KOLOM_KOREKSI} = ya dan {KOLOM_ALASAN} dengan alasannya. Baris itu menjadi peringatan dan "
        "koreksinya dicatat tersendiri di riwayat penduduk.",
        "12. Mengganti No. KK seseorang dicatat sebagai peristiwa Pindah KK; KK asal harus tetap punya satu "
        "kepala keluarga hidup (tetapkan kepala baru di berkas yang sama).",
        "13. Angka dari huruf lain (mis. ٥١٠٥ atau ５１０５) dibaca sebagai angka biasa; NIK yang tampil sebagai "
        "5.10501E+15 sudah kehilangan digit dan ditolak: format sel sebagai Teks lalu ketik ulang.",
        "",
        "Banjar dinas/lingkungan desa ini: " + ", ".join(banjar_option(b) for b in banjar),
        "",
    ]
    for text in lines:
        ws.append(xlsx_row(ws, [text]))
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Lembar", "Kode kolom", "Nama kolom", "Tipe", "Wajib", "Petunjuk"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for unit, cols in columns.items():
        for col in cols:
            ws.append(xlsx_row(ws, [SHEET_NAMES[unit], col.kode, col.label, col.tipe, "ya" if col.wajib else "",
                                    col.petunjuk]))
    for letter, width in zip("ABCDEF", (14, 28, 40, 10, 7, 60), strict=True):
        ws.column_dimensions[letter].width = width


def template_xlsx(*, desa: Wilayah) -> bytes:
    """The import template of one desa: its banjar and the current dictionary."""
    banjar = list(Wilayah.objects.banjar().filter(induk=desa).order_by("kode"))
    columns = {unit: unit_columns(unit) for unit in UNITS}
    wb = Workbook()
    _guide(wb, desa, columns, banjar)
    ranges = _code_lists(wb, columns, banjar)
    for unit in UNITS:
        _unit_sheet(wb, unit, columns[unit], ranges)
    wb.move_sheet(CODES_SHEET, offset=len(wb.sheetnames))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_nama_berkas(desa: Wilayah) -> str:
    return f"templat-impor-{desa.kode.replace('.', '')}.xlsx"
