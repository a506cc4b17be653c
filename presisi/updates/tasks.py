"""Background work after final approval and after un-approval.

Queued by ``services._transisi`` on commit; each task takes an id (JSON-serialisable), loads
the row, re-checks that the state still calls for the work, and calls the indicator app's
snapshot and engine services. With the ImmediateBackend it runs right after the transaction
that changed the state. This module imports no other module of ``updates`` but the models:
``services`` imports it to queue the tasks, never the other way round.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from presisi.core.audit import audit_log
from presisi.indicators.engine import hitung_indikator
from presisi.indicators.snapshot import snapshot_bekukan, snapshot_cairkan
from presisi.periods.models import Periode
from presisi.updates.models import STATUS_TERKUNCI, Pengajuan

logger = logging.getLogger(__name__)

# Inside ``hitung_sekali``: period id → desa approved meanwhile, whose indicators wait for the exit.
_DITUNDA: ContextVar[dict[int, set[int]] | None] = ContextVar("hitung_ditunda", default=None)


@contextmanager
def hitung_sekali() -> Iterator[None]:
    """Approving many desa in one console run: each approval still freezes its desa's snapshot right
    away, but the indicators are computed once per period on leaving the block (for every desa
    approved in it) instead of once per desa; each per-desa run also recomputes the kecamatan,
    the regency and the composites. Only tasks run in this process (the ImmediateBackend) see the
    block; a task worker computes per desa as usual. An error inside the block computes nothing
    (the next computation of the period catches up)."""
    if _DITUNDA.get() is not None:  # nested: the outer block computes
        yield
        return
    ditunda: dict[int, set[int]] = {}
    token = _DITUNDA.set(ditunda)
    try:
        yield
    finally:
        _DITUNDA.reset(token)
    for pid, desa in sorted(ditunda.items()):
        hitung_indikator(periode=Periode.objects.get(pk=pid), desa=sorted(desa))


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
        ditunda = _DITUNDA.get()
        if ditunda is not None:  # computed once for the whole run (``hitung_sekali``)
            ditunda.setdefault(pengajuan.periode_id, set()).add(pengajuan.desa_id)
            return {"dibekukan": True, "dihitung": False}
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
