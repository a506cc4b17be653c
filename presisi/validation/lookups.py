"""Resolving the desa the CLI, API and web pages name by code (periods: ``presisi.periods.selectors``)."""

from __future__ import annotations

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.regions.codes import normalize_code
from presisi.regions.models import Wilayah


def desa_by_kode(kode: str) -> Wilayah:
    code = normalize_code(kode or "")
    desa = Wilayah.objects.filter(kode=code, tingkat__in=["desa", "kelurahan"]).first()
    if desa is None:
        raise ValidationFailed("Desa/kelurahan tidak ditemukan.", [Finding(
            rule="desa_tidak_dikenal", column="desa", value=kode,
            message="kode desa/kelurahan tidak ada; contoh: 51.05.01.2001")])
    return desa
