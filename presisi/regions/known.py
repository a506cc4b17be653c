"""Which region codes exist, for checking the region part of a NIK or No. KK (codes.md §3–§5).

Two sources: the region list in the database (the regency, its kecamatan, desa) and the Bali
list that ships with Presisi (every kabupaten/kota and kecamatan of the province). A province
whose kabupaten are listed is checked strictly (51.09 does not exist in Bali); other provinces
fall back to python-stdnum's table of regency codes, since a migrant's NIK from Java is real.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from stdnum import numdb

from presisi.regions.codes import PROVINSI_NAMES

BALI_FILE = Path(__file__).resolve().parent.parent / "data" / "bali" / "bali_wilayah.csv"


@dataclass(frozen=True)
class KodeWilayah:
    """Undotted codes: provinsi "51", kabupaten "5105", kecamatan "510501", desa "5105012001"."""

    provinsi: frozenset[str] = field(default_factory=frozenset)
    kabupaten: frozenset[str] = field(default_factory=frozenset)
    kecamatan: frozenset[str] = field(default_factory=frozenset)
    desa: frozenset[str] = field(default_factory=frozenset)

    @property
    def provinsi_lengkap(self) -> frozenset[str]:
        """Provinces whose kabupaten/kota list is known here (a code outside it is an error)."""
        return frozenset(k[:2] for k in self.kabupaten)

    def merge(self, other: KodeWilayah) -> KodeWilayah:
        return KodeWilayah(self.provinsi | other.provinsi, self.kabupaten | other.kabupaten,
                           self.kecamatan | other.kecamatan, self.desa | other.desa)

    def provinsi_dikenal(self, prefix2: str) -> bool:
        return prefix2 in PROVINSI_NAMES or prefix2 in self.provinsi

    def kabupaten_dikenal(self, prefix4: str) -> bool:
        if prefix4[:2] in self.provinsi_lengkap:
            return prefix4 in self.kabupaten
        return _stdnum_regency(prefix4)

    def kecamatan_wajib_dikenal(self, prefix4: str) -> bool:
        """True when the kecamatan of this kabupaten are all listed (an unknown one is then a warning)."""
        return prefix4 in self.kabupaten


@cache
def _stdnum_regency(prefix4: str) -> bool:
    try:
        return bool(numdb.get("id/loc").info(prefix4)[0][1])
    except Exception:  # a broken table must not break a check: unknown then
        return False


def _undotted(code: str) -> str:
    return code.replace(".", "")


def _from_codes(codes: list[str]) -> KodeWilayah:
    parts: dict[int, set[str]] = {2: set(), 4: set(), 6: set(), 10: set()}
    for code in codes:
        plain = _undotted(code)
        if len(plain) in parts and plain.isascii() and plain.isdigit():
            parts[len(plain)].add(plain)
    return KodeWilayah(frozenset(parts[2]), frozenset(parts[4]), frozenset(parts[6]), frozenset(parts[10]))


@cache
def kode_bali() -> KodeWilayah:
    with BALI_FILE.open(encoding="utf-8") as fh:
        return _from_codes([row["kode"] for row in csv.DictReader(fh)])


def kode_wilayah() -> KodeWilayah:
    """The shipped Bali list plus the database's region list (one query)."""
    from presisi.regions.models import Wilayah

    codes = list(Wilayah.objects.exclude(tingkat="banjar").values_list("kode", flat=True))
    return kode_bali().merge(_from_codes(codes))
