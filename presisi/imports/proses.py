"""Processing a queued import job and recording its outcome (called by the task, the CLI and the batch)."""

from __future__ import annotations

import logging

from django.utils import timezone

from presisi.core.exceptions import ApplicationError, Finding
from presisi.core.pdp import mask_teks
from presisi.imports import limits
from presisi.imports.kunci import kunci_desa
from presisi.imports.models import Impor
from presisi.imports.pipeline import Progress, impor_jalankan
from presisi.imports.summary import RingkasanImpor

log = logging.getLogger("presisi.imports.services")  # the logger name job failures have always used


DESA_SIBUK = "impor_desa_berjalan"


def _progress_saver(impor_id: int) -> Progress:
    def save(pct: int, message: str) -> None:
        # ``diubah`` is the job's sign of life: the reaper fails jobs that show none for too long
        Impor.objects.filter(pk=impor_id).update(progres=max(0, min(100, pct)), pesan_progres=message[:200],
                                                 diubah=timezone.now())

    return save


def impor_simpan_hasil(*, impor: Impor, ringkasan: RingkasanImpor) -> Impor:
    """Store the outcome on the job: summary, findings (capped) and counts; drop the upload."""
    cap = limits.maks_temuan_disimpan()
    data = ringkasan.as_dict()
    # findings are kept with every NIK/KK masked (the row number finds the record in the operator's
    # file); person data is shown only through the PDP door, read from the registry at display time
    impor.temuan = [{**f, "value": mask_teks(f.get("value")), "message": mask_teks(f.get("message"))}
                    for f in data.pop("temuan")[:cap]]
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
    if impor.dry_run:  # a dry run writes nothing: it may run beside anything
        return _jalankan(impor, progress)
    # two imports writing one desa never interleave: the second is refused, nothing of it written
    with kunci_desa(impor.desa) as held:
        if not held:
            return _tolak_desa_sibuk(impor)
        return _jalankan(impor, progress)


def _jalankan(impor: Impor, progress: Progress | None) -> Impor:
    now = timezone.now()
    took = Impor.objects.filter(pk=impor.pk, status=Impor.ANTRI).update(
        status=Impor.BERJALAN, mulai=now, diubah=now, progres=1, pesan_progres="mulai")
    if not took:
        return Impor.objects.get(pk=impor.pk)  # another worker took the job
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
        impor.ringkasan = {"pesan": exc.message}
        impor.temuan = [{**d, "value": mask_teks(d.get("value")), "message": mask_teks(d.get("message"))}
                        for d in (f.as_dict() for f in exc.findings)]
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


def _tolak_desa_sibuk(impor: Impor) -> Impor:
    other = (Impor.objects.filter(desa_id=impor.desa_id, status=Impor.BERJALAN, dry_run=False)
             .exclude(pk=impor.pk).order_by("-mulai").first())
    which = f"impor #{other.pk} ({other.nama_berkas})" if other is not None else "impor lain"
    message = (f"{which} untuk desa ini sedang berjalan; dua impor ke satu desa tidak boleh bersamaan. Tidak ada "
               "yang disimpan: kirim ulang berkas ini setelah impor itu selesai")
    impor.refresh_from_db()
    impor.status, impor.hasil, impor.progres = Impor.SELESAI, Impor.DITOLAK, 100
    impor.pesan_progres = "Impor ditolak: impor lain untuk desa ini sedang berjalan."
    impor.ringkasan = {"pesan": impor.pesan_progres}
    impor.temuan = [Finding(rule=DESA_SIBUK, column="desa", value=impor.desa.kode, message=message).as_dict()]
    impor.jumlah_temuan = impor.jumlah_error = 1
    impor.selesai, impor.isi = timezone.now(), None
    impor.save()
    return impor
