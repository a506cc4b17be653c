"""Unknown or impossible ids and bad list parameters: 404/400 with an Indonesian message, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests.conftest import masuk

pytestmark = pytest.mark.django_db
HUGE = "9" * 30
DESA = "51.05.01.2001"


@pytest.fixture
def operator(wilayah_klungkung, kamus):
    from presisi.accounts.services import pengguna_create
    from presisi.periods.models import Periode

    Periode.objects.create(kode="2027-S1", nama="2027-S1", tanggal_mulai=dt.date(2027, 1, 1),
                           tanggal_referensi=dt.date(2027, 6, 30))
    user = pengguna_create(username="op", password="sandi-uji-yang-panjang-91", peran="operator_desa",
                           wilayah_kode=DESA)
    client = Client(raise_request_exception=False)
    masuk(client, user)
    return client


@pytest.mark.parametrize("url", [
    f"/api/v1/impor/{HUGE}/", f"/impor/{HUGE}/", f"/impor/{HUGE}/temuan.xlsx", f"/api/v1/impor/{HUGE}/temuan.xlsx",
    "/api/v1/impor/424242/", "/impor/424242/", "/api/v1/wilayah/xyz/profil/", "/impor/templat/xyz.xlsx",
    "/api/v1/impor/templat/xyz.xlsx", f"/api/v1/individu/{HUGE}/", f"/registri/individu/{HUGE}/",
    f"/api/v1/keluarga/{HUGE}/riwayat/", f"/registri/keluarga/{HUGE}/", "/api/v1/statistik/xyz/",
    "/api/v1/indikator/xyz/", "/api/v1/periode/xyz/progres/", "/api/v1/desa/xyz/individu/",
    "/registri/desa/xyz/", "/pemutakhiran/xyz/", f"/api/v1/periode/2027-S1/pengajuan/{DESA}9/",
])
def test_unknown_ids_are_404(operator, url):
    assert operator.get(url).status_code == 404


@pytest.mark.parametrize("url", [f"/api/v1/validasi/temuan/{HUGE}/justifikasi/",
                                 f"/validasi/temuan/{HUGE}/justifikasi/",
                                 "/api/v1/validasi/temuan/424242/justifikasi/"])
def test_unknown_finding_is_404_on_write(operator, url):
    assert operator.post(url, {"alasan": "alasan yang cukup panjang"}).status_code == 404


@pytest.mark.parametrize("query", ["limit=abc", "offset=-5", "limit=0", "limit=1e3", f"offset={HUGE}"])
@pytest.mark.parametrize("path", [f"/api/v1/desa/{DESA}/individu/", f"/api/v1/desa/{DESA}/keluarga/",
                                  f"/api/v1/desa/{DESA}/rumah-tangga/", f"/api/v1/desa/{DESA}/bangunan/",
                                  "/api/v1/validasi/temuan/"])
def test_bad_list_parameters_are_400_in_indonesian(operator, path, query):
    response = operator.get(f"{path}?{query}")
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["pesan"] == "Parameter tidak valid."
    assert "bilangan bulat" in body["temuan"][0]["message"]


def test_good_list_parameters_still_page(operator):
    response = operator.get(f"/api/v1/desa/{DESA}/individu/?limit=5&offset=0")
    assert response.status_code == 200 and "results" in response.json()
