"""Import limits, from settings when set there (defaults suit a whole regency in one file)."""

from __future__ import annotations

from django.conf import settings

MAKS_BARIS_BAWAAN = 500_000
MAKS_BYTE_BAWAAN = 100 * 1024 * 1024
MAKS_TEMUAN_DISIMPAN_BAWAAN = 20_000
RASIO_ZIP_MAKS = 40  # an XLSX that unpacks to more than 40× its size is refused (zip bomb)
# An XLSX never unpacks to more than this, whatever its ratio (a real desa workbook unpacks to a few
# hundred MB at most; the readers hold the unpacked sheets in memory).
MAKS_BYTE_TERBUKA_BAWAAN = 1024 * 1024 * 1024
# A CSV cell longer than this is refused (the csv module's own limit): no field holds that much text.
MAKS_SEL_BYTE = 128 * 1024
# A job "berjalan" without a sign of life (progress) for this long died with its worker.
BATAS_BERJALAN_MENIT_BAWAAN = 120
# Uploads hold NIKs: a job drops its file once processed; whatever is still held this long is deleted.
RETENSI_BERKAS_HARI_BAWAAN = 30


def maks_baris() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_BARIS", MAKS_BARIS_BAWAAN))


def maks_byte() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_BYTE", MAKS_BYTE_BAWAAN))


def maks_temuan_disimpan() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_TEMUAN", MAKS_TEMUAN_DISIMPAN_BAWAAN))


def maks_byte_terbuka() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_MAKS_BYTE_TERBUKA", MAKS_BYTE_TERBUKA_BAWAAN))


def batas_berjalan_menit() -> int:
    return int(getattr(settings, "PRESISI_IMPOR_BATAS_BERJALAN_MENIT", BATAS_BERJALAN_MENIT_BAWAAN))


def retensi_berkas_hari() -> int:
    return int(getattr(settings, "PRESISI_RETENSI_BERKAS_HARI", RETENSI_BERKAS_HARI_BAWAAN))
