"""The columns of each unit's sheet: identity and link columns, then the dictionary variables.

The dictionary decides the columns, so a variable added to the dictionary appears in the
next template and is accepted by the importer without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from presisi.dictionary.models import BANGUNAN, DESIMAL, INDIVIDU, KELUARGA, KODE, RUMAH_TANGGA, TEKS
from presisi.dictionary.validation import VarSpec, unit_spec
from presisi.registry.identitas import KOLOM_ALASAN, KOLOM_KOREKSI

UNITS = [KELUARGA, INDIVIDU, RUMAH_TANGGA, BANGUNAN]
SHEET_NAMES = {KELUARGA: "Keluarga", INDIVIDU: "Individu", RUMAH_TANGGA: "Rumah Tangga", BANGUNAN: "Bangunan"}
KEY = {INDIVIDU: "nik", KELUARGA: "no_kk", RUMAH_TANGGA: "kode_rumah_tangga", BANGUNAN: "kode_bangunan"}
BANJAR = "banjar"
BANJAR_ADAT = "banjar_adat"  # Bali: the family's banjar adat (optional; matched within the desa's desa adat)
# Status changes (death, moving away) are events, never edits from a file.
NOT_FROM_FILE = {INDIVIDU: {"status_dasar"}}
# Columns that say how to treat a row and are never stored on the record.
PERINTAH = {KOLOM_KOREKSI, KOLOM_ALASAN}


@dataclass(frozen=True)
class Kolom:
    kode: str
    label: str
    tipe: str  # a dictionary type, or "banjar"
    wajib: bool = False
    var: VarSpec | None = None  # the dictionary variable, None for link columns
    petunjuk: str = ""

    @property
    def kamus(self) -> bool:
        return self.var is not None


LINKS: dict[str, list[Kolom]] = {
    KELUARGA: [Kolom(BANJAR, "Banjar dinas/lingkungan", BANJAR, True, petunjuk="pilih dari daftar"),
               Kolom(BANJAR_ADAT, "Banjar adat", BANJAR_ADAT,
                     petunjuk="Bali: kode atau nama banjar adat dari desa adat di desa ini (boleh kosong)")],
    INDIVIDU: [
        Kolom("no_kk", "Nomor KK", TEKS, True, petunjuk="No. KK dari lembar Keluarga atau yang sudah terdaftar"),
        Kolom("kode_rumah_tangga", "Kode rumah tangga", TEKS, petunjuk="dari lembar Rumah Tangga (boleh kosong)"),
        Kolom(KOLOM_KOREKSI, "Koreksi identitas (ya/kosong)", TEKS,
              petunjuk="isi 'ya' hanya bila NIK ini sudah terdaftar dan nama/tanggal lahir/jenis kelamin yang "
                       "terdaftar memang salah; wajib disertai alasan_koreksi. Tanpa ini, NIK terdaftar dengan "
                       "orang berbeda ditolak"),
        Kolom(KOLOM_ALASAN, "Alasan koreksi identitas", TEKS,
              petunjuk="alasan koreksi identitas (mis. 'salah ketik nama, sesuai KTP-el'); dicatat di riwayat"),
    ],
    RUMAH_TANGGA: [
        Kolom("kode_rumah_tangga", "Kode rumah tangga", TEKS, True, petunjuk="unik se-kabupaten, mis. 5105012001-0001"),
        Kolom(BANJAR, "Banjar dinas/lingkungan", BANJAR, True, petunjuk="pilih dari daftar"),
        Kolom("kode_bangunan", "Kode bangunan", TEKS, petunjuk="dari lembar Bangunan (boleh kosong)"),
    ],
    BANGUNAN: [
        Kolom("kode_bangunan", "Kode bangunan", TEKS, True, petunjuk="unik se-kabupaten, mis. 5105012001-B0001"),
        Kolom(BANJAR, "Banjar dinas/lingkungan", BANJAR, True, petunjuk="pilih dari daftar"),
        Kolom("lat", "Lintang (latitude)", DESIMAL, petunjuk="derajat desimal WGS84, mis. -8.5401"),
        Kolom("lng", "Bujur (longitude)", DESIMAL, petunjuk="derajat desimal WGS84, mis. 115.4042"),
    ],
}


def _from_var(var: VarSpec) -> Kolom:
    hint = "pilih dari daftar" if var.tipe == KODE else {"tanggal": "TTTT-BB-HH", "desimal": "pakai titik desimal",
                                                         "bilangan": "bilangan bulat"}.get(var.tipe, "")
    if var.kode in ("nik", "no_kk"):
        hint = "16 digit; format sel sebagai Teks agar digit terakhir tidak hilang"
    return Kolom(var.kode, var.nama, var.tipe, var.wajib, var, hint)


def unit_columns(unit: str) -> list[Kolom]:
    """The sheet's columns in order: the key, the links, then the dictionary variables."""
    spec = unit_spec(unit)
    skip = NOT_FROM_FILE.get(unit, set())
    links = LINKS[unit]
    link_codes = {k.kode for k in links}
    dict_cols = [_from_var(v) for k, v in spec.items() if k not in skip and k not in link_codes]
    key = KEY[unit]
    first = [c for c in dict_cols if c.kode == key] or [c for c in links if c.kode == key]
    rest_links = [c for c in links if c.kode != key and c.kode not in PERINTAH]
    core = [c for c in dict_cols if c.kode != key and c.var.penyimpanan == "kolom"]
    attrs = [c for c in dict_cols if c.kode != key and c.var.penyimpanan != "kolom"]
    commands = [c for c in links if c.kode in PERINTAH]  # last: rarely used
    return first + rest_links + core + attrs + commands


def columns_by_code(unit: str) -> dict[str, Kolom]:
    return {c.kode: c for c in unit_columns(unit)}
