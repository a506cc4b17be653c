"""Publishing a whole period from the console (``presisi demo``): the real transitions, acting for every tier."""

from __future__ import annotations

import pytest

from presisi.core.models import AuditLog
from presisi.periods.models import Periode
from presisi.updates.models import DIPUBLIKASIKAN, Pengajuan, RiwayatPengajuan
from presisi.updates.services import periode_terbitkan_semua
from presisi.updates.workflow import SISTEM, TRANSISI, penolakan
from tests.updates.conftest import ambil

pytestmark = pytest.mark.django_db


def test_console_publishes_every_desa_through_each_transition_and_closes(periode, kamus, mesin,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        hasil = periode_terbitkan_semua(periode=periode, alasan_peringatan="Data demo sintetis diterima.",
                                        komentar="Demo", tutup=True)
    assert hasil["status"] == {DIPUBLIKASIKAN: 59} and hasil["gagal"] == {}
    assert Periode.objects.get(pk=periode.pk).status == Periode.DITUTUP
    steps = list(RiwayatPengajuan.objects.filter(pengajuan=ambil(periode)).values_list("aksi", "pengguna"))
    assert steps[1:] == [("ajukan", None), ("verifikasi", None), ("setujui", None),
                     ("publikasikan", None)]
    assert AuditLog.objects.filter(aksi="updates.pengajuan.publikasikan").count() == 59
    assert ("bekukan", "2026-S2", "51.05.01.2001") in mesin.panggilan  # the after-approval work ran


def test_the_console_actor_still_obeys_states_and_validation(periode, validasi, kamus):
    p = ambil(periode)
    assert penolakan(TRANSISI["setujui"], pengajuan=p, user=SISTEM) is not None  # a draft cannot be approved
    assert penolakan(TRANSISI["ajukan"], pengajuan=p, user=SISTEM) is None
    validasi.atur(galat=1)
    hasil = periode_terbitkan_semua(periode=periode, alasan_peringatan="Data demo sintetis diterima.")
    assert len(hasil["gagal"]) == 59 and not Pengajuan.objects.exclude(status="draf").filter(periode=periode).exists()
