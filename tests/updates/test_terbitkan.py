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


def test_a_warning_that_appears_only_when_submitting_is_justified_and_the_desa_submitted_again(
        periode, kamus, mesin, monkeypatch, django_capture_on_commit_callbacks):
    """Submitting re-validates against the whole regency, which can raise a new cross-desa warning
    (a probable duplicate seen from the other side): the console justifies it and tries once more."""
    from presisi.core.exceptions import Finding, ValidationFailed
    from presisi.updates import services

    real = services.pengajuan_transisi
    tried: list[str] = []

    def first_submit_finds_a_new_warning(*, aksi, pengajuan, pengguna, alasan=""):
        if aksi == "ajukan" and pengajuan.desa.kode == "51.05.01.2001" and not tried:
            tried.append(pengajuan.desa.kode)
            raise ValidationFailed("Masih ada peringatan tanpa justifikasi.", [Finding(
                rule="peringatan_tanpa_alasan", message="1 peringatan belum dijustifikasi")])
        return real(aksi=aksi, pengajuan=pengajuan, pengguna=pengguna, alasan=alasan)

    justified: list[str | None] = []
    real_justify = services._justifikasi_terbuka

    def spy(*, periode, alasan, desa=None):
        justified.append(desa.kode if desa is not None else None)
        return real_justify(periode=periode, alasan=alasan, desa=desa)

    monkeypatch.setattr(services, "pengajuan_transisi", first_submit_finds_a_new_warning)
    monkeypatch.setattr(services, "_justifikasi_terbuka", spy)
    with django_capture_on_commit_callbacks(execute=True):
        hasil = periode_terbitkan_semua(periode=periode, alasan_peringatan="Data demo sintetis diterima.")
    assert tried == ["51.05.01.2001"] and justified == [None, "51.05.01.2001"]
    assert hasil["gagal"] == {} and hasil["status"] == {DIPUBLIKASIKAN: 59}


def test_console_spreads_a_period_over_every_board_state_through_the_transitions(periode, kamus, mesin,
                                                                                django_capture_on_commit_callbacks):
    from presisi.updates.models import DIAJUKAN, DIKEMBALIKAN, DISETUJUI, DIVERIFIKASI, DRAF
    from presisi.updates.services import periode_sebar_status

    kode = list(Pengajuan.objects.filter(periode=periode).order_by("desa__kode").values_list("desa__kode", flat=True))
    urutan = (DRAF, DIAJUKAN, DIVERIFIKASI, DISETUJUI, DIKEMBALIKAN)
    tujuan = {k: urutan[i % len(urutan)] for i, k in enumerate(kode)}
    with django_capture_on_commit_callbacks(execute=True):
        hasil = periode_sebar_status(periode=periode, tujuan=tujuan, alasan_peringatan="Data demo diterima.",
                                     alasan_kembali="Periksa penduduk pindah masuk.")
    assert hasil["gagal"] == {} and set(hasil["status"]) == set(urutan)
    assert dict(Pengajuan.objects.filter(periode=periode).values_list("desa__kode", "status")) == tujuan
    kembali = Pengajuan.objects.filter(periode=periode, status=DIKEMBALIKAN).first()
    assert kembali.catatan == "Periksa penduduk pindah masuk."
    steps = list(RiwayatPengajuan.objects.filter(pengajuan=kembali).values_list("aksi", flat=True))
    assert steps == ["buka", "ajukan", "kembalikan"]
    assert Periode.objects.get(pk=periode.pk).dibuka  # the live period stays open
    # only drafts are taken forward: a desa already moved keeps its state
    again = periode_sebar_status(periode=periode, tujuan={k: DISETUJUI for k in kode if tujuan[k] != DRAF},
                                 alasan_peringatan="x", alasan_kembali="y")
    assert again["status"] == hasil["status"]


def test_console_publishing_freezes_each_desa_and_computes_the_period_once(periode, kamus, mesin,
                                                                           django_capture_on_commit_callbacks):
    """In one console run (the ImmediateBackend) each approval freezes its desa at once, and the
    period's indicators are computed once for all approved desa instead of once per desa."""
    from presisi.updates import tasks

    with tasks.hitung_sekali(), django_capture_on_commit_callbacks(execute=True):
        hasil = periode_terbitkan_semua(periode=periode, alasan_peringatan="Data demo sintetis diterima.")
        assert not [c for c in mesin.panggilan if c[0] == "hitung"]  # nothing computed yet
    assert hasil["status"] == {DIPUBLIKASIKAN: 59}
    assert len([c for c in mesin.panggilan if c[0] == "bekukan"]) == 59
    hitung = [c for c in mesin.panggilan if c[0] == "hitung"]
    assert len(hitung) == 1 and hitung[0][1] == periode.kode and len(hitung[0][2]) == 59
