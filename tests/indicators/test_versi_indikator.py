"""Editing an indicator over the API: a content-hash ETag, If-Match honoured, a stale edit refused (412)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presisi.core.exceptions import VersiBasi
from presisi.indicators.models import Indikator
from presisi.indicators.selectors import indikator_sidik
from presisi.indicators.services import indikator_simpan
from tests.conftest import masuk

pytestmark = pytest.mark.django_db
URL = "/api/v1/indikator/uji_lansia/"


@pytest.fixture
def admin(kamus):
    return get_user_model().objects.create_superuser("admin-uji", password="rahasia-panjang")


@pytest.fixture
def ind(admin):
    return indikator_simpan(data={"kode": "uji_lansia", "nama": "Lansia", "tema": "uji", "unit": "individu",
                                  "pembilang": "count(umur >= 60)", "penyebut": "count()"}, pengguna=admin)


def test_etag_if_match_and_a_stale_edit(client, admin, ind):
    masuk(client, admin)
    tag = client.get(URL)["ETag"]
    assert tag == f'"{indikator_sidik(ind)}"'
    ok = client.patch(URL, {"nama": "Penduduk lansia"}, content_type="application/json", headers={"If-Match": tag})
    assert ok.status_code == 200 and ok.json()["nama"] == "Penduduk lansia" and ok["ETag"] != tag
    stale = client.patch(URL, {"nama": "Lansia 60+"}, content_type="application/json", headers={"If-Match": tag})
    assert stale.status_code == 412 and stale.json()["sekarang"]["nama"] == "Penduduk lansia"
    assert stale["ETag"] == ok["ETag"] and Indikator.objects.get(kode="uji_lansia").nama == "Penduduk lansia"
    # without If-Match (older clients) or with "*" the edit goes through
    assert client.patch(URL, {"nama": "A"}, content_type="application/json").status_code == 200
    assert client.patch(URL, {"nama": "B"}, content_type="application/json",
                        headers={"If-Match": "*"}).status_code == 200
    with pytest.raises(VersiBasi):
        indikator_simpan(data={"nama": "C"}, pengguna=admin, kode="uji_lansia", sidik={"basi"})


@given(header=st.text(max_size=30))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_if_match_values_never_fail_the_server(client, admin, ind, header):
    masuk(client, admin)
    response = client.patch(URL, {"nama": "Lansia"}, content_type="application/json", headers={"If-Match": header})
    assert response.status_code in (200, 412)
