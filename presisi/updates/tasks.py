"""Background work after final approval and after un-approval.

Queued by ``services._transisi`` on commit; each task takes an id (JSON-serialisable), loads
the row, re-checks that the state still calls for the work, and calls the adapters. With the
ImmediateBackend it runs right after the transaction that changed the state.
"""

from __future__ import annotations

import logging

from django_tasks import task
from django_tasks.base import Task

from presisi.updates import adapters
from presisi.updates.models import STATUS_TERKUNCI, Pengajuan
from presisi.updates.services import pengajuan_catat_pembekuan

logger = logging.getLogger(__name__)


def antrekan(tugas: Task, **kwargs) -> None:
    """Queue ``tugas`` on the configured backend (the ImmediateBackend runs it right away)."""
    tugas.enqueue(**kwargs)


def _muat(pengajuan_id: int) -> Pengajuan:
    return Pengajuan.objects.select_related("periode", "desa").get(pk=pengajuan_id)


# The service already enqueues from transaction.on_commit.
@task()
def pasca_persetujuan(*, pengajuan_id: int) -> dict:
    """Freeze the approved desa's snapshot, then recompute the period's indicators for it."""
    pengajuan = _muat(pengajuan_id)
    if pengajuan.status not in STATUS_TERKUNCI:
        return {"dibekukan": False, "dihitung": False}  # un-approved before the task ran
    try:
        dibekukan = adapters.snapshot_bekukan(periode=pengajuan.periode, desa=pengajuan.desa)
        if dibekukan:
            pengajuan_catat_pembekuan(pengajuan_id=pengajuan.pk)
        dihitung = adapters.indikator_hitung_ulang(periode=pengajuan.periode, desa=[pengajuan.desa])
    except Exception:
        logger.exception("Pascapersetujuan %s %s gagal.", pengajuan.periode.kode, pengajuan.desa.kode)
        raise
    return {"dibekukan": dibekukan, "dihitung": dihitung}


@task()
def pasca_pembatalan(*, pengajuan_id: int) -> dict:
    """Unfreeze the desa's snapshot after an un-approval, so the next computation reads the registry."""
    pengajuan = _muat(pengajuan_id)
    if pengajuan.status in STATUS_TERKUNCI:
        return {"dicairkan": False}  # approved again before the task ran
    try:
        dicairkan = adapters.snapshot_cairkan(periode=pengajuan.periode, desa=pengajuan.desa)
    except Exception:
        logger.exception("Pascapembatalan %s %s gagal.", pengajuan.periode.kode, pengajuan.desa.kode)
        raise
    return {"dicairkan": dicairkan}
