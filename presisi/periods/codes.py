"""Period codes, the one parser: ``2026`` (year), ``2026-S1``/``2026-S2`` (semester),
``2026-Q1``…``Q4`` (quarter), ``2026-08`` (month).

Case and whitespace do not matter (``2026-s2``, `` 2026-S2 ``, ``2026 - S2`` are ``2026-S2``):
codes are typed by hand in URLs, forms, spreadsheets and the console.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from presisi.core.exceptions import Finding, ValidationFailed

_PATTERN = re.compile(r"^(?P<y>\d{4})(?:-(?:(?P<s>S[12])|(?P<q>Q[1-4])|(?P<m>0[1-9]|1[0-2])))?$")
_SPACE = re.compile(r"\s+")
FORMAT_BANTUAN = "gunakan TTTT, TTTT-S1/S2, TTTT-Q1..Q4 atau TTTT-BB (mis. 2026-S2)"


def kode_rapikan(kode: object) -> str:
    """The canonical spelling of a code (upper case, no whitespace), without checking its form."""
    return _SPACE.sub("", str(kode or "")).upper()


def _cocok(kode: object) -> re.Match[str]:
    match = _PATTERN.match(kode_rapikan(kode))
    if not match:
        raise ValidationFailed("Kode periode tidak sah.", [Finding(
            rule="periode_format", column="periode", value=kode, message=FORMAT_BANTUAN)])
    return match


def kode_sah(kode: object) -> bool:
    return _PATTERN.match(kode_rapikan(kode)) is not None


def periode_bounds(kode: str) -> tuple[dt.date, dt.date]:
    """(first day, reference = last day) of a period code, or ValidationFailed."""
    match = _cocok(kode)
    year = int(match["y"])
    if match["s"]:
        first_month, last_month = (1, 6) if match["s"] == "S1" else (7, 12)
    elif match["q"]:
        q = int(match["q"][1])
        first_month, last_month = 3 * q - 2, 3 * q
    elif match["m"]:
        first_month = last_month = int(match["m"])
    else:
        first_month, last_month = 1, 12
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def normalize_periode(kode: str) -> str:
    """The canonical code, or ValidationFailed if it is not a period code."""
    _cocok(kode)
    return kode_rapikan(kode)


_BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def periode_nama(kode: str) -> str:
    """A readable Indonesian name: ``2026-S2`` → ``Semester 2 2026``, ``2026-08`` → ``Agustus 2026``."""
    kode = normalize_periode(kode)
    year, _, part = kode.partition("-")
    if not part:
        return f"Tahun {year}"
    if part[0] == "S":
        return f"Semester {part[1]} {year}"
    if part[0] == "Q":
        return f"Triwulan {part[1]} {year}"
    return f"{_BULAN[int(part) - 1]} {year}"
