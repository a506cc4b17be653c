"""The submission state machine: every transition from its allowed and wrong states, every role in and
out of its scope, validation gates, reasons, history and audit rows, and the after-approval work."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.updates.models import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DIPUBLIKASIKAN,
    DISETUJUI,
    DIVERIFIKASI,
    DRAF,
    STATUS_PENGAJUAN,
    RiwayatPengajuan,
)
from presisi.updates.services import (
    pengajuan_ajukan,
    pengajuan_batalkan_persetujuan,
    pengajuan_kembalikan,
    pengajuan_publikasikan,
    pengajuan_setujui,
    pengajuan_transisi,
    pengajuan_verifikasi,
)
from presisi.updates.workflow import TRANSISI, aksi_tersedia
from tests.updates.conftest import DESA, DESA_LAIN, ambil, atur_status

pytestmark = pytest.mark.django_db

SEMUA_STATUS = [s for s, _ in STATUS_PENGAJUAN]
# The user of each action who is allowed for DESA (role and scope), and the reason it needs.
PELAKU = {"ajukan": "op", "verifikasi": "ver", "setujui": "wali", "publikasikan": "admin",
          "kembalikan": "ver", "batal": "wali"}


def jalankan(aksi: str, pengajuan, user, alasan: str = "cukup jelas"):
    return pengajuan_transisi(aksi=aksi, pengajuan=pengajuan, pengguna=user, alasan=alasan)


def jumlah_riwayat(pengajuan) -> int:
    return RiwayatPengajuan.objects.filter(pengajuan=pengajuan).count()


def test_full_cycle_writes_history_and_audit(periode, pengguna, validasi):
    p = ambil(periode)
    p = pengajuan_ajukan(pengajuan=p, pengguna=pengguna["op"], komentar="data lengkap")
    assert p.status == DIAJUKAN and p.status_diubah_oleh == pengguna["op"] and p.catatan == "data lengkap"
    p = pengajuan_verifikasi(pengajuan=p, pengguna=pengguna["ver"])
    p = pengajuan_setujui(pengajuan=p, pengguna=pengguna["wali"])
    p = pengajuan_publikasikan(pengajuan=p, pengguna=pengguna["admin"])
    assert p.status == DIPUBLIKASIKAN
    riwayat = list(RiwayatPengajuan.objects.filter(pengajuan=p).order_by("id"))
    assert [(r.aksi, r.dari, r.ke) for r in riwayat] == [
        ("buka", "", DRAF), ("ajukan", DRAF, DIAJUKAN), ("verifikasi", DIAJUKAN, DIVERIFIKASI),
        ("setujui", DIVERIFIKASI, DISETUJUI), ("publikasikan", DISETUJUI, DIPUBLIKASIKAN)]
    assert [r.pengguna.username for r in riwayat[1:]] == ["op", "ver", "wali", "admin"]
    assert riwayat[1].komentar == "data lengkap" and riwayat[1].galat == 0
    assert riwayat[4].galat is None  # publishing does not re-run validation
    audit = AuditLog.objects.filter(objek_tipe="updates.pengajuan", objek_id=str(p.pk)).order_by("id")
    assert [a.aksi for a in audit] == ["updates.pengajuan.ajukan", "updates.pengajuan.verifikasi",
                                       "updates.pengajuan.setujui", "updates.pengajuan.publikasikan"]
    assert audit[0].sebelum == {"status": DRAF} and audit[0].sesudah["status"] == DIAJUKAN
    assert audit[0].sesudah["desa"] == DESA and audit[0].pengguna == pengguna["op"]
    # validation re-ran at each of the three gated tiers, for this desa and period
    assert validasi.panggilan == [("2026-S2", DESA)] * 3


@pytest.mark.parametrize("aksi, status", [(a, s) for a, t in TRANSISI.items() for s in SEMUA_STATUS
                                          if s not in t.dari])
def test_every_transition_is_refused_from_a_wrong_state(periode, pengguna, aksi, status):
    p = atur_status(periode, status)
    with pytest.raises(ValidationFailed) as err:
        jalankan(aksi, p, pengguna[PELAKU[aksi]])
    assert err.value.findings[0].rule == "status_tidak_sesuai" and err.value.extra["status"] == status
    assert ambil(periode).status == status and jumlah_riwayat(p) == 1


@pytest.mark.parametrize("aksi, status", [(a, s) for a, t in TRANSISI.items() for s in sorted(t.dari)])
def test_every_transition_is_allowed_from_its_states(periode, pengguna, aksi, status):
    p = atur_status(periode, status)
    hasil = jalankan(aksi, p, pengguna[PELAKU[aksi]])
    assert hasil.status == TRANSISI[aksi].ke
    r = RiwayatPengajuan.objects.filter(pengajuan=p).latest("id")
    assert (r.aksi, r.dari, r.ke) == (aksi, status, TRANSISI[aksi].ke)


# (action, user, allowed). Out-of-scope users get PermissionDenied before anything else.
MATRIKS = [
    ("ajukan", "op", True), ("ajukan", "op_lain", False), ("ajukan", "ver", False), ("ajukan", "wali", False),
    ("ajukan", "admin", False), ("ajukan", "analis", False),
    ("verifikasi", "ver", True), ("verifikasi", "ver_lain", False), ("verifikasi", "op", False),
    ("verifikasi", "wali", False), ("verifikasi", "analis", False),
    ("setujui", "wali", True), ("setujui", "admin", True), ("setujui", "ver", False),
    ("setujui", "op", False), ("setujui", "analis", False),
    ("publikasikan", "wali", True), ("publikasikan", "admin", True), ("publikasikan", "ver", False),
    ("publikasikan", "analis", False),
    ("kembalikan", "ver", True), ("kembalikan", "wali", True), ("kembalikan", "admin", True),
    ("kembalikan", "ver_lain", False), ("kembalikan", "op", False), ("kembalikan", "analis", False),
    ("batal", "wali", True), ("batal", "admin", True), ("batal", "ver", False), ("batal", "op", False),
    ("batal", "analis", False),
]


@pytest.mark.parametrize("aksi, nama, boleh", MATRIKS)
def test_roles_inside_and_outside_their_scope(periode, pengguna, aksi, nama, boleh):
    awal = sorted(TRANSISI[aksi].dari)[0]
    p = atur_status(periode, awal)
    user = pengguna[nama]
    assert (TRANSISI[aksi] in aksi_tersedia(pengajuan=p, user=user)) is boleh
    if boleh:
        assert jalankan(aksi, p, user).status == TRANSISI[aksi].ke
        return
    with pytest.raises(PermissionDenied) as err:
        jalankan(aksi, p, user)
    assert ("di luar cakupan" in err.value.message) is nama.endswith("_lain")
    assert ambil(periode).status == awal and jumlah_riwayat(p) == 1


def test_out_of_scope_refusal_reveals_nothing_about_the_state(periode, pengguna):
    p = atur_status(periode, DIPUBLIKASIKAN, DESA_LAIN)
    with pytest.raises(PermissionDenied, match="di luar cakupan"):
        pengajuan_verifikasi(pengajuan=p, pengguna=pengguna["ver"])


def test_superuser_without_profile_acts_as_admin(periode):
    root = get_user_model().objects.create_superuser("root", password="rahasia-panjang")
    p = atur_status(periode, DIVERIFIKASI)
    assert pengajuan_setujui(pengajuan=p, pengguna=root).status == DISETUJUI


@pytest.mark.parametrize("aksi, status", [("ajukan", DRAF), ("verifikasi", DIAJUKAN),
                                          ("setujui", DIVERIFIKASI)])
def test_open_errors_block_the_gated_transitions(periode, pengguna, validasi, aksi, status):
    p = atur_status(periode, status)
    validasi.atur(galat=3, peringatan=5, tanpa_alasan=2)
    with pytest.raises(ValidationFailed) as err:
        jalankan(aksi, p, pengguna[PELAKU[aksi]])
    assert "masih ada 3 galat dan 2 peringatan tanpa alasan" in err.value.message
    assert "Desa Sakti" in err.value.message
    assert [f.rule for f in err.value.findings] == ["validasi_galat", "validasi_peringatan_tanpa_alasan"]
    assert err.value.extra["validasi"] == {"galat": 3, "peringatan": 5, "peringatan_tanpa_alasan": 2}
    assert ambil(periode).status == status and jumlah_riwayat(p) == 1
    assert not AuditLog.objects.filter(aksi__startswith="updates.pengajuan").exists()


def test_unjustified_warnings_alone_block_but_justified_ones_do_not(periode, pengguna, validasi):
    p = ambil(periode)
    validasi.atur(peringatan=4, tanpa_alasan=1)
    with pytest.raises(ValidationFailed, match="1 peringatan tanpa alasan"):
        pengajuan_ajukan(pengajuan=p, pengguna=pengguna["op"])
    validasi.atur(peringatan=4, tanpa_alasan=0)
    p = pengajuan_ajukan(pengajuan=p, pengguna=pengguna["op"])
    assert (p.status, p.galat, p.peringatan, p.peringatan_tanpa_alasan) == (DIAJUKAN, 0, 4, 0)
    assert p.divalidasi_pada is not None


def test_only_gated_transitions_run_validation(periode, pengguna, validasi):
    p = atur_status(periode, DIAJUKAN)
    pengajuan_kembalikan(pengajuan=p, pengguna=pengguna["ver"], alasan="NIK kepala keluarga salah")
    p = atur_status(periode, DISETUJUI)
    pengajuan_publikasikan(pengajuan=p, pengguna=pengguna["wali"])
    pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["wali"], alasan="revisi data")
    assert validasi.panggilan == []


@pytest.mark.parametrize("alasan", ["", "   "])
def test_return_for_correction_needs_a_reason(periode, pengguna, alasan):
    p = atur_status(periode, DIAJUKAN)
    with pytest.raises(ValidationFailed) as err:
        pengajuan_kembalikan(pengajuan=p, pengguna=pengguna["ver"], alasan=alasan)
    assert err.value.findings[0].rule == "alasan_wajib"
    assert ambil(periode).status == DIAJUKAN


def test_returned_submission_carries_the_comment_and_can_be_resubmitted(periode, pengguna):
    p = pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    p = pengajuan_verifikasi(pengajuan=p, pengguna=pengguna["ver"])
    p = pengajuan_kembalikan(pengajuan=p, pengguna=pengguna["wali"],
                             alasan="  Banjar 003 belum dimutakhirkan ")
    assert (p.status, p.catatan) == (DIKEMBALIKAN, "Banjar 003 belum dimutakhirkan")
    r = RiwayatPengajuan.objects.filter(pengajuan=p).latest("id")
    assert (r.aksi, r.dari, r.ke, r.komentar) == ("kembalikan", DIVERIFIKASI, DIKEMBALIKAN,
                                                  "Banjar 003 belum dimutakhirkan")
    audit = AuditLog.objects.get(aksi="updates.pengajuan.kembalikan")
    assert audit.keterangan == "Banjar 003 belum dimutakhirkan"
    p = pengajuan_ajukan(pengajuan=p, pengguna=pengguna["op"], komentar="sudah diperbaiki")
    assert p.status == DIAJUKAN and p.catatan == "sudah diperbaiki"
    assert jumlah_riwayat(p) == 5


@pytest.mark.parametrize("alasan", ["", "  "])
def test_unapproval_needs_a_reason(periode, pengguna, alasan):
    p = atur_status(periode, DISETUJUI)
    with pytest.raises(ValidationFailed) as err:
        pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["wali"], alasan=alasan)
    assert err.value.findings[0].rule == "alasan_wajib"
    assert ambil(periode).status == DISETUJUI


def test_unapproval_is_logged_with_its_reason(periode, pengguna):
    p = atur_status(periode, DIPUBLIKASIKAN)
    p = pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["admin"], alasan="Salah hitung KK")
    assert p.status == DIVERIFIKASI and p.catatan == "Salah hitung KK"
    r = RiwayatPengajuan.objects.filter(pengajuan=p).latest("id")
    assert (r.aksi, r.dari, r.ke, r.komentar) == ("batal", DIPUBLIKASIKAN, DIVERIFIKASI, "Salah hitung KK")
    audit = AuditLog.objects.get(aksi="updates.pengajuan.batal")
    assert audit.keterangan == "Salah hitung KK" and audit.sebelum == {"status": DIPUBLIKASIKAN}


def test_stale_instance_is_rechecked_against_the_database(periode, pengguna):
    stale = ambil(periode)
    pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    with pytest.raises(ValidationFailed, match="berstatus 'Diajukan desa'"):
        pengajuan_ajukan(pengajuan=stale, pengguna=pengguna["op"])


def test_refusals_are_in_the_requesting_users_language(periode, pengguna):
    stale = ambil(periode)
    pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    with translation.override("en"):
        with pytest.raises(ValidationFailed) as err:
            pengajuan_ajukan(pengajuan=stale, pengguna=pengguna["op"])
        assert "is 'Submitted by desa'" in err.value.message and "berstatus" not in err.value.message
        assert "'Submit'" in err.value.message
        with pytest.raises(PermissionDenied) as denied:
            pengajuan_verifikasi(pengajuan=atur_status(periode, DIPUBLIKASIKAN, DESA_LAIN), pengguna=pengguna["ver"])
        assert denied.value.message.endswith("is outside your region scope.")


def test_unknown_action_is_refused(periode, pengguna):
    with pytest.raises(ValidationFailed) as err:
        pengajuan_transisi(aksi="hapus", pengajuan=ambil(periode), pengguna=pengguna["admin"])
    assert err.value.findings[0].rule == "aksi_tidak_dikenal"


# --- after approval: snapshot and indicators on commit --------------------------------------------------


def test_approval_freezes_and_recomputes_on_commit(periode, pengguna, mesin,
                                                   django_capture_on_commit_callbacks):
    p = atur_status(periode, DIVERIFIKASI)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pengajuan_setujui(pengajuan=p, pengguna=pengguna["wali"])
    assert len(callbacks) == 1 and mesin.panggilan == []  # nothing before the commit
    callbacks[0]()
    assert mesin.panggilan == [("bekukan", "2026-S2", DESA), ("hitung", "2026-S2", (DESA,))]
    assert ambil(periode).dibekukan_pada is not None
    assert AuditLog.objects.filter(aksi="updates.pengajuan.dibekukan").count() == 1


def test_unapproval_unfreezes_on_commit(periode, pengguna, mesin, django_capture_on_commit_callbacks):
    p = atur_status(periode, DIVERIFIKASI)
    with django_capture_on_commit_callbacks(execute=True):
        p = pengajuan_setujui(pengajuan=p, pengguna=pengguna["wali"])
    with django_capture_on_commit_callbacks(execute=True):
        pengajuan_batalkan_persetujuan(pengajuan=p, pengguna=pengguna["wali"], alasan="revisi")
    assert mesin.panggilan[-1] == ("cairkan", "2026-S2", DESA)
    assert ambil(periode).dibekukan_pada is None


def test_after_approval_task_does_nothing_if_unapproved_meanwhile(periode, pengguna, mesin):
    from presisi.updates.tasks import pasca_persetujuan

    p = atur_status(periode, DIVERIFIKASI)
    assert pasca_persetujuan.call(pengajuan_id=p.pk) == {"dibekukan": False, "dihitung": False}
    assert mesin.panggilan == []
