"""Background work after final approval and after un-approval.

Queued by ``services._transisi`` on commit; each task takes an id (JSON-serialisable), loads
the row, re-checks that the state still calls for the work, and calls the indicator app's
snapshot and engine services. With the ImmediateBackend it runs right after the transaction
that changed the state. This module imports no other module of ``updates`` but the models:
``services`` imports it to queue the tasks, never the other way round.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from presisi.core.audit import audit_log
from presisi.indicators.engine import hitung_indikator
from presisi.indicators.snapshot import snapshot_bekukan, snapshot_cairkan
from presisi.updates.models import STATUS_TERKUNCI, Pengajuan

logger = logging.getLogger(__name__)


def antrekan(tugas: Task, **kwargs) -> None:
    """Queue ``tugas`` on the configured backend (the ImmediateBackend runs it right away)."""
    tugas.enqueue(**kwargs)


def _muat(pengajuan_id: int) -> Pengajuan:
    return Pengajuan.objects.select_related("periode", "desa").get(pk=pengajuan_id)


@transaction.atomic
def pengajuan_catat_pembekuan(*, pengajuan_id: int) -> bool:
    """Record that the approved desa's snapshot is frozen (the after-approval task's own bookkeeping)."""
    updated = Pengajuan.objects.filter(pk=pengajuan_id, status__in=STATUS_TERKUNCI).update(
        dibekukan_pada=timezone.now())
    if updated:
        audit_log(aksi="updates.pengajuan.dibekukan", objek=Pengajuan.objects.get(pk=pengajuan_id))
    return bool(updated)


# The service already enqueues from transaction.on_commit.
@task()
def pasca_persetujuan(*, pengajuan_id: int) -> dict:
    """Freeze the approved desa's snapshot, then recompute the period's indicators for it."""
    pengajuan = _muat(pengajuan_id)
    if pengajuan.status not in STATUS_TERKUNCI:
        return {"dibekukan": False, "dihitung": False}  # un-approved before the task ran
    try:
        snapshot_bekukan(periode=pengajuan.periode, desa=pengajuan.desa)
        pengajuan_catat_pembekuan(pengajuan_id=pengajuan.pk)
        hitung_indikator(periode=pengajuan.periode, desa=[pengajuan.desa.pk])
    except Exception:
        logger.exception("Pascapersetujuan %s %s gagal.", pengajuan.periode.kode, pengajuan.desa.kode)
        raise
    return {"dibekukan": True, "dihitung": True}


@task()
def pasca_pembatalan(*, pengajuan_id: int) -> dict:
    """Unfreeze the desa's snapshot after an un-approval, so the next computation reads the registry."""
    pengajuan = _muat(pengajuan_id)
    if pengajuan.status in STATUS_TERKUNCI:
        return {"dicairkan": False}  # approved again before the task ran
    try:
        snapshot_cairkan(periode=pengajuan.periode, desa=pengajuan.desa)
    except Exception:
        logger.exception("Pascapembatalan %s %s gagal.", pengajuan.periode.kode, pengajuan.desa.kode)
        raise
    return {"dicairkan": True}
