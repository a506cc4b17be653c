"""NIK and No. KK rules (codes.md §3–§5): format, region (``presisi.regions.known``), date, serial.

Each check returns Findings rather than raising, so an import can report every problem
of a row at once. Severity "error" blocks the write; "warning" is recorded.
"""

from __future__ import annotations

import datetime as dt
import re

from presisi.core.exceptions import Finding
from presisi.regions.known import KodeWilayah, kode_bali

# ASCII digits only: ``\d`` would also accept Arabic-Indic or full-width digits.
_DIGITS16 = re.compile(r"^[0-9]{16}$")


def is_temporary(number: str) -> bool:
    """OpenSID convention: '0' + 10-digit desa code + 5-digit serial, for NIK and KK alike."""
    return isinstance(number, str) and len(number) == 16 and number.startswith("0")


def temporary_layout_ok(number: str, wilayah: KodeWilayah) -> bool:
    """A temporary number is '0' + an existing desa code + serial; no region code starts with 0,
    so any other number beginning with 0 is simply wrong."""
    return is_temporary(number) and number[1:11] in wilayah.desa and number[11:] != "00000"


def region_findings(number: str, wilayah: KodeWilayah) -> tuple[str | None, bool]:
    """(error rule suffix or None, unknown kecamatan?) for the first six digits of a NIK/KK."""
    if not wilayah.provinsi_dikenal(number[:2]):
        return "provinsi", False
    if not wilayah.kabupaten_dikenal(number[:4]):
        return "kabupaten", False
    unknown_kec = wilayah.kecamatan_wajib_dikenal(number[:4]) and number[:6] not in wilayah.kecamatan
    return None, unknown_kec


def temporary_number(kode_desa: str, serial: int) -> str:
    return "0" + kode_desa.replace(".", "") + f"{serial:05d}"


def _date_part(number: str, *, female_offset: bool) -> tuple[int, int, int]:
    day, month, year = int(number[6:8]), int(number[8:10]), int(number[10:12])
    if female_offset and day > 40:
        day -= 40
    return day, month, year


def _real_date(day: int, month: int, yy: int) -> bool:
    for century in (1900, 2000):
        try:
            dt.date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _shown(value: object) -> object:
    return value if value is None or isinstance(value, str | int | float) else repr(value)[:40]


WILAYAH_PESAN = {"provinsi": "kode provinsi (digit 1–2) tidak dikenal",
                 "kabupaten": "kode kabupaten/kota (digit 3–4) tidak ada di provinsinya"}


