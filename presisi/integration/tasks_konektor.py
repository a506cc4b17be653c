"""Background task: pull every connector that is due (``Konektor.interval_jam`` since its last run).

Run it from the task worker's schedule (or cron: ``presisi sektor tarik --jatuh-tempo --periode P``).
"""

from __future__ import annotations

import logging

from django_tasks import task

from presisi.integration.services.konektor import periode_bawaan, tarik_jatuh_tempo

log = logging.getLogger(__name__)


@task()
def tarik_jatuh_tempo_task(periode: str = "") -> list[dict]:
    hasil = tarik_jatuh_tempo(periode=periode or periode_bawaan())
    for h in hasil:
        if not h["ok"]:
            log.warning("konektor %s (%s): %s", h["konektor"], h["dataset"], h["pesan"])
    return hasil
