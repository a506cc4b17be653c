"""The UI is Bahasa Indonesia by default and switches to English through /i18n/setlang/."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def _switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


def test_indonesian_is_the_default(client):
    home = client.get("/").content.decode()
    assert 'lang="id"' in home
    assert "Beranda" in home and "Masuk" in home
    login = client.get("/akun/login/").content.decode()
    assert "Nama pengguna" in login and "Kata sandi" in login


def test_setlang_switches_home_and_login_to_english(client):
    _switch_to_english(client)
    home = client.get("/").content.decode()
    assert 'lang="en"' in home
    assert ">Home</a>" in home and ">Log in</a>" in home
    assert "Skip to content" in home
    assert "Beranda" not in home
    assert "Bahasa Indonesia</button>" in home  # the switch now offers the way back

    login = client.get("/akun/login/").content.decode()
    assert "<h1>Log in</h1>" in login
    assert "Username" in login and "Password" in login
    assert "Nama pengguna" not in login
