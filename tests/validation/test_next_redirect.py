"""Every form that honours ``next=`` stays on the site (open redirect, issue #11)."""

from __future__ import annotations

import pytest

from presisi.accounts.services import pengguna_create
from presisi.validation.models import Temuan
from presisi.validation.services import validasi_jalankan
from tests.core.test_http import EVIL
from tests.validation.conftest import DESA, keluarga, orang

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-panjang-sekali"


def _stays_here(response) -> str:
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\")) and "evil" not in location, location
    return location


@pytest.mark.parametrize("target", EVIL)
def test_sign_in_language_and_justification_forms_refuse_foreign_next(client, wilayah, periode, target):
    kel = keluarga(wilayah)
    orang(kel, shdk=1)
    orang(kel, shdk=4, lahir="2012-01-01", status_kawin=2, pekerjaan=3, pendidikan=2)
    validasi_jalankan(desa=wilayah[DESA], periode=periode)
    warning = Temuan.objects.filter(keparahan="warning").first()
    assert warning is not None
    pengguna_create(username="operator", password=PASSWORD, peran="operator_desa", wilayah_kode=DESA)
    _stays_here(client.post("/akun/login/", {"username": "operator", "password": PASSWORD, "next": target}))
    _stays_here(client.post("/i18n/setlang/", {"language": "id", "next": target}))
    alasan = "Perkawinan adat, akta sudah diperiksa kepala desa."
    assert _stays_here(client.post(f"/validasi/temuan/{warning.pk}/justifikasi/",
                                   {"alasan": alasan, "next": target})).startswith("/validasi/")
    assert _stays_here(client.post("/validasi/temuan/justifikasi/",
                                   {"temuan": [warning.pk], "alasan": alasan, "next": target})).startswith("/validasi/")


def test_our_own_next_is_followed(client, wilayah, periode):
    pengguna_create(username="operator", password=PASSWORD, peran="operator_desa", wilayah_kode=DESA)
    client.login(username="operator", password=PASSWORD)
    own = f"/validasi/?desa={DESA}&periode={periode.kode}"
    response = client.post("/validasi/temuan/justifikasi/", {"alasan": "x", "next": own})
    assert response.status_code == 302 and response["Location"] == own
