"""``presisi demo`` lives through four update periods (issue #13): each period after the first records
seeded registry changes through the real write path, every period but the last is published through
the update workflow (the public sees published data only, issue #10), and the live period's board
shows every submission state. Trends and "change since last period" therefore show something real."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from presisi.dashboards.halaman import Permintaan, halaman_dasbor
from presisi.periods.models import Periode
from presisi.registry.models import Peristiwa
from presisi.updates.models import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DIPUBLIKASIKAN,
    DISETUJUI,
    DIVERIFIKASI,
    DRAF,
    Pengajuan,
    RiwayatPengajuan,
)
from presisi.updates.selectors import tinjauan_desa
from presisi.web.management.commands.demo import ALASAN_KEMBALI, DEMO_PERIODS

pytestmark = pytest.mark.django_db
N_DESA = 59


def test_demo_lives_through_four_periods_and_the_public_sees_trends_and_changes(client):
    call_command("demo", scale=0.02, seed=42, batas="")
    assert list(Periode.objects.order_by("tanggal_referensi").values_list("kode", flat=True)) == list(DEMO_PERIODS)
    *terbit, live = (Periode.objects.get(kode=k) for k in DEMO_PERIODS)
    for periode in terbit:
        assert set(Pengajuan.objects.filter(periode=periode).values_list("status", flat=True)) == {DIPUBLIKASIKAN}
        assert not periode.dibuka
        steps = set(RiwayatPengajuan.objects.filter(pengajuan__periode=periode).values_list("aksi", flat=True))
        assert steps == {"buka", "ajukan", "verifikasi", "setujui", "publikasikan"}

    # the live period's board shows every state; a returned desa carries its reason
    assert live.dibuka
    statuses = list(Pengajuan.objects.filter(periode=live).values_list("status", flat=True))
    assert set(statuses) == {DRAF, DIAJUKAN, DIVERIFIKASI, DISETUJUI, DIKEMBALIKAN} and len(statuses) == N_DESA
    assert set(Pengajuan.objects.filter(periode=live, status=DIKEMBALIKAN).values_list("catatan", flat=True)) == {
        ALASAN_KEMBALI}

    # every period after the first has its own dated life events
    for periode in (*terbit[1:], live):
        events = Peristiwa.objects.filter(tanggal__gte=periode.tanggal_mulai, tanggal__lte=periode.tanggal_referensi,
                                          keterangan__startswith="Pemutakhiran sintetis")
        assert {Peristiwa.LAHIR, Peristiwa.MATI, Peristiwa.PINDAH_KELUAR} <= set(events.values_list("jenis", flat=True))

    # the public kemiskinan dashboard: the latest fully published period, a trend of ≥ 3 points, and at
    # least a quarter of the desa with a non-zero change since the period before
    page = client.get("/dasbor/kemiskinan/").content.decode()
    assert "Data terbit" in page and f"{N_DESA} dari {N_DESA} desa sudah dipublikasikan" in page
    assert DEMO_PERIODS[-2] in page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    h = halaman_dasbor(user=AnonymousUser(), req=Permintaan("kemiskinan"), svg=False)
    assert h.indikator.kode == "persentase_penduduk_miskin_moneter"
    points = [row["w0"] for row in h.tabel["tren"].baris if row["w0"] is not None]
    assert len(points) >= 3 and len(set(points)) > 1
    ranking = h.tabel["peringkat"].baris
    assert len(ranking) == N_DESA
    assert sum(1 for row in ranking if row["perubahan"]) >= N_DESA / 4

    # the review of changes of a live desa counts what was recorded since the last approval
    admin = get_user_model().objects.get(username="admin")
    reviews = [tinjauan_desa(pengajuan=p, user=admin) for p in Pengajuan.objects.filter(periode=live, status=DIAJUKAN)]
    assert {r["acuan"]["periode"] for r in reviews} == {DEMO_PERIODS[-2]}
    assert sum(r["perubahan"]["lahir"] for r in reviews) >= len(reviews) / 2
    assert any(r["perubahan"]["suntingan"] for r in reviews) and any(r["rekaman"] for r in reviews)

    events_before = Peristiwa.objects.count()
    call_command("demo", scale=0.02, seed=42, batas="")  # idempotent: no new periods, changes or decisions
    assert Periode.objects.count() == len(DEMO_PERIODS) and Peristiwa.objects.count() == events_before
    assert RiwayatPengajuan.objects.filter(aksi="publikasikan").count() == N_DESA * len(terbit)
    assert sorted(Pengajuan.objects.filter(periode=live).values_list("status", flat=True)) == sorted(statuses)
