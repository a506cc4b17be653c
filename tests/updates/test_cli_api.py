"""``presisi pengajuan …`` and the /api/v1/periode/… endpoints: thin adapters over the same services."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.updates.models import DIAJUKAN, DIKEMBALIKAN, DIVERIFIKASI, DRAF
from tests.conftest import masuk
from tests.updates.conftest import DESA, DESA_LAIN, ambil, atur_status

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def run_gagal(*args: str) -> dict:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


# --- CLI -----------------------------------------------------------------------------------------------


def test_cli_status_of_period_and_desa(periode, pengguna):
    atur_status(periode, DIAJUKAN)
    body = run("pengajuan", "status", "--periode", "2026-S2", "--json")
    assert body["ok"] is True and body["progres"]["total"] == 59
    assert len(body["progres"]["kecamatan"]) == 4
    desa = run("pengajuan", "status", "--periode", "2026-s2", "--desa", DESA, "--json")
    assert desa["pengajuan"]["status"] == DIAJUKAN and desa["riwayat"][0]["aksi"] == "buka"
    assert isinstance(desa["pengajuan"]["diubah"], str) and "T" in desa["pengajuan"]["diubah"]
    scoped = run("pengajuan", "status", "--periode", "2026-S2", "--pengguna", "ver", "--json")
    assert scoped["progres"]["total"] == 16


def test_cli_walks_a_submission_through_every_tier(periode, pengguna):
    base = ["--periode", "2026-S2", "--desa", DESA, "--json"]
    assert run("pengajuan", "ajukan", *base, "--pengguna", "op")["pengajuan"]["status"] == DIAJUKAN
    body = run("pengajuan", "kembalikan", *base, "--pengguna", "ver", "--alasan", "umur tidak wajar")
    assert body["pengajuan"]["status"] == DIKEMBALIKAN and body["pengajuan"]["catatan"] == "umur tidak wajar"
    run("pengajuan", "ajukan", *base, "--pengguna", "op")
    run("pengajuan", "verifikasi", *base, "--pengguna", "ver")
    run("pengajuan", "setujui", *base, "--pengguna", "wali")
    body = run("pengajuan", "publikasikan", *base, "--pengguna", "admin")
    assert body["pengajuan"]["status"] == "dipublikasikan" and body["pengajuan"]["terkunci"] is True
    body = run("pengajuan", "batal", *base, "--pengguna", "wali", "--alasan", "revisi")
    assert body["pengajuan"]["status"] == DIVERIFIKASI and body["transisi"] == "batal"


def test_cli_refusals(periode, pengguna, validasi):
    base = ["--periode", "2026-S2", "--desa", DESA, "--json"]
    body = run_gagal("pengajuan", "verifikasi", *base, "--pengguna", "ver")
    assert body["ok"] is False and body["temuan"][0]["rule"] == "status_tidak_sesuai"
    assert "di luar cakupan" in run_gagal("pengajuan", "ajukan", *base, "--pengguna", "op_lain")["pesan"]
    validasi.atur(galat=2)
    assert "2 galat" in run_gagal("pengajuan", "ajukan", *base, "--pengguna", "op")["pesan"]
    assert run_gagal("pengajuan", "ajukan", *base, "--pengguna", "siapa")["temuan"][0]["rule"] == \
        "pengguna_tidak_dikenal"
    assert run_gagal("pengajuan", "status", "--periode", "2030-S1", "--json")["temuan"][0]["rule"] == \
        "periode_tidak_dikenal"
    assert run_gagal("pengajuan", "status", "--periode", "2026-S2", "--desa", "51.05.09.9999",
                     "--json")["temuan"][0]["rule"] == "desa_tidak_dikenal"
    with pytest.raises(CommandError, match="--alasan"):
        call_command("pengajuan", "kembalikan", "--periode", "2026-S2", "--desa", DESA, "--pengguna", "ver")
    with pytest.raises(CommandError, match="--pengguna"):
        call_command("pengajuan", "ajukan", "--periode", "2026-S2", "--desa", DESA)
    assert ambil(periode).status == DRAF


def test_cli_human_output(periode, pengguna):
    out = io.StringIO()
    call_command("pengajuan", "ajukan", "--periode", "2026-S2", "--desa", DESA, "--pengguna", "op",
                 stdout=out)
    assert "Sakti" in out.getvalue() and "Diajukan desa" in out.getvalue()
    out = io.StringIO()
    call_command("pengajuan", "status", "--periode", "2026-S2", "--desa", DESA, stdout=out)
    assert "draf → diajukan" in out.getvalue()
    out = io.StringIO()
    call_command("pengajuan", "status", "--periode", "2026-S2", stdout=out)
    assert "Kecamatan Nusa Penida" in out.getvalue()


# --- API -----------------------------------------------------------------------------------------------

URL = "/api/v1/periode/2026-S2/pengajuan/"


def test_api_list_is_scoped_and_lists_allowed_actions(client, periode, pengguna):
    atur_status(periode, DIAJUKAN)
    masuk(client, pengguna["op"])
    rows = client.get(URL).json()
    assert [r["desa"] for r in rows] == [DESA] and rows[0]["aksi"] == []
    masuk(client, pengguna["ver"])
    rows = client.get(URL).json()
    assert len(rows) == 16 and {r["kecamatan"] for r in rows} == {"51.05.01"}
    assert [a["aksi"] for a in rows[0]["aksi"]] == ["verifikasi", "kembalikan"]
    assert rows[0]["aksi"][1]["alasan_wajib"] is True
    masuk(client, pengguna["wali"])
    assert len(client.get(URL, {"status": DIAJUKAN}).json()) == 1
    assert len(client.get(URL, {"kecamatan": "51.05.02"}).json()) == 13
    assert client.get("/api/v1/periode/2099-S1/pengajuan/").status_code == 404


def test_api_transitions_and_refusals(client, periode, pengguna):
    masuk(client, pengguna["op"])
    resp = client.post(f"{URL}{DESA}/ajukan/", {"alasan": "lengkap"}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["status"] == DIAJUKAN
    resp = client.post(f"{URL}{DESA_LAIN}/ajukan/")
    assert resp.status_code == 404  # another desa answers like an unknown one (issue #11)
    resp = client.post(f"{URL}{DESA}/ajukan/")
    assert resp.status_code == 400 and resp.json()["temuan"][0]["rule"] == "status_tidak_sesuai"
    assert client.post(f"{URL}{DESA}/hapus/").status_code == 404
    masuk(client, pengguna["ver_lain"])
    assert client.post(f"{URL}{DESA}/verifikasi/").status_code == 404  # another kecamatan's desa
    masuk(client, pengguna["analis"])
    assert client.post(f"{URL}{DESA}/verifikasi/").status_code == 403
    masuk(client, pengguna["ver"])
    resp = client.post(f"{URL}{DESA}/kembalikan/", {}, content_type="application/json")
    assert resp.status_code == 400 and resp.json()["temuan"][0]["rule"] == "alasan_wajib"
    assert client.post(f"{URL}{DESA}/verifikasi/").json()["status"] == DIVERIFIKASI
    detail = client.get(f"{URL}{DESA}/").json()
    assert [r["aksi"] for r in detail["riwayat"]] == ["buka", "ajukan", "verifikasi"]
    assert detail["riwayat"][1]["komentar"] == "lengkap"
    assert client.get(f"{URL}{DESA_LAIN}/").status_code == 404


def test_api_progress_and_schema(client, periode, pengguna):
    masuk(client, pengguna["ver"])
    body = client.get("/api/v1/periode/2026-S2/progres/").json()
    assert body["total"] == 16 and body["status"][0] == {"status": DRAF, "label": "Draf", "jumlah": 16,
                                                         "persen": 100.0}
    schema = client.get("/api/schema/?format=json").json()
    assert {"/api/v1/periode/", "/api/v1/periode/{kode}/pengajuan/{desa}/{aksi}/"} <= set(schema["paths"])
