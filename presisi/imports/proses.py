"""Processing a queued import job and recording its outcome (called by the task, the CLI and the batch)."""

from __future__ import annotations

import logging

from django.utils import timezone

from presisi.core.exceptions import ApplicationError
from presisi.imports import limits
from presisi.imports.models import Impor
from presisi.imports.pipeline import Progress, impor_jalankan
from presisi.imports.summary import RingkasanImpor

log = logging.getLogger("presisi.imports.services")  # the logger name job failures have always used


def _progress_saver(impor_id: int) -> Progress:
    def save(pct: int, message: str) -> None:
        Impor.objects.filter(pk=impor_id).update(progres=max(0, min(100, pct)), pesan_progres=message[:200])

    return save


def impor_simpan_hasil(*, impor: Impor, ringkasan: RingkasanImpor) -> Impor:
    """Store the outcome on the job: summary, findings (capped) and counts; drop the upload."""
    cap = limits.maks_temuan_disimpan()
    data = ringkasan.as_dict()
    impor.temuan = data.pop("temuan")[:cap]
    impor.ringkasan = data
    impor.format = ringkasan.format or impor.format
    impor.jumlah_temuan = len(ringkasan.temuan)
    impor.jumlah_error = ringkasan.jumlah_error
    impor.jumlah_warning = ringkasan.jumlah_warning
    impor.hasil = Impor.DITOLAK if not ringkasan.diterima else (Impor.UJI if ringkasan.dry_run else Impor.DITERIMA)
    impor.status, impor.progres, impor.pesan_progres = Impor.SELESAI, 100, ringkasan.pesan[:200]
    impor.selesai = timezone.now()
    impor.isi = None
    impor.save()
    return impor


def impor_proses(*, impor_id: int, progress: Progress | None = None) -> Impor:
    """Run a queued job. The registry write is one transaction inside; a crash leaves it unchanged
    and marks the job ``gagal``. Must not run inside an outer transaction (progress must be seen)."""
    impor = Impor.objects.select_related("desa", "periode", "pengguna").get(pk=impor_id)
    if impor.status not in (Impor.ANTRI,):
        return impor
    Impor.objects.filter(pk=impor.pk).update(status=Impor.BERJALAN, mulai=timezone.now(), progres=1,
                                             pesan_progres="mulai")
    saver = _progress_saver(impor.pk)

    def report(pct: int, message: str) -> None:
        saver(pct, message)
        if progress is not None:
            progress(pct, message)

    try:
        ringkasan = impor_jalankan(berkas=bytes(impor.isi or b""), nama_berkas=impor.nama_berkas, desa=impor.desa,
                                   periode=impor.periode, pengguna=impor.pengguna, dry_run=impor.dry_run,
                                   format=impor.format or None, progress=report)
    except ApplicationError as exc:
        impor.refresh_from_db()
        impor.status, impor.hasil, impor.pesan_progres = Impor.SELESAI, Impor.DITOLAK, exc.message[:200]
        impor.ringkasan, impor.temuan = {"pesan": exc.message}, [f.as_dict() for f in exc.findings]
        impor.jumlah_temuan = impor.jumlah_error = len(exc.findings) or 1
        impor.selesai, impor.isi = timezone.now(), None
        impor.save()
        return impor
    except Exception as exc:
        log.exception("impor #%s gagal", impor.pk)
        impor.refresh_from_db()
        impor.status = Impor.GAGAL
        impor.pesan_progres = f"galat sistem: {type(exc).__name__}; tidak ada data yang diubah"
        impor.selesai, impor.isi = timezone.now(), None
        impor.save()
        raise
    impor.refresh_from_db()
    return impor_simpan_hasil(impor=impor, ringkasan=ringkasan)
