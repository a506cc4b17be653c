"""Import limits, from settings when set there (defaults suit a whole regency in one file)."""

from __future__ import annotations

from django.conf import settings

MAKS_BARIS_BAWAAN = 500_000
MAKS_BYTE_BAWAAN = 100 * 1024 * 1024
MAKS_TEMUAN_DISIMPAN_BAWAAN = 20_000
RASIO_ZIP_MAKS = 40  # an XLSX that unpacks to more than 40× its size is refused (zip bomb)


def maks_baris() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_BARIS", MAKS_BARIS_BAWAAN))


def maks_byte() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_BYTE", MAKS_BYTE_BAWAAN))


def maks_temuan_disimpan() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_TEMUAN", MAKS_TEMUAN_DISIMPAN_BAWAAN))
