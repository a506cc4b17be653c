"""A family's banjar adat (Bali's customary membership, krama): checked against the desa adat of its desa."""

from __future__ import annotations

from presisi.core.exceptions import Finding
from presisi.regions.models import BANJAR_ADAT, WilayahAdat

KOLOM = "banjar_adat"


def banjar_adat_dari_kode(kode: str, desa_id: int, findings: list[Finding]) -> WilayahAdat | None:
    """The active banjar adat ``kode`` of a desa adat mapped to the family's desa, or a finding."""
    found = (WilayahAdat.objects.filter(kode=kode.strip(), tingkat=BANJAR_ADAT, aktif=True,
                                        induk__pemetaan__desa_id=desa_id).first())
    if found is None:
        findings.append(Finding(rule="banjar_adat_tidak_dikenal", column=KOLOM, value=kode,
                                message="banjar adat tidak ada di desa adat yang terpetakan ke desa ini"))
    return found