def nik_findings(nik: str, *, jenis_kelamin: int | None = None, tanggal_lahir: dt.date | None = None,
                 kecamatan_dikenal: set[str] | None = None, row: int | None = None,
                 column: str = "nik", wilayah: KodeWilayah | None = None) -> list[Finding]:
    """All rule breaches of one NIK. A temporary number in OpenSID's layout is accepted and only
    flagged. Never raises, whatever ``nik`` is: a wrong type is a format finding."""
    f = lambda rule, msg, sev="error": Finding(rule=rule, message=msg, row=row, column=column,  # noqa: E731
                                                value=_shown(nik), severity=sev)
    wilayah = wilayah or kode_bali()
    text = _text(nik)
    if not _DIGITS16.match(text):
        return [f("nik_format", "NIK harus 16 digit angka")]
    if is_temporary(text):
        if not temporary_layout_ok(text, wilayah):
            return [f("nik_sementara_tidak_sah", "NIK diawali 0 hanya sah sebagai nomor sementara OpenSID: "
                                                 "0 + kode desa yang ada (10 digit) + nomor urut")]
        return [f("nik_sementara", "nomor sementara (belum ber-NIK); perlu dipadankan dengan NIK asli", "warning")]
    nik = text
    findings: list[Finding] = []
    day, month, yy = _date_part(nik, female_offset=True)
    if not _real_date(day, month, yy):
        return [f("nik_tanggal", "bagian tanggal lahir NIK (digit 7–12) bukan tanggal yang sah")]
    bad_region, unknown_kec = region_findings(nik, wilayah)
    if bad_region is not None:
        return [f("nik_wilayah", f"kode provinsi/kabupaten NIK (digit 1–4) tidak dikenal: {WILAYAH_PESAN[bad_region]} "
                                   f"({nik[:2]}.{nik[2:4]})")]
    day_raw = int(nik[6:8])
    if not (1 <= day_raw <= 31 or 41 <= day_raw <= 71):
        # days 32–40 and 72–99 are no day of a man or a woman (codes.md: 01–31 and 41–71)
        return [f("nik_tanggal", "bagian tanggal lahir NIK (digit 7–8) harus 01–31 atau 41–71")]
    if nik.endswith("0000"):
        findings.append(f("nik_nomor_urut", "nomor urut NIK (4 digit terakhir) tidak boleh 0000"))
    known_kec = nik[:6] in wilayah.kecamatan or (kecamatan_dikenal is not None and nik[:6] in kecamatan_dikenal)
    if (unknown_kec or kecamatan_dikenal is not None) and not known_kec:
        findings.append(f("nik_kecamatan", "kode kecamatan NIK (digit 1–6) tidak dikenal", "warning"))
    if not isinstance(jenis_kelamin, bool) and jenis_kelamin in (1, 2) and (day_raw > 40) != (jenis_kelamin == 2):
        findings.append(f("nik_jenis_kelamin",
                          "tanggal NIK tidak cocok dengan jenis kelamin (perempuan: tanggal + 40)", "warning"))
    if isinstance(tanggal_lahir, dt.date):
        day, month, yy = _date_part(nik, female_offset=True)
        if (day, month, yy) != (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100):
            findings.append(f("nik_tanggal_lahir", "tanggal dalam NIK tidak sama dengan tanggal lahir", "warning"))
    return findings


def kk_findings(no_kk: str, *, kode_kabupaten: str | None = None, today: dt.date | None = None,
                row: int | None = None, column: str = "no_kk", wilayah: KodeWilayah | None = None) -> list[Finding]:
    """Rule breaches of one No. KK: 16 digits, known region, a real issue date not in the future."""
    f = lambda rule, msg, sev="error": Finding(rule=rule, message=msg, row=row, column=column,  # noqa: E731
                                                value=_shown(no_kk), severity=sev)
    wilayah = wilayah or kode_bali()
    text = _text(no_kk)
    if not _DIGITS16.match(text):
        return [f("kk_format", "No. KK harus 16 digit angka")]
    no_kk = text
    if is_temporary(no_kk):
        if not temporary_layout_ok(no_kk, wilayah):
            return [f("kk_sementara_tidak_sah", "No. KK diawali 0 hanya sah sebagai nomor sementara OpenSID: "
                                                "0 + kode desa yang ada (10 digit) + nomor urut")]
        return [f("kk_sementara", "No. KK sementara; perlu dipadankan dengan No. KK asli", "warning")]
    findings: list[Finding] = []
    bad_region, _ = region_findings(no_kk, wilayah)
    if bad_region is not None:
        findings.append(f("kk_wilayah", f"kode wilayah No. KK (digit 1–4) tidak dikenal: {WILAYAH_PESAN[bad_region]}"))
    day, month, yy = _date_part(no_kk, female_offset=False)
    if not _real_date(day, month, yy):
        findings.append(f("kk_tanggal", "bagian tanggal No. KK (digit 7–12) bukan tanggal yang sah", "warning"))
    else:
        today = today or dt.date.today()
        year = 2000 + yy if 2000 + yy <= today.year else 1900 + yy
        try:
            if dt.date(year, month, day) > today:
                findings.append(f("kk_tanggal_depan", "tanggal terbit No. KK di masa depan", "warning"))
        except ValueError:
            pass
    if kode_kabupaten and not no_kk.startswith(kode_kabupaten.replace(".", "")):
        findings.append(f("kk_kabupaten", "No. KK tidak diterbitkan di kabupaten ini", "warning"))
    return findings


def errors_only(findings: list[Finding]) -> list[Finding]:
    return [x for x in findings if x.severity == "error"]
