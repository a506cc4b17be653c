"""Background task: takes the job id, loads it and calls the service (pretix/HackSoft style)."""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django_tasks import task

from presisi.imports.proses import impor_proses
from presisi.imports.retensi import impor_bersihkan

log = logging.getLogger(__name__)


@task()
def impor_proses_task(impor_id: int) -> str:
    try:
        impor_bersihkan()  # the worker's natural hook: fail dead jobs, drop expired uploads (two queries)
    except Exception:
        log.exception("pembersihan impor gagal; impor #%s tetap diproses", impor_id)
    try:
        impor = impor_proses(impor_id=impor_id)
    except Exception:
        return "gagal"
    return impor.status


def antrekan(impor_id: int) -> None:
    """Queue the job (the backend runs it after the current transaction commits).

    django-tasks 0.9.0 builds ``TaskResult[T](...)`` in its immediate and dummy backends, which
    raises TypeError on Python 3.11 (a generic alias setting ``__orig_class__`` on a frozen,
    slotted dataclass). Then the same task function runs after commit, as the immediate
    backend would have run it.
    """
    try:
        impor_proses_task.enqueue(impor_id)
    except TypeError:
        log.debug("django-tasks enqueue failed on this Python; running impor #%s after commit", impor_id)
        transaction.on_commit(partial(impor_proses_task.call, impor_id))
