"""API v1 for regions, counts and the dictionary, and its OpenAPI schema."""

from __future__ import annotations

import io

import openpyxl
import pytest

pytestmark = pytest.mark.django_db


def test_regions_and_geojson(client, wilayah_klungkung):
    rows = client.get("/api/v1/wilayah/?tingkat=kecamatan").json()
    assert [r["kode"] for r in rows] == ["51.05.01", "51.05.02", "51.05.03", "51.05.04"]
    geo = client.get("/api/v1/wilayah.geojson?induk=51.05.03").json()
    assert len(geo["features"]) == 18


def test_statistik_endpoint_and_unknown_region(client, wilayah_klungkung):
    body = client.get("/api/v1/statistik/").json()
    assert body["wilayah"]["kode"] == "51.05"
    assert len(body["anak"]) == 4
    assert client.get("/api/v1/statistik/99.99/").status_code == 404


def test_dictionary_endpoints(client, kamus):
    variables = client.get("/api/v1/kamus/variabel/?unit=individu").json()
    assert any(v["kode"] == "nik" and v["akses_publik"] is False for v in variables)
    lists = client.get("/api/v1/kamus/klasifikasi/").json()
    agama = next(k for k in lists if k["kode"] == "agama")
    assert {"kode": 4, "label": "Hindu"} in agama["item"]
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/api/v1/kamus.xlsx").content))
    assert wb.sheetnames == ["Variabel", "Klasifikasi", "Sektor"]


def test_openapi_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/wilayah/" in schema["paths"]
    assert "/api/v1/kamus/variabel/" in schema["paths"]
