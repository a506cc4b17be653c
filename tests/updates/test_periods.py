"""Opening and closing update periods: who may, what it creates, what it refuses (service, CLI, API)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.core.exceptions import PermissionDenied, ValidationFailed
from presisi.core.models import AuditLog
from presisi.periods.models import Periode
from presisi.updates.models import DRAF, Pengajuan, RiwayatPengajuan
from presisi.updates.services import pengajuan_ajukan, pengajuan_verifikasi, periode_buka, periode_tutup
from tests.conftest import masuk
from tests.updates.conftest import KODE_PERIODE, ambil, atur_status

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_opening_creates_one_draft_per_desa_with_history_and_audit(periode, pengguna):
    assert periode.kode == "2026-S2" and periode.nama == "Semester 2 2026" and periode.dibuka
    assert (periode.tanggal_mulai, periode.tanggal_referensi) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert periode.tenggat == dt.date(2027, 1, 15) and periode.dibuka_oleh == pengguna["wali"]
    rows = Pengajuan.objects.filter(periode=periode)
    assert rows.count() == 59 and set(rows.values_list("status", flat=True)) == {DRAF}
    assert rows.filter(desa__tingkat="kelurahan").count() == 6
    assert RiwayatPengajuan.objects.filter(pengajuan__periode=periode, aksi="buka", ke=DRAF).count() == 59
    audit = AuditLog.objects.get(aksi="updates.periode.dibuka")
    assert audit.pengguna == pengguna["wali"] and audit.sesudah["jumlah_pengajuan"] == 59


def test_duplicate_period_is_refused_whatever_the_case(periode, pengguna):
    with pytest.raises(ValidationFailed) as err:
        periode_buka(kode="2026-s2", pengguna=pengguna["admin"])
    assert err.value.findings[0].rule == "periode_ganda"
    assert Periode.objects.count() == 1 and Pengajuan.objects.count() == 59


@pytest.mark.parametrize("kode", ["2026-S3", "26-S1", "", "2026-13", "2026 S2"])
def test_invalid_period_code_is_refused(pengguna, kode):
    with pytest.raises(ValidationFailed) as err:
        periode_buka(kode=kode, pengguna=pengguna["wali"])
    assert err.value.findings[0].rule == "periode_format"
    assert not Periode.objects.exists()


@pytest.mark.parametrize("tenggat, rule", [("2026-06-30", "tenggat_sebelum_mulai"),
                                           ("31-12-2026", "tanggal_format")])
def test_bad_deadline_is_refused(pengguna, tenggat, rule):
    with pytest.raises(ValidationFailed) as err:
        periode_buka(kode="2026-S2", tenggat=tenggat, pengguna=pengguna["wali"])
    assert err.value.findings[0].rule == rule


@pytest.mark.parametrize("nama", ["op", "ver", "analis"])
def test_only_the_regency_data_steward_may_open(pengguna, nama):
    with pytest.raises(PermissionDenied, match="walidata atau admin"):
        periode_buka(kode="2026-S2", pengguna=pengguna[nama])
    assert not Periode.objects.exists()


def test_admin_and_superuser_may_open(pengguna):
    assert periode_buka(kode="2026", pengguna=pengguna["admin"]).nama == "Tahun 2026"
    root = get_user_model().objects.create_superuser("root", password="rahasia-panjang")
    assert periode_buka(kode="2026-08", pengguna=root).nama == "Agustus 2026"
    assert Pengajuan.objects.count() == 2 * 59


def test_closing_stops_desa_submissions_but_not_pending_approvals(periode, pengguna):
    atur_status(periode, "diajukan")
    with pytest.raises(PermissionDenied):
        periode_tutup(periode=periode, pengguna=pengguna["ver"])
    closed = periode_tutup(periode=periode, pengguna=pengguna["wali"])
    assert closed.status == Periode.DITUTUP and closed.ditutup_oleh == pengguna["wali"]
    assert AuditLog.objects.get(aksi="updates.periode.ditutup").sesudah["pengajuan_belum_disetujui"] == 59
    assert pengajuan_verifikasi(pengajuan=ambil(periode), pengguna=pengguna["ver"]).status == "diverifikasi"
    with pytest.raises(ValidationFailed, match="sudah ditutup"):
        periode_tutup(periode=periode, pengguna=pengguna["wali"])


def test_closed_period_refuses_submission(periode, pengguna):
    periode_tutup(periode=periode, pengguna=pengguna["wali"])
    with pytest.raises(ValidationFailed) as err:
        pengajuan_ajukan(pengajuan=ambil(periode), pengguna=pengguna["op"])
    assert err.value.findings[0].rule == "periode_ditutup"


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_opens_lists_and_closes_periods_as_json(wilayah_klungkung):
    body = run("periode", "buka", "2026-S2", "--tenggat", "2026-12-31", "--json")
    assert body["ok"] is True and body["pengajuan"] == 59
    assert body["periode"]["tanggal_referensi"] == "2026-12-31" and body["periode"]["tenggat"] == "2026-12-31"
    assert AuditLog.objects.get(aksi="updates.periode.dibuka").keterangan == "tanpa akun (konsol server)"
    listing = run("periode", "list", "--json")
    assert [p["kode"] for p in listing["periode"]] == [KODE_PERIODE]
    assert run("periode", "tutup", "2026-S2", "--json")["periode"]["status"] == "ditutup"


def test_cli_refusals_are_json_with_findings(pengguna):
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("periode", "buka", "2026-S9", "--json", stdout=out, stderr=io.StringIO())
    body = json.loads(out.getvalue())
    assert body["ok"] is False and body["temuan"][0]["rule"] == "periode_format"
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("periode", "buka", "2026-S2", "--pengguna", "op", "--json", stdout=out,
                     stderr=io.StringIO())
    assert "walidata atau admin" in json.loads(out.getvalue())["pesan"]


def test_cli_human_output(wilayah_klungkung):
    out = io.StringIO()
    call_command("periode", "buka", "2026-Q3", stdout=out)
    assert "59 pengajuan" in out.getvalue()
    out = io.StringIO()
    call_command("periode", "list", stdout=out)
    assert "Triwulan 3 2026" in out.getvalue()


# --- API -----------------------------------------------------------------------------------------------


def test_api_lists_and_creates_periods(client, pengguna):
    masuk(client, pengguna["op"])
    resp = client.post("/api/v1/periode/", {"kode": "2026-S2"}, content_type="application/json")
    assert resp.status_code == 403 and "walidata atau admin" in resp.json()["pesan"]
    masuk(client, pengguna["wali"])
    resp = client.post("/api/v1/periode/", {"kode": "2026-S2", "tenggat": "2027-01-15"},
                       content_type="application/json")
    assert resp.status_code == 201 and resp.json()["tenggat"] == "2027-01-15"
    resp = client.post("/api/v1/periode/", {"kode": "2026-S2"}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["temuan"][0]["rule"] == "periode_ganda"
    resp = client.post("/api/v1/periode/", {"kode": "2026-X"}, content_type="application/json")
    assert resp.status_code == 400
    masuk(client, pengguna["analis"])
    assert [p["kode"] for p in client.get("/api/v1/periode/").json()] == ["2026-S2"]
    assert client.post("/api/v1/periode/2026-S2/tutup/").status_code == 403
    masuk(client, pengguna["admin"])
    assert client.post("/api/v1/periode/2026-S2/tutup/").json()["status"] == "ditutup"
    assert client.post("/api/v1/periode/2099-S1/tutup/").status_code == 404


def test_api_requires_login(client, periode):
    assert client.get("/api/v1/periode/").status_code in (401, 403)
