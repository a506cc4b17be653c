"""Approved data is locked (DHIS2: approved data stays locked until unapproved).

Registry writes and imports call ``pastikan_dapat_diubah(desa=…)`` before changing a desa's
records. Without a period it checks every *open* period: the registry is live data, and it
is the open period's approval that freezes it; once that period is closed and the next one
opened, the desa starts again from a draft.
"""

from __future__ import annotations

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.regions.models import Wilayah
from presisi.updates.models import STATUS_TERKUNCI, Pengajuan, Periode


class DataTerkunci(ValidationFailed):
    """The desa's data for the period is approved; un-approve it before changing anything."""


def _kode_desa(desa: Wilayah | str) -> str:
    kode = desa.kode if isinstance(desa, Wilayah) else str(desa).strip()
    # A banjar code is the desa code plus a serial: keep the desa part.
    return ".".join(kode.split(".")[:4])


def _kode_periode(periode: Periode | str) -> str:
    return periode.kode if isinstance(periode, Periode) else str(periode).strip().upper()


def _terkunci(desa: Wilayah | str, periode: Periode | str | None):
    qs = Pengajuan.objects.filter(desa__kode=_kode_desa(desa), status__in=STATUS_TERKUNCI)
    if periode is None:
        return qs.filter(periode__status=Periode.DIBUKA)
    return qs.filter(periode__kode=_kode_periode(periode))


def pengajuan_terkunci(desa: Wilayah | str, periode: Periode | str | None) -> bool:
    """Is the desa's submission for the period (None: any open period) approved or published?"""
    return _terkunci(desa, periode).exists()


def pastikan_dapat_diubah(*, desa: Wilayah | str, periode: Periode | str | None = None) -> None:
    """Raise ``DataTerkunci`` (a ``ValidationFailed``) if writes to the desa are locked.

    ``desa`` may be a desa/kelurahan or banjar region, or its code.
    """
    kunci = _terkunci(desa, periode).select_related("periode", "desa").first()
    if kunci is None:
        return
    status = kunci.get_status_display().lower()
    raise DataTerkunci(
        f"Data {kunci.desa.nama_lengkap} periode {kunci.periode.kode} sudah {status} dan terkunci. "
        "Minta walidata/admin kabupaten membatalkan persetujuan (dengan alasan) sebelum mengubah data.",
        [Finding(rule="data_terkunci", column="desa", value=kunci.desa.kode,
                 message=f"pengajuan periode {kunci.periode.kode} berstatus {kunci.status}")],
        extra={"periode": kunci.periode.kode, "desa": kunci.desa.kode, "status": kunci.status})
