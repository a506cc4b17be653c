"""Bad ids and parameters answer 4xx, never 500 (issue 11's list of server errors)."""
# ruff: noqa: F811  (pytest fixtures imported from tests.validation.conftest)

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import masuk
from tests.imports.helpers import user
from tests.validation.conftest import DESA, _reference_data, periode, wilayah  # noqa: F401  (shared fixtures)

pytestmark = pytest.mark.django_db
HUGE = "9" * 30


@pytest.fixture
def operator(wilayah, periode):
    client = Client(raise_request_exception=False)
    masuk(client, user("operator_desa", DESA))
    return client


@pytest.mark.parametrize("url", [
    "/impor/999999/", "/impor/999999/temuan.xlsx", "/api/v1/impor/999999/", "/api/v1/impor/999999/temuan.xlsx",
    f"/impor/{HUGE}/", f"/api/v1/impor/{HUGE}/", f"/registri/individu/{HUGE}/", f"/registri/keluarga/{HUGE}/",
    f"/api/v1/individu/{HUGE}/", f"/api/v1/keluarga/{HUGE}/",
    "/impor/templat/xyz.xlsx", "/api/v1/impor/templat/xyz.xlsx",
    "/api/v1/wilayah/xyz/profil/",
])
def test_unknown_or_huge_ids_are_not_found(operator, url):
    assert operator.get(url).status_code == 404, url


def test_unknown_region_profile_is_not_found_for_anonymous_too(wilayah, periode):
    assert Client(raise_request_exception=False).get("/api/v1/wilayah/xyz/profil/").status_code == 404


@pytest.mark.parametrize("query", ["limit=abc", "offset=-5", "limit=-1", "offset=x", "limit=99999999999999999999"])
def test_findings_api_refuses_bad_paging_with_400(operator, query):
    response = operator.get(f"/api/v1/validasi/temuan/?{query}")
    assert response.status_code == 400
    assert response.json()["temuan"][0]["rule"] == "bilangan_bulat"
