"""The only places where the update cycle calls other apps (validation, indicators).

Each call is imported lazily: those apps import ``Periode`` from here, and they may not be
installed yet. Tests monkeypatch these functions rather than the apps behind them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from presisi.regions.models import Wilayah
from presisi.updates.models import Periode

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HasilValidasi:
    """Counts of one validation run of one desa for one period (None = validation unavailable)."""

    galat: int | None
    peringatan: int | None
    peringatan_tanpa_alasan: int | None

    @property
    def tersedia(self) -> bool:
        return self.galat is not None

    @property
    def bersih(self) -> bool:
        """No open errors and every warning justified (unavailable counts as clean, see below)."""
        return not (self.galat or self.peringatan_tanpa_alasan)

    def as_dict(self) -> dict[str, int | None]:
        return {"galat": self.galat, "peringatan": self.peringatan,
                "peringatan_tanpa_alasan": self.peringatan_tanpa_alasan}


TIDAK_TERSEDIA = HasilValidasi(None, None, None)


def _missing(exc: ImportError, module: str) -> bool:
    """True when ``module`` itself (or the name we import from it) is absent, not one of its imports."""
    return exc.name in {module, module.rsplit(".", 1)[0]}


def validasi_jalankan(*, desa: Wilayah, periode: Periode, pengguna=None) -> HasilValidasi:
    """Run the validation rules of one desa for one period and return the counts.

    While ``presisi.validation`` has no ``validasi_jalankan`` yet, the workflow is not blocked:
    a warning is logged and the counts are None (recorded as such in the history).
    """
    module = "presisi.validation.services"
    try:
        from presisi.validation.services import validasi_jalankan as jalankan
    except ImportError as exc:
        if not _missing(exc, module):
            raise
        logger.warning("Validasi belum tersedia (%s); %s %s diproses tanpa pemeriksaan.",
                       exc, periode, desa.kode)
        return TIDAK_TERSEDIA
    ringkasan = jalankan(desa=desa, periode=periode, pengguna=pengguna)
    return HasilValidasi(_hitungan(ringkasan, "errors", "error"), _hitungan(ringkasan, "warnings", "warning"),
                         _hitungan(ringkasan, "unjustified_warnings", "warning_belum_dijustifikasi"))


def _hitungan(ringkasan, *names: str) -> int:
    """A count from the validation summary; accepts the agreed English name or the app's own."""
    for name in names:
        value = getattr(ringkasan, name, None)
        if value is not None:
            return int(value)
    raise AttributeError(f"RingkasanValidasi tidak memiliki {' / '.join(names)}")


def validasi_rekap(*, periode: Periode, user,
                   desa_kode: str | None = None) -> dict[str, HasilValidasi] | None:
    """Stored counts of the last validation run per desa code, in the user's scope (one query).

    None when the validation app offers no summary; desa never validated are simply absent.
    """
    module = "presisi.validation.selectors"
    try:
        from presisi.validation.selectors import rekap_list
    except ImportError as exc:
        if not _missing(exc, module):
            raise
        return None
    qs = rekap_list(user=user, periode_kode=periode.kode)
    if desa_kode:
        qs = qs.filter(desa__kode=desa_kode)
    return {r.desa.kode: HasilValidasi(r.jumlah_error, r.jumlah_warning, r.warning_belum_dijustifikasi)
            for r in qs}


def snapshot_bekukan(*, periode: Periode, desa: Wilayah) -> bool:
    """Freeze the desa's data for the period; False (and a logged warning) if the engine is missing."""
    module = "presisi.indicators.snapshot"
    try:
        from presisi.indicators.snapshot import snapshot_bekukan as bekukan
    except ImportError as exc:
        if not _missing(exc, module):
            raise
        logger.warning("Snapshot belum tersedia (%s); %s %s tidak dibekukan.", exc, periode, desa.kode)
        return False
    bekukan(periode=periode, desa=desa)
    return True


def snapshot_cairkan(*, periode: Periode, desa: Wilayah) -> bool:
    """Unfreeze after an un-approval; False (and a logged warning) if the engine is missing."""
    module = "presisi.indicators.snapshot"
    try:
        from presisi.indicators.snapshot import snapshot_cairkan as cairkan
    except ImportError as exc:
        if not _missing(exc, module):
            raise
        logger.warning("Snapshot belum tersedia (%s); %s %s tidak dicairkan.", exc, periode, desa.kode)
        return False
    cairkan(periode=periode, desa=desa)
    return True


def indikator_hitung_ulang(*, periode: Periode, desa: list[Wilayah]) -> bool:
    """Recompute the period's indicators for these desa; False (and a warning) if the engine is missing."""
    module = "presisi.indicators.engine"
    try:
        from presisi.indicators.engine import hitung_indikator
    except ImportError as exc:
        if not _missing(exc, module):
            raise
        logger.warning("Mesin indikator belum tersedia (%s); indikator %s tidak dihitung ulang.",
                       exc, periode)
        return False
    hitung_indikator(periode=periode, desa=[d.pk for d in desa])
    return True
