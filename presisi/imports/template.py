"""The per-desa XLSX template, generated from the dictionary, empty or filled with the registry.

One sheet per unit (Keluarga, Individu, Rumah Tangga, Bangunan): row 1 holds the variable
codes the importer reads, row 2 the Indonesian labels (* = required), data from row 3.
Code lists and the desa's banjar are drop-downs that point at a hidden sheet, and a
"Petunjuk" sheet explains every column.

The workbook is written in openpyxl's write-only (streaming) mode, so the same builder serves
the empty template and a whole desa's registry (``presisi.imports.export``): ``isi`` gives each
unit's data rows. Text and date columns carry the text format "@" (column style and every
written cell), so a 16-digit NIK typed or edited in Excel keeps its last digit.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from presisi.core.exports import formula_like, xlsx_row, xlsx_value
from presisi.dictionary.models import KODE, TANGGAL, TEKS
from presisi.imports.cells import KOSONGKAN
from presisi.imports.columns import BANJAR, SHEET_NAMES, UNITS, Kolom, unit_columns
from presisi.regions.models import Wilayah
from presisi.registry.identitas import KOLOM_ALASAN, KOLOM_KOREKSI

CODES_SHEET = "Daftar Kode"
GUIDE_SHEET = "Petunjuk"
DATA_ROWS = 20000  # rows that carry drop-downs (beyond the filled rows of an export)
TEXT_FORMAT = "@"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def code_option(kode: int, label: str) -> str:
    """How a code appears in a drop-down; the importer reads the leading number."""
    return f"{kode} - {label}"


def banjar_option(banjar: Wilayah) -> str:
    return f"{banjar.kode.rsplit('.', 1)[-1]} - {banjar.nama}"


def text_column(col: Kolom) -> bool:
    """Columns kept as text in Excel: NIK/KK and codes of 16 digits, dates as typed (TTTT-BB-HH)."""
    return col.tipe in (TEKS, TANGGAL)


def _code_lists(columns: dict[str, list[Kolom]], banjar: list[Wilayah]) -> dict[str, list[str]]:
    """Every drop-down list once: variable code (or ``banjar``) → options."""
    lists: dict[str, list[str]] = {BANJAR: [banjar_option(b) for b in banjar]}
    for cols in columns.values():
        for col in cols:
            if col.tipe == KODE and col.var is not None and col.kode not in lists:
                lists[col.kode] = [code_option(k, lbl) for k, lbl in col.var.labels]
    return lists


def _ranges(lists: dict[str, list[str]]) -> dict[str, str]:
    """Variable code → the range formula of its list on the hidden sheet (one column per list)."""
    out = {}
    for j, (kode, options) in enumerate(lists.items(), start=1):
        if options:
            letter = get_column_letter(j)
            out[kode] = f"'{CODES_SHEET}'!${letter}$2:${letter}${len(options) + 1}"
    return out


def _styled(ws: Any, value: Any, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    if formula_like(value):
        cell.data_type = "s"  # text, never a formula (as presisi.core.exports writes it)
    for name, attr in style.items():
        setattr(cell, name, attr)
    return cell


def _codes_sheet(wb: Workbook, lists: dict[str, list[str]]) -> None:
    ws = wb.create_sheet(CODES_SHEET)
    ws.sheet_state = "hidden"
    kodes = list(lists)
    ws.append([_styled(ws, k, font=Font(bold=True)) for k in kodes])
    for i in range(max((len(v) for v in lists.values()), default=0)):
        ws.append(xlsx_row(ws, [lists[k][i] if i < len(lists[k]) else None for k in kodes]))


def _unit_sheet(wb: Workbook, unit: str, cols: list[Kolom], ranges: dict[str, str],
                rows: Iterable[Sequence[Any]], baris: int = DATA_ROWS) -> None:
    ws = wb.create_sheet(SHEET_NAMES[unit])
    text = [text_column(c) for c in cols]
    for j, col in enumerate(cols, start=1):
        letter = get_column_letter(j)
        dim = ws.column_dimensions[letter]
        dim.width = max(12, min(40, len(col.label) + 4))
        if text[j - 1]:
            dim.number_format = TEXT_FORMAT  # a cell typed later in this column is text too
        source = ranges.get(BANJAR if col.tipe == BANJAR else col.kode)
        if source and col.tipe in (KODE, BANJAR):
            dv = DataValidation(type="list", formula1=source, allow_blank=True, showErrorMessage=True,
                                errorTitle="Nilai tidak ada dalam daftar", error=f"Pilih {col.label} dari daftar.")
            dv.add(f"{letter}3:{letter}{baris + 2}")
            ws.data_validations.append(dv)
    ws.freeze_panes = "B3"
    ws.append([_styled(ws, c.kode, font=Font(bold=True), fill=REQUIRED_FILL if c.wajib else HEADER_FILL)
               for c in cols])
    ws.append([_styled(ws, c.label + (" *" if c.wajib else ""), font=Font(italic=True),
                       alignment=Alignment(wrap_text=True, vertical="top")) for c in cols])
    for row in rows:
        ws.append([_styled(ws, v, number_format=TEXT_FORMAT) if t and v not in (None, "") else xlsx_value(ws, v)
                   for v, t in zip(row, text, strict=True)])


def _guide(wb: Workbook, desa: Wilayah, columns: dict[str, list[Kolom]], banjar: list[Wilayah],
           catatan: Sequence[str]) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABCDEF", (14, 28, 40, 10, 7, 60), strict=True):
        ws.column_dimensions[letter].width = width
    # the first cell names the desa: ``imports.batch.desa_dari_berkas`` recognises a file by it
    title = f"Templat impor data desa presisi — {desa.get_tingkat_display()} {desa.nama} ({desa.kode})"
    ws.append([_styled(ws, title, font=Font(bold=True, size=13))])
    lines = [
        f"Dibuat {dt.date.today().isoformat()} dari kamus data Presisi.",
        *catatan,
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
    ws.append([_styled(ws, h, font=Font(bold=True), fill=HEADER_FILL)
               for h in ("Lembar", "Kode kolom", "Nama kolom", "Tipe", "Wajib", "Petunjuk")])
    for unit, cols in columns.items():
        for col in cols:
            ws.append(xlsx_row(ws, [SHEET_NAMES[unit], col.kode, col.label, col.tipe, "ya" if col.wajib else "",
                                    col.petunjuk]))


def templat_buku(*, desa: Wilayah, isi: Mapping[str, Iterable[Sequence[Any]]] | None = None,
                 catatan: Sequence[str] = (), baris: int = DATA_ROWS) -> bytes:
    """The import workbook of one desa: guide, one sheet per unit, hidden code lists.

    ``isi``: per unit, data rows in ``unit_columns(unit)`` order (cell values as the importer reads
    them); ``catatan``: extra guide lines under the date (what the file holds); ``baris``: data rows
    the drop-downs cover (a large desa's export passes its size plus room for new rows)."""
    banjar = list(Wilayah.objects.banjar().filter(induk=desa).order_by("kode"))
    columns = {unit: unit_columns(unit) for unit in UNITS}
    lists = _code_lists(columns, banjar)
    ranges = _ranges(lists)
    wb = Workbook(write_only=True)
    _guide(wb, desa, columns, banjar, catatan)
    for unit in UNITS:
        _unit_sheet(wb, unit, columns[unit], ranges, (isi or {}).get(unit, ()), baris)
    _codes_sheet(wb, lists)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_xlsx(*, desa: Wilayah) -> bytes:
    """The empty import template of one desa: its banjar and the current dictionary."""
    return templat_buku(desa=desa)


def template_nama_berkas(desa: Wilayah) -> str:
    return f"templat-impor-{desa.kode.replace('.', '')}.xlsx"
