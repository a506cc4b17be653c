"""``presisi demo`` publishes its first period through the update workflow, so the public dashboards
show data although the public sees published data only (issue #10)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from presisi.periods.models import Periode
from presisi.updates.models import DIPUBLIKASIKAN, DRAF, Pengajuan, RiwayatPengajuan

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_first_period_for_every_desa_and_the_public_sees_it(client, capsys):
    call_command("demo", scale=0.02, seed=42, batas="")
    s1, s2 = Periode.objects.get(kode="2026-S1"), Periode.objects.get(kode="2026-S2")
    assert set(Pengajuan.objects.filter(periode=s1).values_list("status", flat=True)) == {DIPUBLIKASIKAN}
    assert not s1.dibuka and s2.dibuka
    assert set(Pengajuan.objects.filter(periode=s2).values_list("status", flat=True)) == {DRAF}
    steps = set(RiwayatPengajuan.objects.filter(pengajuan__periode=s1).values_list("aksi", flat=True))
    assert steps == {"buka", "ajukan", "verifikasi", "setujui", "publikasikan"}
    page = client.get("/dasbor/kemiskinan/").content.decode()
    assert "Data terbit" in page and "59 dari 59 desa sudah dipublikasikan" in page
    assert "2026-S1" in page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    call_command("demo", scale=0.02, seed=42, batas="")  # idempotent
    assert RiwayatPengajuan.objects.filter(pengajuan__periode=s1, aksi="publikasikan").count() == 59
