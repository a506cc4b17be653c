"""The first web face: home with counts, drill-down to a desa and its banjar, login."""

from __future__ import annotations

import pytest

from presisi.regions.services import wilayah_load_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency(wilayah_klungkung, kamus):
    wilayah_load_csv(data="kode,nama,tingkat,kode_induk\n51.05.01.2001.001,Banjar Dinas Kaja,banjar,51.05.01.2001\n")
    from presisi.registry.services import individu_create, keluarga_create

    kk = keluarga_create(no_kk="5105010203150001", banjar_kode="51.05.01.2001.001")
    individu_create(keluarga=kk, data={"nik": "5105011203800001", "nama": "I Wayan Sudarma", "jenis_kelamin": 1,
                                       "tanggal_lahir": "1980-03-12", "hubungan_keluarga": 1})


def test_home_shows_each_kecamatan_with_counts(client, regency):
    page = client.get("/").content.decode()
    for name in ("Nusa Penida", "Banjarangkan", "Klungkung", "Dawan"):
        assert name in page
    assert 'href="/wilayah/51.05.01/"' in page


def test_drill_down_to_desa_lists_its_banjar(client, regency):
    kec = client.get("/wilayah/51.05.01/").content.decode()
    assert "Sakti" in kec and 'href="/wilayah/51.05.01.2001/"' in kec
    desa = client.get("/wilayah/51.05.01.2001/").content.decode()
    assert "Banjar Dinas Kaja" in desa
    assert "Nusa Penida</a>" in desa  # breadcrumb back up


def test_unknown_region_is_404(client, regency):
    assert client.get("/wilayah/99.99/").status_code == 404


def test_login_page_and_admin_require_auth(client, regency):
    assert "Kata sandi" in client.get("/akun/login/").content.decode()
    assert client.get("/admin/").status_code == 302


def test_english_switch(client, regency):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()
