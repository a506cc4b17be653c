"""Layer pages (/sektor/peta/), API (/api/v1/sektor/…), CLI (presisi spasial …) and the demo layers."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from presisi.integration.models import LapisanSpasial
from tests.conftest import masuk
from tests.integration.test_spasial_paparan import SAKTI, skenario, zona_geojson  # noqa: F401


@pytest.fixture
def klien(skenario):  # noqa: F811
    from presisi.accounts.services import pengguna_create
    from tests.integration.conftest import PASSWORD

    bpbd = pengguna_create(username="wbpbd", password=PASSWORD, peran="walidata", wilayah_kode="51.05",
                           sektor=["bpbd"])
    analis = pengguna_create(username="analis_sp", password=PASSWORD, peran="analis", wilayah_kode="51.05")
    out = {}
    for nama, user in (("bpbd", bpbd), ("analis", analis)):
        out[nama] = Client()
        masuk(out[nama], user)
    return out


def _berkas(data: bytes = b"", name: str = "zona.geojson"):
    return SimpleUploadedFile(name, data or zona_geojson(), content_type="application/geo+json")


def test_walidata_uploads_on_the_page_dry_run_first(klien):
    c = klien["bpbd"]
    form = {"kode": "zona-tsunami", "nama": "Zona tsunami BPBD", "jenis": "bahaya", "bahaya": "tsunami"}
    r = c.post("/sektor/peta/", {**form, "berkas": _berkas(), "dry_run": "on"})
    assert r.status_code == 200 and "Uji coba berhasil" in r.content.decode()
    assert not LapisanSpasial.objects.exists()
    r = c.post("/sektor/peta/", {**form, "berkas": _berkas()})
    assert r.status_code == 302 and r["Location"] == "/sektor/peta/zona-tsunami/"
    html = c.get("/sektor/peta/zona-tsunami/").content.decode()
    assert 'class="peta peta-lapisan"' in html and html.count('class="zona kelas-') == 3
    assert "Keterpaparan per desa" in html and "Sakti" in html
    assert "Content-Security-Policy" not in html and "style=" not in html and "<script>" not in html
    html = c.get("/sektor/peta/").content.decode()
    assert "zona-tsunami" in html and "Unggah lapisan" in html


def test_findings_are_shown_per_feature(klien):
    bad = json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kelas": "parah"},
         "geometry": {"type": "Point", "coordinates": [115.4, -8.5]}},
        {"type": "Feature", "properties": {"kelas": "sangat"},
         "geometry": {"type": "Polygon", "coordinates": [[[115.4, -8.5], [115.41, -8.5], [115.41, -8.49],
                                                          [115.4, -8.5]]]}}]}).encode()
    r = klien["bpbd"].post("/sektor/peta/", {"kode": "zona-x", "jenis": "bahaya", "bahaya": "banjir",
                                             "berkas": _berkas(bad)})
    html = r.content.decode()
    assert r.status_code == 400
    assert "fitur 1, properti 'geometry', nilai 'Point': lapisan jenis &#x27;bahaya&#x27; harus berisi poligon" in html
    assert "fitur 2, properti 'kelas', nilai 'sangat': kelas bahaya tidak dikenal" in html


def test_analis_reads_but_may_not_upload(klien):
    c = klien["analis"]
    assert c.get("/sektor/peta/").status_code == 200
    assert "Unggah lapisan" not in c.get("/sektor/peta/").content.decode()
    assert c.post("/sektor/peta/", {"kode": "a", "jenis": "bahaya", "berkas": _berkas()}).status_code == 403
    assert c.post("/api/v1/sektor/lapisan/", {"kode": "a", "jenis": "bahaya", "berkas": _berkas()}).status_code == 403
    assert Client().get("/sektor/peta/").status_code == 302  # anonymous: sign in first
    assert c.get("/sektor/peta/tidak-ada/").status_code == 404


def test_api_upload_list_detail_geojson_exposure(klien):
    c = klien["bpbd"]
    r = c.post("/api/v1/sektor/lapisan/", {"kode": "zona-api", "jenis": "bahaya", "bahaya": "tsunami",
                                           "berkas": _berkas()})
    assert r.status_code == 201 and r.json()["versi"] == 1 and r.json()["fitur"] == 3
    again = c.post("/api/v1/sektor/lapisan/", {"kode": "zona-api", "jenis": "bahaya", "bahaya": "tsunami",
                                               "berkas": _berkas()})
    assert again.status_code == 200 and again.json()["status"] == "tidak_berubah"
    assert [la["kode"] for la in c.get("/api/v1/sektor/lapisan/").json()] == ["zona-api"]
    detail = c.get("/api/v1/sektor/lapisan/zona-api/").json()
    assert detail["sektor"] == "bpbd" and detail["riwayat"][0]["oleh"] == "wbpbd"
    gj = c.get("/api/v1/sektor/lapisan/zona-api/geojson")
    assert gj["Content-Type"] == "application/geo+json"
    doc = json.loads(gj.content)
    assert doc["type"] == "FeatureCollection" and [f["properties"]["presisi_kelas"] for f in doc["features"]] == [
        "tinggi", "sedang", "rendah"]
    pap = c.get("/api/v1/sektor/paparan/", {"bahaya": "tsunami"}).json()
    assert pap["periode"] == "2026-S2"
    assert [(r["kode_desa"], r["kelas"], r["penduduk"], r["bangunan"]) for r in pap["paparan"]] == [
        (SAKTI, "rendah", 1, 1), (SAKTI, "tinggi", 4, 2)]
    bad = c.post("/api/v1/sektor/lapisan/", {"kode": "zona-api", "jenis": "bahaya", "bahaya": "tsunami",
                                             "berkas": _berkas(b'{"type": "Feature"}')})
    assert bad.status_code == 400 and bad.json()["temuan"][0]["rule"] == "format"


def test_cli_unggah_daftar_paparan(skenario, tmp_path):  # noqa: F811
    path = tmp_path / "zona.geojson"
    path.write_bytes(zona_geojson())

    def run(*args) -> dict:
        out = io.StringIO()
        call_command("spasial", *args, "--json", stdout=out)
        return json.loads(out.getvalue())

    dry = run("unggah", str(path), "--kode", "zona-cli", "--jenis", "bahaya", "--bahaya", "tsunami", "--dry-run")
    assert (dry["ok"], dry["status"], dry["fitur"]) == (True, "uji", 3) and not LapisanSpasial.objects.exists()
    up = run("unggah", str(path), "--kode", "zona-cli", "--jenis", "bahaya", "--bahaya", "tsunami")
    assert (up["status"], up["versi"]) == ("baru", 1)
    assert [la["kode"] for la in run("daftar")["lapisan"]] == ["zona-cli"]
    pap = run("paparan", "--kode", "zona-cli")
    assert [(r["kelas"], r["penduduk"], r["balita"], r["lansia"], r["disabilitas"]) for r in pap["paparan"]] == [
        ("rendah", 1, 0, 0, 0), ("tinggi", 4, 1, 1, 1)]


def test_demo_layers_over_the_shipped_boundaries(batas_klungkung, kamus):
    from presisi.integration.services.spasial import muat_demo_lapisan

    first = muat_demo_lapisan()
    assert [(r["kode"], r["status"]) for r in first] == [
        ("contoh-tsunami", "baru"), ("contoh-longsor", "baru"), ("contoh-jalan", "baru")]
    tsunami = LapisanSpasial.objects.get(kode="contoh-tsunami")
    assert tsunami.ringkasan["kelas"] == {"tinggi": 1, "sedang": 1, "rendah": 1}
    assert "CONTOH SINTETIS" in tsunami.produsen and not tsunami.ringkasan["peringatan"]
    assert LapisanSpasial.objects.get(kode="contoh-jalan").ringkasan["fitur"] == 4  # one road per kecamatan
    assert {r["status"] for r in muat_demo_lapisan()} == {"tidak_berubah"}


def test_small_counts_of_foreign_desa_are_hidden(klien, skenario):  # noqa: F811
    from presisi.accounts.services import pengguna_create
    from presisi.integration.services.spasial import lapisan_unggah
    from tests.integration.conftest import PASSWORD

    lapisan_unggah(pengguna=skenario["admin"], berkas=zona_geojson(), nama_berkas="z.geojson", kode="zona-kecil",
                   jenis="bahaya", bahaya="tsunami")
    c = Client()
    masuk(c, pengguna_create(username="op_negari", password=PASSWORD, peran="operator_desa",
                             wilayah_kode="51.05.02.2001"))
    rows = c.get("/api/v1/sektor/paparan/").json()["paparan"]
    assert [(r["kelas"], r["penduduk"], r["bangunan"]) for r in rows] == [("rendah", None, None),
                                                                          ("tinggi", None, None)]
    html = c.get("/sektor/peta/zona-kecil/").content.decode()
    assert "&lt;5" in html
