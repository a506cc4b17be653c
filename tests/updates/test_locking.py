"""Approved data is locked for registry writes until the steward un-approves it."""

from __future__ import annotations

import pytest

from presisi.core.exceptions import ValidationFailed
from presisi.periods.locking import DataTerkunci, pastikan_dapat_diubah, pengajuan_terkunci
from presisi.regions.models import Wilayah
from presisi.updates.models import DIAJUKAN, DIVERIFIKASI, DRAF
from presisi.updates.services import (
    pengajuan_batalkan_persetujuan,
    pengajuan_publikasikan,
    pengajuan_setujui,
    periode_buka,
    periode_tutup,
)
from tests.updates.conftest import DESA, DESA_TETANGGA, atur_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [DRAF, DIAJUKAN, DIVERIFIKASI])
def test_unapproved_data_is_writable(periode, status):
    atur_status(periode, status)
    assert not pengajuan_terkunci(DESA, periode)
    pastikan_dapat_diubah(desa=DESA)
    pastikan_dapat_diubah(desa=DESA, periode=periode)


def test_approval_locks_publication_keeps_it_locked_and_unapproval_unlocks(periode, pengguna):
    desa = Wilayah.objects.get(kode=DESA)
    p = pengajuan_setujui(pengajuan=atur_status(periode, DIVERIFIKASI), pengguna=pengguna["wali"])
    assert pengajuan_terkunci(desa, periode) and pengajuan_terkunci(DESA, "2026-s2")
    assert pengajuan_terkunci(DESA, None)
    assert p.terkunci
    with pytest.raises(DataTerkunci) as err:
        pastikan_dapat_diubah(desa=desa)
    assert isinstance(err.value, ValidationFailed)
    assert "Desa Sakti periode 2026-S2 sudah disetujui kabupaten dan terkunci" in err.value.message
    assert err.value.findings[0].rule == "data_terkunci" and err.value.extra["status"] == "disetujui"
    # a banjar of the desa is locked too; the neighbouring desa is not
    with pytest.raises(DataTerkunci):
        pastikan_dapat_diubah(desa=f"{DESA}.003", periode=periode)
    pastikan_dapat_diubah(desa=DESA_TETANGGA)

    p = pengajuan_publikasikan(pengajuan=p, pengguna=pengguna["wali"])
    with pytest.raises(DataTerkunci, match="dipublikasikan"):
        pastikan_dapat_diubah(desa=DESA)

    pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["wali"], alasan="koreksi jumlah KK")
    assert not pengajuan_terkunci(DESA, periode)
    pastikan_dapat_diubah(desa=DESA)


def test_without_a_period_only_open_periods_lock_the_live_registry(periode, pengguna):
    atur_status(periode, "disetujui")
    periode_tutup(periode=periode, pengguna=pengguna["wali"])
    assert pengajuan_terkunci(DESA, periode)  # the closed period's data stays frozen
    assert not pengajuan_terkunci(DESA, None)
    pastikan_dapat_diubah(desa=DESA)  # the registry moves on towards the next period
    baru = periode_buka(kode="2027-S1", pengguna=pengguna["wali"])
    assert not pengajuan_terkunci(DESA, baru)
