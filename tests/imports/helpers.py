"""Building small import files in memory (XLSX and CSV) with a valid two-family desa."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from presisi.accounts.services import pengguna_create

KELUARGA_HEADER = ["no_kk", "banjar", "alamat"]
INDIVIDU_HEADER = ["nik", "no_kk", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama",
                   "status_kawin", "hubungan_keluarga", "pendidikan", "pekerjaan", "nama_ayah", "nama_ibu",
                   "golongan_darah"]
KK1, KK2 = "5105010303150001", "5105010303150002"


def keluarga_rows() -> list[list]:
    return [[KK1, "001 - Kaja", "Jl. Pura Dalem 1"], [KK2, "001", "Jl. Pura Dalem 2"]]


def individu_rows() -> list[list]:
    return [
        ["5105011203800001", KK1, "I Wayan Sudarma", "1 - Laki-laki", "Klungkung", "1980-03-12", 4, 2, 1, 5, 9,
         "I Made Rai", "Ni Nyoman Sari", 1],
        ["5105014107830002", KK1, "Ni Made Suartini", 2, "Klungkung", "1983-07-01", 4, 2, 3, 5, 2,
         "I Ketut Oka", "Ni Wayan Rempeg", ""],
        ["5105012005080003", KK1, "I Putu Arya Wiguna", 1, "Klungkung", "2008-05-20", 4, 1, 4, 4, 3,
         "I Wayan Sudarma", "Ni Made Suartini", ""],
        ["5105010101600004", KK2, "I Nyoman Merta", 1, "Gianyar", "1960-01-01", 4, 4, 1, 3, 9,
         "I Gede Raka", "Ni Luh Sekar", 4],
    ]


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_file(keluarga: list[list] | None = None, individu: list[list] | None = None) -> bytes:
    return xlsx({
        "Keluarga": [KELUARGA_HEADER, *(keluarga_rows() if keluarga is None else keluarga)],
        "Individu": [INDIVIDU_HEADER, *(individu_rows() if individu is None else individu)],
    })


def csv_bytes(header: list[str], rows: list[list], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


def desa_lain_file() -> bytes:
    """The same two families for the other desa, with their own KK numbers and NIKs."""
    kk = {KK1: KK1[:-2] + "11", KK2: KK2[:-2] + "12"}
    keluarga = [[kk[no_kk], "001", alamat] for no_kk, _, alamat in keluarga_rows()]
    individu = [[nik[:-2] + "1" + nik[-1], kk[no_kk], *rest] for nik, no_kk, *rest in individu_rows()]
    return xlsx({"Keluarga": [KELUARGA_HEADER, *keluarga], "Individu": [INDIVIDU_HEADER, *individu]})


def user(peran: str, wilayah: str):
    return pengguna_create(username=f"{peran}-{wilayah}", password="rahasia-panjang", peran=peran,
                           wilayah_kode=wilayah)
