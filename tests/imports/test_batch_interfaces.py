"""Many desa files at once through the web page and the API; the desa recognised from the file."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from presisi.imports.models import Impor
from presisi.registry.models import Individu, Keluarga
from tests.conftest import masuk
from tests.imports.helpers import (
    INDIVIDU_HEADER,
    KELUARGA_HEADER,
    desa_lain_file,
    individu_rows,
    keluarga_rows,
    user,
    xlsx,
)
from tests.imports.helpers import template_file as desa_file
from tests.validation.conftest import DESA, DESA_LAIN

pytestmark = pytest.mark.django_db

NAMA_DESA, NAMA_DESA_LAIN = "desa-5105012001.xlsx", "desa-51.05.01.2002.xlsx"


def upload(data: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def ids_in(location: str) -> list[int]:
    return [int(v) for v in parse_qs(urlsplit(location).query)["id"]]


def people_per_desa() -> dict[str, int]:
    return {kode: Individu.objects.filter(desa__kode=kode).count() for kode in (DESA, DESA_LAIN)}


# --- web ---------------------------------------------------------------------------------------------------------

def test_web_upload_of_two_desa_files_creates_two_accepted_jobs(wilayah, periode, client,
                                                                 django_capture_on_commit_callbacks):
    # several desa at once: the regency admin (imports are for the roles that produce data, issue #11)
    masuk(client, user("admin", "51.05"))
    page = client.get("/impor/").content.decode()
    assert 'multiple' in page and "dikenali dari" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/impor/", {
            "desa": "", "periode": periode.kode, "format": "", "dry_run": "",
            "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), NAMA_DESA_LAIN)]})
    assert response.status_code == 302, response.content.decode()
    assert urlsplit(response["Location"]).path == "/impor/banyak/"
    jobs = {i.desa.kode: i for i in Impor.objects.filter(pk__in=ids_in(response["Location"]))}
    assert set(jobs) == {DESA, DESA_LAIN} and Impor.objects.count() == 2
    assert {i.nama_berkas for i in jobs.values()} == {NAMA_DESA, NAMA_DESA_LAIN}
    assert all(i.hasil == Impor.DITERIMA and i.status == Impor.SELESAI for i in jobs.values())
    assert people_per_desa() == {DESA: 4, DESA_LAIN: 4} and Keluarga.objects.count() == 4

    result = client.get(response["Location"])
    html = result.content.decode()
    assert result.status_code == 200 and 'http-equiv="refresh"' not in html
    assert NAMA_DESA in html and NAMA_DESA_LAIN in html and html.count("Diterima dan disimpan") == 2
    assert "2 diterima, 0 ditolak" in html
    for impor in jobs.values():
        assert f'href="/impor/{impor.pk}/"' in html
    assert "<td>individu</td><td>8</td>" in html  # units summed over both files


def test_web_batch_with_an_unrecognisable_file_creates_nothing_and_shows_the_finding(wilayah, periode, client,
                                                                                     django_capture_on_commit_callbacks):
    masuk(client, user("admin", "51.05"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/impor/", {
            "periode": periode.kode, "dry_run": "",
            "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), "data-penduduk.xlsx")]})
    html = response.content.decode()
    assert response.status_code == 400
    assert "desa_berkas_tidak_dikenali" in html and "data-penduduk.xlsx" in html
    assert "tidak dapat dikenali dari nama berkas" in html
    assert Impor.objects.count() == 0 and Individu.objects.count() == 0


def test_web_batch_refuses_two_files_of_the_same_desa(wilayah, periode, client):
    masuk(client, user("admin", "51.05"))
    response = client.post("/impor/", {
        "periode": periode.kode,
        "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_file(), "ulang-5105012001.xlsx")]})
    assert response.status_code == 400 and "desa_ganda_dalam_kiriman" in response.content.decode()
    assert Impor.objects.count() == 0


def test_web_a_chosen_desa_with_several_files_is_a_form_error(wilayah, periode, client):
    masuk(client, user("admin", "51.05"))
    response = client.post("/impor/", {
        "desa": DESA, "periode": periode.kode,
        "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), NAMA_DESA_LAIN)]})
    assert response.status_code == 200 and "hanya dapat dipilih untuk satu berkas" in response.content.decode()
    assert Impor.objects.count() == 0


def test_web_one_file_without_desa_is_recognised_from_the_guide_sheet(wilayah, periode, client,
                                                                      django_capture_on_commit_callbacks):
    masuk(client, user("operator_desa", DESA))
    data = xlsx({"Petunjuk": [[f"Templat impor data desa presisi — Desa Contoh ({DESA})"]],
                 "Keluarga": [KELUARGA_HEADER, *keluarga_rows()],
                 "Individu": [INDIVIDU_HEADER, *individu_rows()]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/impor/", {"desa": "", "periode": periode.kode, "dry_run": "",
                                           "berkas": upload(data, "penduduk.xlsx")})
    impor = Impor.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/impor/{impor.pk}/"
    assert impor.desa.kode == DESA and impor.hasil == Impor.DITERIMA
    assert people_per_desa() == {DESA: 4, DESA_LAIN: 0}


# --- API ---------------------------------------------------------------------------------------------------------

def post_both_desa_files(client: APIClient, periode, *, dry_run: bool):
    return client.post("/api/v1/impor/banyak/", {
        "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), NAMA_DESA_LAIN)],
        "periode": periode.kode, "dry_run": str(dry_run).lower()}, format="multipart")


def test_api_batch_creates_one_job_per_desa_file(wilayah, periode, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(user("admin", "51.05"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_both_desa_files(client, periode, dry_run=False)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["jumlah"] == 2 and [i["desa"] for i in body["impor"]] == [DESA, DESA_LAIN]
    assert [i["nama_berkas"] for i in body["impor"]] == [NAMA_DESA, NAMA_DESA_LAIN]
    for item in body["impor"]:
        detail = client.get(f"/api/v1/impor/{item['id']}/").json()
        assert detail["status"] == "selesai" and detail["hasil"] == "diterima"
        assert detail["ringkasan"]["unit"]["individu"]["dibuat"] == 4
    assert people_per_desa() == {DESA: 4, DESA_LAIN: 4}


def test_api_batch_dry_run_saves_nothing(wilayah, periode, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(user("admin", "51.05"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_both_desa_files(client, periode, dry_run=True)
    assert response.status_code == 201 and response.json()["jumlah"] == 2
    assert set(Impor.objects.values_list("hasil", flat=True)) == {Impor.UJI} and Individu.objects.count() == 0


def test_api_batch_with_an_unknown_desa_is_refused_whole(wilayah, periode):
    client = APIClient()
    client.force_authenticate(user("admin", "51.05"))
    response = client.post("/api/v1/impor/banyak/", {
        "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), "desa-5105019999.xlsx")],
        "periode": periode.kode}, format="multipart")
    assert response.status_code == 400
    body = response.json()
    assert body["pesan"].startswith("Kiriman ditolak")
    assert [(f["rule"], f["column"], f["value"]) for f in body["temuan"]] == [
        ("desa_berkas_tidak_dikenali", "berkas", "desa-5105019999.xlsx")]
    assert Impor.objects.count() == 0 and Individu.objects.count() == 0
    no_files = client.post("/api/v1/impor/banyak/", {"periode": periode.kode}, format="multipart")
    assert no_files.status_code == 400 and "berkas" in no_files.json()


def test_api_batch_operator_cannot_import_another_desa_file(wilayah, periode, django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(user("operator_desa", DESA))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/impor/banyak/", {
            "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), NAMA_DESA_LAIN)],
            "periode": periode.kode}, format="multipart")
    assert response.status_code == 403 and response.json()["pesan"]
    assert Impor.objects.count() == 0 and people_per_desa() == {DESA: 0, DESA_LAIN: 0}


def test_api_single_upload_without_desa_recognises_it_from_the_file_name(wilayah, periode,
                                                                         django_capture_on_commit_callbacks):
    client = APIClient()
    client.force_authenticate(user("admin", "51.05"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/impor/", {"berkas": upload(desa_lain_file(), NAMA_DESA_LAIN),
                                                  "periode": periode.kode}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["desa"] == DESA_LAIN
    impor = Impor.objects.get()
    assert impor.desa.kode == DESA_LAIN and impor.hasil == Impor.DITERIMA
    assert people_per_desa() == {DESA: 0, DESA_LAIN: 4}
    unknown = client.post("/api/v1/impor/", {"berkas": upload(desa_file(), "penduduk.xlsx"),
                                             "periode": periode.kode}, format="multipart")
    assert unknown.status_code == 400 and unknown.json()["temuan"][0]["rule"] == "desa_berkas_tidak_dikenali"
    assert Impor.objects.count() == 1


def test_api_batch_endpoint_is_in_the_schema(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "post" in paths["/api/v1/impor/banyak/"]


def test_upload_and_batch_pages_speak_english_when_chosen(wilayah, periode, client):
    masuk(client, user("admin", "51.05"))
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/impor/"}).status_code == 302
    page = client.get("/impor/").content.decode()
    assert "Recognise from the file" in page and "several at once allowed" in page
    response = client.post("/impor/", {
        "periode": periode.kode, "dry_run": "on",
        "berkas": [upload(desa_file(), NAMA_DESA), upload(desa_lain_file(), NAMA_DESA_LAIN)]})
    batch = client.get(response["Location"]).content.decode()
    assert "Import several files" in batch and "2 files" in batch and "Progress" in batch
