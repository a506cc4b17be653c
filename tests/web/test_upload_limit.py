"""Requests above the size limits are a clear Indonesian 413 (page or JSON), never a 400 or 500."""

from __future__ import annotations

import io

import pytest

from tests.conftest import masuk

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, wilayah_klungkung):
    # a desa operator: a role that may import and justify, so the request reaches the body
    # (roles that may not are refused before it is read)
    from presisi.accounts.services import pengguna_create

    masuk(client, pengguna_create(username="penguji", password="rahasia-panjang-sekali", peran="operator_desa",
                                  wilayah_kode="51.05.01.2001"))
    return client


def _file(size: int) -> io.BytesIO:
    f = io.BytesIO(b"a,b\n" + b"1,2\n" * (size // 4))
    f.name = "desa-5105012001.csv"
    return f


def test_an_upload_above_the_limit_is_a_413_page_and_json(signed_in, settings):
    settings.PRESISI_UNGGAH_MAKS_MB = 1
    response = signed_in.post("/impor/", {"berkas": _file(2 * 1024 * 1024)})
    assert response.status_code == 413
    body = response.content.decode()
    assert "Kiriman terlalu besar" in body and "1 MB" in body and "<style" not in body
    response = signed_in.post("/api/v1/impor/", {"berkas": _file(2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "1 MB" in response.json()["pesan"]
    # in English when the user reads English
    response = signed_in.post("/impor/", {"berkas": _file(2 * 1024 * 1024)}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413 and "The upload is too large: the limit is 1 MB" in response.content.decode()


def test_form_fields_above_data_upload_max_memory_size_are_a_413(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = signed_in.post("/validasi/temuan/justifikasi/", {"alasan": "x" * 5000})
    assert response.status_code == 413
    assert "Kiriman terlalu besar" in response.content.decode()
    response = signed_in.post("/api/v1/impor/", {"desa": "x" * 5000})
    assert response.status_code == 413 and response.json()["pesan"]


def test_an_upload_within_the_limit_is_not_refused_for_its_size(signed_in, settings):
    settings.PRESISI_UNGGAH_MAKS_MB = 3
    response = signed_in.post("/impor/", {"berkas": _file(2 * 1024 * 1024)})
    assert response.status_code != 413
