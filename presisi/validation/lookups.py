"""Resolving the desa and period the CLI, API and web pages name by code."""

from __future__ import annotations

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.regions.codes import normalize_code
from presisi.regions.models import Wilayah
from presisi.updates.models import Periode
from presisi.updates.periods import normalize_periode


def desa_by_kode(kode: str) -> Wilayah:
    code = normalize_code(kode or "")
    desa = Wilayah.objects.filter(kode=code, tingkat__in=["desa", "kelurahan"]).first()
    if desa is None:
        raise ValidationFailed("Desa/kelurahan tidak ditemukan.", [Finding(
            rule="desa_tidak_dikenal", column="desa", value=kode,
            message="kode desa/kelurahan tidak ada; contoh: 51.05.01.2001")])
    return desa


def periode_by_kode(kode: str) -> Periode:
    periode = Periode.objects.filter(kode=normalize_periode(kode)).first()
    if periode is None:
        raise ValidationFailed("Periode tidak ditemukan.", [Finding(
            rule="periode_tidak_ada", column="periode", value=kode,
            message="periode belum dibuat; buka periode pemutakhiran terlebih dahulu")])
    return periode
