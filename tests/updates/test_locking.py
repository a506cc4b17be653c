"""Submitted data is read-only until returned; approved data is locked until the steward un-approves it.

The workflow records each desa's lock in ``presisi.periods`` (``KunciDesa``); registry writes read it."""

from __future__ import annotations

import pytest

from presisi.core.exceptions import ValidationFailed
from presisi.periods.locking import DataTerkunci, pastikan_dapat_diubah, pengajuan_terkunci
from presisi.periods.models import KunciDesa
from presisi.regions.models import Wilayah
from presisi.updates.models import DIAJUKAN, DIKEMBALIKAN, DIVERIFIKASI, DRAF
from presisi.updates.services import (
    pengajuan_ajukan,
    pengajuan_batalkan_persetujuan,
    pengajuan_kembalikan,
    pengajuan_publikasikan,
    pengajuan_setujui,
    periode_buka,
    periode_tutup,
)
from tests.updates.conftest import DESA, DESA_TETANGGA, atur_status

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", [DRAF, DIKEMBALIKAN])
def test_draft_and_returned_data_is_writable(periode, status):
    atur_status(periode, status)
    assert not pengajuan_terkunci(DESA, periode)
    pastikan_dapat_diubah(desa=DESA)
    pastikan_dapat_diubah(desa=DESA, periode=periode)


@pytest.mark.parametrize("status", [DIAJUKAN, DIVERIFIKASI])
def test_submitted_data_is_read_only_and_the_error_says_how_to_get_it_back(periode, status):
    atur_status(periode, status)
    assert pengajuan_terkunci(DESA, periode) and pengajuan_terkunci(DESA, None)
    with pytest.raises(DataTerkunci) as err:
        pastikan_dapat_diubah(desa=f"{DESA}.001")
    assert "Desa Sakti periode 2026-S2 sudah diajukan dan sedang diperiksa" in err.value.message
    assert "mengembalikan pengajuan untuk perbaikan" in err.value.message
    assert err.value.extra["tingkat"] == KunciDesa.DIPERIKSA and err.value.extra["status"] == status
    pastikan_dapat_diubah(desa=DESA_TETANGGA)


def test_every_transition_records_the_lock_and_a_return_unlocks(periode, pengguna):
    assert KunciDesa.objects.filter(periode=periode).count() == 59  # opening the period: all open
    assert not KunciDesa.objects.filter(periode=periode).exclude(tingkat=KunciDesa.TERBUKA).exists()
    p = pengajuan_ajukan(pengajuan=atur_status(periode, DRAF), pengguna=pengguna["op"])
    kunci = KunciDesa.objects.get(periode=periode, desa__kode=DESA)
    assert (kunci.tingkat, kunci.status, kunci.oleh.username) == (KunciDesa.DIPERIKSA, DIAJUKAN, "op")
    with pytest.raises(DataTerkunci):
        pastikan_dapat_diubah(desa=DESA)
    pengajuan_kembalikan(pengajuan=p, pengguna=pengguna["ver"], alasan="KK 5105… belum lengkap")
    assert KunciDesa.objects.get(periode=periode, desa__kode=DESA).tingkat == KunciDesa.TERBUKA
    pastikan_dapat_diubah(desa=DESA)


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

    # un-approval goes back to "diverifikasi": still read-only until a return for correction
    p = pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["wali"], alasan="koreksi jumlah KK")
    with pytest.raises(DataTerkunci, match="sedang diperiksa"):
        pastikan_dapat_diubah(desa=DESA)
    pengajuan_kembalikan(pengajuan=p, pengguna=pengguna["wali"], alasan="koreksi jumlah KK")
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
