"""Import findings and summaries as a person reads them, in the active language.

Findings are stored as the pipeline wrote them (rule code, ``Lembar!kolom``, Indonesian message): the
files and the API carry exactly that. Pages show the rule's human label, the sheet and column by their
names ("Individu › Hubungan dengan kepala keluarga") and the message through its template
(``presisi.core.pesan``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from presisi.core.pesan import Pola, daftar_pola, terjemahkan
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA, Variabel
from presisi.imports.columns import LINKS, SHEET_NAMES
from presisi.validation.tampilan import POLA_KAMUS_NIK, label_aturan

# the file's sheets keep their Indonesian names in every language; a page names them as sheets
SHEET_LABELS = {KELUARGA: pgettext_lazy("lembar impor", "Keluarga"),
                INDIVIDU: pgettext_lazy("lembar impor", "Individu"),
                RUMAH_TANGGA: pgettext_lazy("lembar impor", "Rumah Tangga"),
                BANGUNAN: pgettext_lazy("lembar impor", "Bangunan")}
UNIT_LABELS = {KELUARGA: pgettext_lazy("unit impor", "Keluarga"), INDIVIDU: pgettext_lazy("unit impor", "Individu"),
               RUMAH_TANGGA: pgettext_lazy("unit impor", "Rumah tangga"),
               BANGUNAN: pgettext_lazy("unit impor", "Bangunan")}
SHEET_UNIT = {name.lower(): unit for unit, name in SHEET_NAMES.items()}

# Rules only the import pipeline reports (the validation rules have their names in aturan_bawaan.yaml).
RULE_LABELS = {
    "xlsx_rusak": gettext_lazy("Berkas XLSX rusak"), "berkas_kosong": gettext_lazy("Berkas kosong"),
    "berkas_terlalu_besar": gettext_lazy("Berkas terlalu besar"), "encoding": gettext_lazy("Pengodean teks berkas"),
    "format_tidak_dikenal": gettext_lazy("Format berkas tidak dikenal"), "lembar_ganda": gettext_lazy("Lembar ganda"),
    "kolom_tidak_dikenal": gettext_lazy("Kolom tidak dikenal"), "kolom_ganda": gettext_lazy("Kolom ganda"),
    "kolom_diabaikan": gettext_lazy("Kolom diabaikan"), "kolom_wajib_tidak_ada": gettext_lazy("Kolom wajib tidak ada"),
    "variabel_tidak_dikenal": gettext_lazy("Variabel tidak ada di kamus data"),
    "status_dasar": gettext_lazy("Status dasar hanya lewat peristiwa"),
    "tidak_aktif": gettext_lazy("Rekaman tidak aktif"),
    "pindah_kk": gettext_lazy("Pindah Kartu Keluarga"), "periode_ditutup": gettext_lazy("Periode ditutup"),
    "nik_orang_lain": gettext_lazy("NIK terdaftar atas orang lain"),
    "koreksi_identitas_rincian": gettext_lazy("Rincian koreksi identitas"),
    "alasan_koreksi_wajib": gettext_lazy("Koreksi identitas wajib beralasan"),
    "galat_berkas": gettext_lazy("Berkas tidak dapat dibaca"), "galat_baris": gettext_lazy("Baris tidak dapat dibaca"),
    "galat_sel": gettext_lazy("Sel tidak dapat dibaca"), "angka_excel": gettext_lazy("Angka Excel kehilangan digit"),
    "pola": gettext_lazy("Format isian"), "banjar_tidak_dikenal": gettext_lazy("Banjar tidak dikenal"),
    "no_kk_tidak_dikenal": gettext_lazy("No. KK tidak dikenal"),
    "kode_rumah_tangga_tidak_dikenal": gettext_lazy("Rumah tangga tidak dikenal"),
    "kode_bangunan_tidak_dikenal": gettext_lazy("Bangunan tidak dikenal"),
    "desa_ganda_dalam_kiriman": gettext_lazy("Desa ganda dalam satu kiriman"),
    "desa_berkas_tidak_dikenali": gettext_lazy("Desa berkas tidak dikenali"),
    "bukan_desa": gettext_lazy("Bukan kode desa"), "kk_format": gettext_lazy("No. KK 16 digit angka"),
}

# Shapes of the import's own messages (presisi/imports/summary.py, cells.py); the validation and
# dictionary shapes come with POLA_KAMUS_NIK.
PESAN_IMPOR = (
    gettext_noop("Impor ditolak: {n} kesalahan. Tidak ada data yang disimpan; perbaiki baris yang disebut lalu "
                 "unggah ulang."),
    gettext_noop("Uji coba lolos (tidak ada yang disimpan): akan {hasil}."),
    gettext_noop("Impor diterima: {hasil}; {n} peringatan perlu justifikasi."),
    gettext_noop("Impor diterima: {hasil}."),
    gettext_noop("{a} dibuat, {b} diubah, {c} tetap"),
    gettext_noop("{a} dibuat, {b} diubah, {c} tetap, {d} dilewati"),
    gettext_noop("{hasil}; {n} nilai tersimpan dikosongkan (tanda -)"),
    gettext_noop("kode {kode} tidak ada dalam klasifikasi {nama} ({daftar})"),
    gettext_noop("'{teks}' tidak ada dalam klasifikasi {nama} ({daftar})"),
    gettext_noop("{nama} harus kode angka"),
    gettext_noop("{nama} harus kode angka bulat"),
    gettext_noop("{nama} tidak sesuai format yang diwajibkan"),
    gettext_noop("{nama} harus 16 digit angka"),
    gettext_noop("{nama} harus tanggal TTTT-BB-HH (mis. 1980-03-12) atau HH-BB-TTTT"),
    gettext_noop("{nama} tidak boleh setelah hari ini"),
    gettext_noop("{nama} sebelum tahun 1880"),
    gettext_noop("{nama} tersimpan sebagai angka di Excel sehingga digit ke-16 hilang (menjadi 0); format kolom "
                 "sebagai Teks lalu ketik ulang"),
    gettext_noop("{nama} tertulis sebagai angka ilmiah ({teks}) sehingga digitnya hilang; format kolom sebagai "
                 "Teks lalu ketik ulang 16 digitnya"),
)


@lru_cache(maxsize=1)
def _pola() -> tuple[Pola, ...]:
    return daftar_pola(PESAN_IMPOR + POLA_KAMUS_NIK)


def pesan_tampil(teks: Any) -> Any:
    """An import message (summary or finding) in the active language."""
    return terjemahkan(teks, _pola())


def _nama_variabel(kode: str) -> str | None:
    var = Variabel.objects.filter(kode=kode).first()
    if var is None:
        return None
    try:
        from presisi.core.i18n import teks
    except ImportError:  # the dictionary's English names are not in this tree
        return var.nama
    return teks(var, "nama")


def kolom_tampil(kolom: Any) -> Any:
    """``Individu!hubungan_keluarga`` → ``Individu › Hubungan dengan kepala keluarga``; a CSV column
    (no sheet) → its variable's name. Anything unknown is shown as it is."""
    if not kolom or not isinstance(kolom, str):
        return kolom
    lembar, _, kode = kolom.rpartition("!")
    unit = SHEET_UNIT.get(lembar.lower())
    link = {k.kode: k.label for k in LINKS.get(unit, [])} if unit else {}
    nama = gettext(link[kode]) if kode in link else _nama_variabel(kode)
    sheet = str(SHEET_LABELS[unit]) if unit else lembar
    nama = nama or kode
    return f"{sheet} › {nama}" if sheet else nama


def aturan_tampil(kode: Any) -> Any:
    if not kode or not isinstance(kode, str):
        return kode
    return str(RULE_LABELS[kode]) if kode in RULE_LABELS else label_aturan(kode)


def unit_tampil(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def temuan_tampil_baris(f: dict[str, Any]) -> dict[str, Any]:
    """One stored finding with the human rule, column and message (the codes stay for the API)."""
    return {**f, "rule_label": aturan_tampil(f.get("rule")), "column_label": kolom_tampil(f.get("column")),
            "message": pesan_tampil(f.get("message"))}
