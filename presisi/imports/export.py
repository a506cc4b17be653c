"""A desa's current registry as the filled import template, to work on in Excel and import back.

The workbook is the template itself (``presisi.imports.template.templat_buku``: the same
columns, drop-downs, text formats and guide), filled with the desa's living people and active
families, households and buildings. Every cell holds what the importer reads back as the stored
value — codes as their drop-down option (``4 - Hindu``), banjar as ``001 - Kaja``, dates as
TTTT-BB-HH text, NIK/KK as 16-digit text — so importing the file unedited changes nothing, and
each edited cell is exactly one changed field in that record's history.

Only roles with person-level access to the desa export it (the file carries full NIK and No. KK:
re-importing needs them as keys); every export is one UU PDP processing-log row (``ekspor``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from presisi.accounts.access import check_person_access
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exceptions import PermissionDenied
from presisi.core.pdp import EKSPOR, TampilanPribadi, tampilan_server
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, KODE, RUMAH_TANGGA
from presisi.imports import existing
from presisi.imports.columns import BANJAR, UNITS, Kolom, unit_columns
from presisi.imports.template import DATA_ROWS, banjar_option, code_option, templat_buku
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP, Individu

LOADERS = {INDIVIDU: existing.individu_desa, KELUARGA: existing.keluarga_desa,
           RUMAH_TANGGA: existing.rumah_tangga_desa, BANGUNAN: existing.bangunan_desa}
NOMOR = {"nik", "no_kk"}  # shown through the PDP door
TUJUAN = "ekspor registri desa (templat impor)"  # stored untranslated in the processing log


@dataclass(frozen=True)
class EksporRegistri:
    isi: bytes
    nama_berkas: str
    desa: str
    jumlah: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"nama_berkas": self.nama_berkas, "desa": self.desa, "ukuran": len(self.isi), "jumlah": self.jumlah}


def _formatter(col: Kolom, banjar: dict[int, str], tampilan: TampilanPribadi):
    """One column's stored value → the cell the importer reads back as that same value."""
    if col.tipe == BANJAR:
        return lambda rec: banjar.get(rec.get("banjar_id"), "")
    options = {k: code_option(k, lbl) for k, lbl in col.var.labels} if col.tipe == KODE and col.var else {}

    def cell(rec: dict[str, Any]) -> Any:
        value = rec[col.kode] if col.kode in rec else rec["atribut"].get(col.kode)
        if value is None or value == "":
            return ""
        if col.kode in NOMOR:
            return tampilan.nik(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        if options and not isinstance(value, bool) and value in options:
            return options[value]
        return value

    return cell


def _cell(col: Kolom, rec: dict[str, Any], banjar: dict[int, str]) -> Any:
    """One cell of a record (benchmarks build variants of the export with it)."""
    return _formatter(col, banjar, tampilan_server(penuh=True))(rec)


def _active(unit: str, rec: dict[str, Any]) -> bool:
    return rec.get("status_dasar") == HIDUP if unit == INDIVIDU else rec.get("aktif", True)


def _order(unit: str, rec: dict[str, Any]) -> tuple:
    """Families by banjar and number; people grouped by family, head first, then by age."""
    if unit == INDIVIDU:
        return (rec.get("no_kk") or "", rec.get("hubungan_keluarga") or 99, rec["tanggal_lahir"], rec["nik"])
    if unit == KELUARGA:
        return (rec.get("banjar_id") or 0, rec["no_kk"])
    return (rec.get("banjar_id") or 0, rec.get("kode_rumah_tangga") or rec.get("kode_bangunan") or "")


def _rows(unit: str, records: list[dict[str, Any]], banjar: dict[int, str],
          tampilan: TampilanPribadi) -> Iterator[list[Any]]:
    cells = [_formatter(c, banjar, tampilan) for c in unit_columns(unit)]
    for rec in records:
        yield [cell(rec) for cell in cells]


def ekspor_desa_xlsx(*, desa: Wilayah, tampilan: TampilanPribadi | None = None,
                     jumlah: dict[str, int] | None = None, ids: list[int] | None = None) -> bytes:
    """The desa's registry in template layout (no access check, no log: ``registri_ekspor`` does both).
    ``jumlah``/``ids``, when given, receive the rows per unit and the exported people's ids."""
    tampilan = tampilan or tampilan_server(penuh=True)
    banjar = {b.pk: banjar_option(b) for b in Wilayah.objects.banjar().filter(induk=desa)}
    isi = {}
    jumlah = {} if jumlah is None else jumlah
    for unit in UNITS:
        records = sorted((r for r in LOADERS[unit](desa).values() if _active(unit, r)),
                         key=lambda r, u=unit: _order(u, r))
        jumlah[unit] = len(records)
        if ids is not None and unit == INDIVIDU:
            ids.extend(r["id"] for r in records)
        isi[unit] = _rows(unit, records, banjar, tampilan)
    catatan = [f"Berisi registri desa ini per {dt.date.today().isoformat()}: ubah sel yang perlu lalu impor "
               "kembali (uji coba dulu). Baris yang tidak diubah tidak mengubah apa pun; setiap sel yang diubah "
               "tercatat di riwayat rekamannya.",
               "Berkas ini memuat NIK dan No. KK lengkap (data pribadi, UU PDP): simpan di tempat aman dan "
               "hapus setelah diimpor."]
    # drop-downs cover every exported row and room for as many new ones as the empty template has
    return templat_buku(desa=desa, isi=isi, catatan=catatan, baris=max(jumlah.values(), default=0) + DATA_ROWS)


def ekspor_nama_berkas(desa: Wilayah) -> str:
    return f"registri-{desa.kode.replace('.', '')}-{dt.date.today().isoformat()}.xlsx"


def registri_ekspor(*, desa: Wilayah, pengguna=None, kanal: str = "web") -> EksporRegistri:
    """The one door for exporting a desa's registry: person-level access to the desa (outside the
    scope 404, a role without person-level access 403), the file with full NIK/KK, and one PDP
    processing-log row (``ekspor``) listing the exported people. ``pengguna=None``: the server
    operator at the command line."""
    if pengguna is None:
        tampilan = tampilan_server(kanal=kanal, penuh=True, kode_wilayah=desa.kode)
    else:
        check_person_access(pengguna, desa.kode)
        # the role needs full numbers here: the file's NIK/KK are the keys the import reads back
        tampilan = tampilan_pribadi(pengguna, desa.kode, minta=True, kanal=kanal)
        if not tampilan.penuh:
            raise PermissionDenied("Anda tidak berwenang mengekspor data perorangan desa ini.")
    jumlah: dict[str, int] = {}
    ids: list[int] = []
    isi = ekspor_desa_xlsx(desa=desa, tampilan=tampilan, jumlah=jumlah, ids=ids)
    tampilan.catat(aksi=EKSPOR, objek_tipe=Individu._meta.label_lower, objek_ids=ids, tujuan=TUJUAN,
                   jumlah=max(1, len(ids)))
    return EksporRegistri(isi=isi, nama_berkas=ekspor_nama_berkas(desa), desa=desa.kode, jumlah=jumlah)
