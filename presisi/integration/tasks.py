"""Background tasks of the integration app: take an id, load, call the service (pretix/HackSoft style).

Tasks never import the module that queues them (import-linter contract in pyproject.toml): whoever
queues calls ``antrekan_tautan``; this module only imports the linkage service it runs.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django_tasks import task

from presisi.integration.models import Pengiriman
from presisi.integration.services.tautan import tautan_jalankan

log = logging.getLogger(__name__)


@task()
def tautan_tugas(pengiriman_id: int) -> str:
    """Link one delivery's rows to the registry; returns the counts as text (the task result)."""
    pengiriman = Pengiriman.objects.filter(pk=pengiriman_id).first()
    if pengiriman is None:
        return "tidak ada"
    try:
        ringkasan = tautan_jalankan(pengiriman)
    except Exception:
        log.exception("penautan pengiriman #%s gagal", pengiriman_id)
        return "gagal"
    return f"tertaut={ringkasan.tertaut} tinjau={ringkasan.tinjau} tanpa_pasangan={ringkasan.tanpa_pasangan}"


def antrekan_tautan(pengiriman_id: int) -> None:
    """Queue the linkage of a delivery (run after the current transaction commits).

    As in ``presisi.imports.tasks.antrekan``: django-tasks 0.9.0's immediate/dummy backends raise
    TypeError on Python 3.11; then the same task function runs after commit.
    """
    try:
        tautan_tugas.enqueue(pengiriman_id)
    except TypeError:
        log.debug("django-tasks enqueue failed on this Python; linking pengiriman #%s after commit", pengiriman_id)
        transaction.on_commit(partial(tautan_tugas.call, pengiriman_id))
