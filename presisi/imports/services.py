"""Import jobs: create (checks scope and period at once) and queue them.

Processing a job and recording its outcome (``impor_proses``, ``impor_simpan_hasil``) live in
``proses.py``, which the task calls; this module queues the task and re-exports them, so
services → tasks → proses has no loop.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from presisi.core.audit import audit_log
from presisi.core.exceptions import Finding, ValidationFailed
from presisi.imports import limits
from presisi.imports.models import Impor
from presisi.imports.pipeline import cek_izin_impor, impor_jalankan
from presisi.imports.proses import impor_proses, impor_simpan_hasil
from presisi.imports.tasks import antrekan as antrekan_impor
from presisi.periods.locking import pastikan_dapat_diubah
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah

__all__ = ["impor_buat", "impor_jalankan", "impor_proses", "impor_simpan_hasil"]


@transaction.atomic
def impor_buat(*, berkas: bytes, nama_berkas: str, desa: Wilayah, periode: Periode, pengguna=None,
               dry_run: bool = False, format: str | None = None, antrekan: bool = True) -> Impor:
    """Record an import job and queue it; scope and period are checked before anything is queued."""
    cek_izin_impor(pengguna=pengguna, desa=desa, periode=periode)
    if not dry_run:
        pastikan_dapat_diubah(desa=desa)  # approved data is locked: refuse before queueing
    if len(berkas) > limits.maks_byte():
        raise ValidationFailed("Berkas terlalu besar.", [Finding(
            rule="berkas_terlalu_besar", column="berkas", value=nama_berkas,
            message=f"berkas {len(berkas) / 1e6:.1f} MB melebihi batas {limits.maks_byte() / 1e6:.0f} MB; "
                    "pecah per desa atau per lembar")])
    impor = Impor.objects.create(
        pengguna=pengguna if getattr(pengguna, "pk", None) else None, desa=desa, periode=periode,
        nama_berkas=(nama_berkas or "berkas")[:255], sha256=hashlib.sha256(berkas).hexdigest(), ukuran=len(berkas),
        format=format or "", dry_run=dry_run, isi=berkas, pesan_progres="menunggu giliran")
    audit_log(aksi="imports.impor.dibuat", objek=impor, pengguna=pengguna,
              sesudah={"desa": desa.kode, "periode": periode.kode, "berkas": impor.nama_berkas,
                       "sha256": impor.sha256, "dry_run": dry_run})
    if antrekan:
        antrekan_impor(impor.pk)
    return impor
