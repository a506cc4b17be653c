"""NIK and No. KK rules (codes.md §3–§5), on top of python-stdnum's NIK checks.

Each check returns Findings rather than raising, so an import can report every problem
of a row at once. Severity "error" blocks the write; "warning" is recorded.
"""

from __future__ import annotations

import datetime as dt
import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.id import nik as stdnum_nik

from presisi.core.exceptions import Finding

_DIGITS16 = re.compile(r"^\d{16}$")


def is_temporary(number: str) -> bool:
    """OpenSID convention: '0' + 10-digit desa code + 5-digit serial, for NIK and KK alike."""
    return len(number) == 16 and number.startswith("0")


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


def nik_findings(nik: str, *, jenis_kelamin: int | None = None, tanggal_lahir: dt.date | None = None,
                 kecamatan_dikenal: set[str] | None = None, row: int | None = None,
                 column: str = "nik") -> list[Finding]:
    """All rule breaches of one NIK. A temporary number is accepted and only flagged."""
    f = lambda rule, msg, sev="error": Finding(rule=rule, message=msg, row=row, column=column,  # noqa: E731
                                                value=nik, severity=sev)
    if not _DIGITS16.match(nik or ""):
        return [f("nik_format", "NIK harus 16 digit angka")]
    if is_temporary(nik):
        return [f("nik_sementara", "nomor sementara (belum ber-NIK); perlu dipadankan dengan NIK asli", "warning")]
    findings: list[Finding] = []
    try:
        stdnum_nik.validate(nik)
    except StdnumError:
        day, month, yy = _date_part(nik, female_offset=True)
        if not _real_date(day, month, yy):
            return [f("nik_tanggal", "bagian tanggal lahir NIK (digit 7–12) bukan tanggal yang sah")]
        return [f("nik_wilayah", "kode provinsi/kabupaten NIK (digit 1–4) tidak dikenal")]
    day_raw = int(nik[6:8])
    if not (1 <= day_raw <= 31 or 41 <= day_raw <= 71):
        # stdnum reads the day modulo 40, so it lets 72–99 through; codes.md allows 01–31 and 41–71
        return [f("nik_tanggal", "bagian tanggal lahir NIK (digit 7–8) harus 01–31 atau 41–71")]
    if nik.endswith("0000"):
        findings.append(f("nik_nomor_urut", "nomor urut NIK (4 digit terakhir) tidak boleh 0000"))
    if kecamatan_dikenal is not None and nik[:6] not in kecamatan_dikenal:
        findings.append(f("nik_kecamatan", "kode kecamatan NIK (digit 1–6) tidak dikenal", "warning"))
    if jenis_kelamin in (1, 2) and (day_raw > 40) != (jenis_kelamin == 2):
        findings.append(f("nik_jenis_kelamin",
                          "tanggal NIK tidak cocok dengan jenis kelamin (perempuan: tanggal + 40)", "warning"))
    if tanggal_lahir is not None:
        day, month, yy = _date_part(nik, female_offset=True)
        if (day, month, yy) != (tanggal_lahir.day, tanggal_lahir.month, tanggal_lahir.year % 100):
            findings.append(f("nik_tanggal_lahir", "tanggal dalam NIK tidak sama dengan tanggal lahir", "warning"))
    return findings


def kk_findings(no_kk: str, *, kode_kabupaten: str | None = None, today: dt.date | None = None,
                row: int | None = None, column: str = "no_kk") -> list[Finding]:
    """Rule breaches of one No. KK: 16 digits, known region, a real issue date not in the future."""
    f = lambda rule, msg, sev="error": Finding(rule=rule, message=msg, row=row, column=column,  # noqa: E731
                                                value=no_kk, severity=sev)
    if not _DIGITS16.match(no_kk or ""):
        return [f("kk_format", "No. KK harus 16 digit angka")]
    if is_temporary(no_kk):
        return [f("kk_sementara", "No. KK sementara; perlu dipadankan dengan No. KK asli", "warning")]
    findings: list[Finding] = []
    try:
        stdnum_nik.validate(no_kk[:6] + "010100" + no_kk[12:])  # region part, via stdnum's table
    except StdnumError:
        findings.append(f("kk_wilayah", "kode wilayah No. KK (digit 1–4) tidak dikenal"))
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
