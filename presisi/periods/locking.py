"""Locking a desa's data while it is checked or once it is approved.

DHIS2: approved data stays locked until unapproved. Presisi goes one step further: once a
desa has submitted (diajukan, diverifikasi), its data is read-only for every registry write
(operator forms, imports, API, batch) until the submission is returned for correction, so
the kecamatan and kabupaten judge exactly the data that was submitted.

The update workflow (``presisi.updates``) records each desa's state in ``KunciDesa`` on every
submission transition (``kunci_catat``); registry writes and imports call
``pastikan_dapat_diubah(desa=…)`` before changing a desa's records. Without a period it checks
every *open* period: the registry is live data, and it is the open period's submission that
freezes it; once that period is closed and the next one opened, the desa starts again from a
draft.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from presisi.core.exceptions import Finding, ValidationFailed
from presisi.periods.codes import kode_rapikan
from presisi.periods.models import KunciDesa, Periode
from presisi.regions.models import Wilayah


class DataTerkunci(ValidationFailed):
    """The desa's data for the period is submitted or approved; it must be returned/un-approved first."""


def _kode_desa(desa: Wilayah | str) -> str:
    kode = desa.kode if isinstance(desa, Wilayah) else str(desa).strip()
    # A banjar code is the desa code plus a serial: keep the desa part.
    return ".".join(kode.split(".")[:4])


def _terkunci(desa: Wilayah | str, periode: Periode | str | None) -> QuerySet[KunciDesa]:
    qs = KunciDesa.objects.filter(desa__kode=_kode_desa(desa)).exclude(tingkat=KunciDesa.TERBUKA)
    if periode is None:
        return qs.filter(periode__status=Periode.DIBUKA)
    if isinstance(periode, Periode):
        return qs.filter(periode=periode)
    return qs.filter(periode__kode=kode_rapikan(periode))


def pengajuan_terkunci(desa: Wilayah | str, periode: Periode | str | None) -> bool:
    """Is the desa's data for the period (None: any open period) submitted, verified, approved or published?"""
    return _terkunci(desa, periode).exists()


def _pesan(kunci: KunciDesa) -> str:
    nama, kode, status = kunci.desa.nama_lengkap, kunci.periode.kode, (kunci.keterangan or kunci.status).lower()
    if kunci.tingkat == KunciDesa.DIPERIKSA:
        return (f"Data {nama} periode {kode} sudah diajukan dan sedang diperiksa (status: {status}), "
                "sehingga tidak dapat diubah. Minta verifikator kecamatan (atau walidata kabupaten) "
                "mengembalikan pengajuan untuk perbaikan, lalu ubah data dan ajukan kembali.")
    return (f"Data {nama} periode {kode} sudah {status} dan terkunci. "
            "Minta walidata/admin kabupaten membatalkan persetujuan (dengan alasan) sebelum mengubah data.")


def pastikan_dapat_diubah(*, desa: Wilayah | str, periode: Periode | str | None = None) -> None:
    """Raise ``DataTerkunci`` (a ``ValidationFailed``) if writes to the desa are locked.

    ``desa`` may be a desa/kelurahan or banjar region, or its code.
    """
    kunci = _terkunci(desa, periode).select_related("periode", "desa").first()
    if kunci is None:
        return
    raise DataTerkunci(
        _pesan(kunci),
        [Finding(rule="data_terkunci", column="desa", value=kunci.desa.kode,
                 message=f"pengajuan periode {kunci.periode.kode} berstatus {kunci.status or kunci.tingkat}")],
        extra={"periode": kunci.periode.kode, "desa": kunci.desa.kode, "status": kunci.status,
               "tingkat": kunci.tingkat})


def kunci_catat(*, periode: Periode, desa: Wilayah, tingkat: str, status: str = "", keterangan: str = "",
                oleh=None) -> KunciDesa:
    """Record the lock level of one desa for one period (called on every submission transition)."""
    if tingkat not in dict(KunciDesa.TINGKAT_CHOICES):
        raise ValueError(f"tingkat kunci tidak dikenal: {tingkat}")
    kunci, _ = KunciDesa.objects.update_or_create(
        periode=periode, desa=desa,
        defaults={"tingkat": tingkat, "status": status, "keterangan": keterangan, "sejak": timezone.now(),
                  "oleh": oleh if getattr(oleh, "is_authenticated", False) else None})
    return kunci


def kunci_buat_banyak(*, periode: Periode, desa: Iterable[Wilayah], status: str = "", keterangan: str = "",
                      oleh=None) -> int:
    """Open (``terbuka``) lock rows for many desa at once, e.g. when a period is opened."""
    sekarang = timezone.now()
    akun = oleh if getattr(oleh, "is_authenticated", False) else None
    rows = KunciDesa.objects.bulk_create([
        KunciDesa(periode=periode, desa=d, tingkat=KunciDesa.TERBUKA, status=status, keterangan=keterangan,
                  sejak=sekarang, oleh=akun) for d in desa])
    return len(rows)
