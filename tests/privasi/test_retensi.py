"""Log retention: ``presisi pdp bersihkan-log`` deletes processing-log and audit rows past their retention."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from presisi.core.audit import audit_log
from presisi.core.models import AuditLog
from presisi.core.pdp import catat_akses_data_pribadi
from presisi.privasi import services

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2030, 6, 1, 12, 0))


def _row(kind: str, days_old: int) -> AuditLog:
    if kind == "pdp":
        row = catat_akses_data_pribadi(pengguna=None, aksi="lihat", objek_tipe="registry.individu", objek_ids=[1],
                                       tujuan="uji")
    else:
        row = audit_log(aksi="registry.individu.diubah")
    AuditLog.objects.filter(pk=row.pk).update(waktu=NOW - dt.timedelta(days=days_old))
    return row


@pytest.fixture
def rows(settings):
    settings.PRESISI_RETENSI_LOG_PDP_HARI = 30
    settings.PRESISI_RETENSI_AUDIT_HARI = 365
    return {"pdp_lama": _row("pdp", 31), "pdp_baru": _row("pdp", 29), "audit_lama": _row("audit", 400),
            "audit_tengah": _row("audit", 100)}


def _left() -> set[int]:
    return set(AuditLog.objects.exclude(aksi=services.LOG_DIBERSIHKAN).values_list("pk", flat=True))


def test_dry_run_counts_and_deletes_nothing(rows):
    out = services.log_bersihkan(dry_run=True, sekarang=NOW)
    assert out["log_pdp"]["jumlah"] == 1 and out["audit"]["jumlah"] == 1
    assert _left() == {r.pk for r in rows.values()}
    assert not AuditLog.objects.filter(aksi=services.LOG_DIBERSIHKAN).exists()


def test_deletes_only_rows_past_their_retention_and_audits_itself(rows):
    out = services.log_bersihkan(sekarang=NOW)
    assert out["log_pdp"]["jumlah"] == 1 and out["audit"]["jumlah"] == 1
    assert _left() == {rows["pdp_baru"].pk, rows["audit_tengah"].pk}
    trail = AuditLog.objects.get(aksi=services.LOG_DIBERSIHKAN)
    assert trail.sesudah["log_pdp"]["hari"] == 30


def test_zero_keeps_for_ever(rows, settings):
    settings.PRESISI_RETENSI_AUDIT_HARI = 0
    out = services.log_bersihkan(sekarang=NOW + dt.timedelta(days=10000))
    assert out["audit"] == {"hari": 0, "batas": None, "jumlah": 0}
    assert {rows["audit_lama"].pk, rows["audit_tengah"].pk} <= _left()


def test_batches_delete_everything_due(settings, monkeypatch):
    settings.PRESISI_RETENSI_LOG_PDP_HARI = 1
    settings.PRESISI_RETENSI_AUDIT_HARI = 0
    monkeypatch.setattr(services, "BATCH_HAPUS", 2)
    for _ in range(5):
        _row("pdp", 5)
    assert services.log_bersihkan(sekarang=NOW)["log_pdp"]["jumlah"] == 5
    assert not AuditLog.objects.filter(aksi__startswith="pdp.").exists()


def test_command_json(rows):
    out = StringIO()
    call_command("pdp", "bersihkan-log", "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    # the real clock is years before NOW: the rows dated in 2030 are all "young"
    assert data["ok"] is True and data["dry_run"] is True and data["log_pdp"]["hari"] == 30
    assert data["log_pdp"]["jumlah"] == 0
    text = StringIO()
    call_command("pdp", "bersihkan-log", stdout=text)
    assert "Log pemrosesan data pribadi" in text.getvalue()
    assert AuditLog.objects.filter(aksi=services.LOG_DIBERSIHKAN).count() == 1
