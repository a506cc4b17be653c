"""One ``periode_get`` behind every face: ``2026-s2`` works everywhere, an unknown code is an error
listing the known periods (404 page, 404 JSON, CLI error), never a silent fall-back to the latest."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from presisi.core.exceptions import NotFound, ValidationFailed
from presisi.periods.selectors import periode_get, periode_get_atau_terkini, periode_terkini
from presisi.updates.services import periode_buka
from tests.conftest import masuk
from tests.updates.conftest import DESA

pytestmark = pytest.mark.django_db


@pytest.fixture
def dua_periode(periode, pengguna):
    """2026-S2 (the fixture) and a later 2027-S1: a fall-back would pick 2027-S1."""
    return periode, periode_buka(kode="2027-S1", pengguna=pengguna["wali"])


def test_selector_accepts_any_case_and_refuses_unknown_codes_with_the_known_list(dua_periode):
    s2, s1 = dua_periode
    assert periode_get("2026-s2") == s2 and periode_get(" 2026-S2 ") == s2
    for kode in ("2030-S1", "2026-s3", "", "latest"):
        with pytest.raises(NotFound) as err:
            periode_get(kode)
        assert isinstance(err.value, ValidationFailed)
        assert err.value.findings[0].rule == "periode_tidak_dikenal"
    for kode in ("2030-S1", "latest"):
        with pytest.raises(NotFound) as err:
            periode_get(kode)
        assert "periode yang ada: 2027-S1, 2026-S2" in err.value.findings[0].message
    assert err.value.extra["periode_tersedia"] == ["2027-S1", "2026-S2"]


def test_latest_only_when_no_code_is_given(dua_periode):
    s2, s1 = dua_periode
    assert periode_terkini() == s1
    assert periode_get_atau_terkini(None) == s1 and periode_get_atau_terkini("") == s1
    assert periode_get_atau_terkini("2026-s2") == s2
    with pytest.raises(NotFound):
        periode_get_atau_terkini("2030-S1")  # never the latest instead


def test_update_pages(client, dua_periode, pengguna):
    masuk(client, pengguna["wali"])
    assert client.get("/pemutakhiran/2026-s2/").status_code == 200
    assert client.get(f"/pemutakhiran/2026-s2/{DESA}/").status_code == 200
    resp = client.get("/pemutakhiran/2030-S1/")
    assert resp.status_code == 404
    text = resp.content.decode()
    assert "Periode &#x27;2030-S1&#x27; tidak ditemukan" in text and "2027-S1, 2026-S2" in text


def test_update_api(client, dua_periode, pengguna):
    masuk(client, pengguna["wali"])
    assert client.get("/api/v1/periode/2026-s2/progres/").json()["periode"]["kode"] == "2026-S2"
    resp = client.get("/api/v1/periode/2030-S1/progres/")
    assert resp.status_code == 404
    assert resp.json()["temuan"][0]["rule"] == "periode_tidak_dikenal"
    assert resp.json()["periode_tersedia"] == ["2027-S1", "2026-S2"]


def _json(*args: str, gagal: bool = False) -> dict:
    out = io.StringIO()
    if gagal:
        with pytest.raises(CommandError):
            call_command(*args, stdout=out, stderr=io.StringIO())
    else:
        call_command(*args, stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_cli(dua_periode, pengguna):
    body = _json("pengajuan", "status", "--periode", " 2026-s2 ", "--json")
    assert body["progres"]["periode"]["kode"] == "2026-S2"
    body = _json("pengajuan", "status", "--periode", "2030-S1", "--json", gagal=True)
    assert body["temuan"][0]["rule"] == "periode_tidak_dikenal" and "2026-S2" in body["temuan"][0]["message"]
    body = _json("periode", "tutup", "2026-s2", "--json")
    assert body["periode"]["status"] == "ditutup"


def test_validation_faces(client, dua_periode, pengguna, kamus):
    body = _json("validasi", "jalankan", "--desa", DESA, "--periode", "2026-s2", "--json")
    assert body["periode"] == "2026-S2"
    body = _json("validasi", "jalankan", "--desa", DESA, "--periode", "2030-S1", "--json", gagal=True)
    assert body["temuan"][0]["rule"] == "periode_tidak_dikenal"
    masuk(client, pengguna["wali"])
    assert client.get("/validasi/", {"periode": "2026-s2"}).status_code == 200
    assert client.get("/validasi/", {"periode": "2030-S1"}).status_code == 404
    assert client.get("/api/v1/validasi/temuan/", {"periode": "2026-s2"}).status_code == 200
    assert client.get("/api/v1/validasi/temuan/", {"periode": "2030-S1"}).status_code == 404


def test_indicator_api(client, dua_periode, pengguna):
    masuk(client, pengguna["wali"])
    resp = client.get("/api/v1/wilayah/51.05/profil/", {"periode": "2026-s2"})
    assert resp.status_code == 200
    resp = client.get("/api/v1/wilayah/51.05/profil/", {"periode": "2030-S1"})
    assert resp.status_code == 404 and resp.json()["temuan"][0]["rule"] == "periode_tidak_dikenal"
