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


URUTAN = ["Wayan", "Made", "Nyoman", "Ketut"]
NAMA_DIRI = ["Sudarma", "Suartini", "Arya", "Merta", "Oka", "Sekar", "Raka", "Rai", "Sari", "Wiguna", "Astawa",
             "Budiasa", "Cahyadi", "Darmawan", "Ekayana", "Gunawan", "Hendrawan", "Indrayani", "Jayanti", "Kartika",
             "Laksmi", "Mahendra", "Ngurah", "Padmi", "Purnama", "Rustini", "Semara", "Tirtayasa", "Udayana",
             "Wisnawa", "Yudistira", "Adnyana", "Budiarta", "Candra", "Dharma", "Eka", "Gede", "Krisna", "Lila",
             "Mardika"]


def _nik(birth, sex: int, serial: int) -> str:
    day = birth.day + (40 if sex == 2 else 0)
    return f"510501{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial:04d}"


def _nama(k: int, sex: int) -> str:
    n = len(NAMA_DIRI)
    return (f"{'I' if sex == 1 else 'Ni'} {URUTAN[k % 4]} {NAMA_DIRI[(k // 4) % n]} "
            f"{NAMA_DIRI[(k // (4 * n) + k) % n]}")


def desa_sintetis(n_keluarga: int, *, anggota: int = 3, lahir_sama=None, mulai: int = 0) -> bytes:
    """A synthetic desa template (XLSX): ``n_keluarga`` families of ``anggota`` (1–3: head, spouse,
    child) with valid, distinct NIKs and KKs. ``lahir_sama`` = (date, sex) gives every person that
    birth date and sex instead (each the head of a one-person family: ``anggota`` is ignored).
    ``mulai`` shifts the family numbers (KK and NIK serials), so files with disjoint ranges of
    families hold other people."""
    import datetime as dt

    keluarga, individu = [], []
    serial = 3 * mulai
    for k in range(n_keluarga):
        kk = f"510501030315{mulai + k + 1:04d}"
        keluarga.append([kk, "001", f"Jl. Sintetis {k + 1}"])
        if lahir_sama is not None:
            people = [(lahir_sama[0], lahir_sama[1], 1, 2 if lahir_sama[1] == 1 else 1)]
        else:
            head = dt.date(1960 + k % 25, 1 + k % 12, 1 + k % 28)
            people = [(head, 1, 1, 2), (head.replace(year=head.year + 3), 2, 3, 2),
                      (dt.date(2005 + k % 15, 1 + (k + 5) % 12, 1 + (k + 3) % 28), 1 + k % 2, 4, 1)][:anggota]
        for birth, sex, hubungan, kawin in people:
            serial += 1
            individu.append([_nik(birth, sex, serial), kk, _nama(serial, sex), sex, "Klungkung", birth.isoformat(),
                             4, kawin, hubungan, 5 if hubungan != 4 else 3, 9 if hubungan == 1 else 2,
                             _nama(serial + 7, 1), _nama(serial + 13, 2), ""])
    return xlsx({"Keluarga": [KELUARGA_HEADER, *keluarga], "Individu": [INDIVIDU_HEADER, *individu]})
