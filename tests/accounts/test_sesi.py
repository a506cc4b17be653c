"""'Sesi saya': the user's live sessions are listed and can be ended; rows follow logout and expiry."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from presisi.accounts.models import SesiPengguna
from presisi.accounts.services import pengguna_create
from presisi.accounts.sesi import AKSI_SESI_DIAKHIRI, ringkas_user_agent
from presisi.core.models import AuditLog
from tests.conftest import masuk

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-panjang"
CHROME = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
          "Safari/537.36")
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
ID = re.compile(r'name="id" value="([0-9a-f]+)"')


@pytest.fixture
def users(wilayah_klungkung):
    return {
        "op": pengguna_create(username="op", password=PASSWORD, peran="operator_desa", wilayah_kode="51.05.01.2001"),
        "wali": pengguna_create(username="wali", password=PASSWORD, peran="walidata", wilayah_kode="51.05"),
    }


def browser(user, ua: str, ip: str) -> Client:
    """A signed-in client with its own User-Agent and address, through the real login form."""
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    assert client.post("/akun/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_sessions_are_listed_with_device_address_and_the_current_one_marked(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    browser(users["op"], FIREFOX, "10.0.0.2")
    page = a.get("/akun/sesi/").content.decode()
    assert "Chrome 131 · Linux" in page and "Firefox 133 · Windows" in page
    assert "10.0.0.1" in page and "10.0.0.2" in page
    assert page.count(">sesi ini<") == 1 and len(ID.findall(page)) == 2
    assert a.session.session_key not in page  # the key would let a reader take the session over


def test_ending_another_session_signs_that_browser_out(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    b = browser(users["op"], FIREFOX, "10.0.0.2")
    page = a.get("/akun/sesi/").content.decode()
    ids = ID.findall(page)
    row_b = page.split("Firefox 133")[1]
    other = ID.search(row_b).group(1)
    assert other in ids
    response = a.post("/akun/sesi/akhiri/", {"id": other})
    assert response.status_code == 302
    assert b.get("/tugas/")["Location"].startswith("/akun/login/")
    assert a.get("/tugas/").status_code == 200
    assert SesiPengguna.objects.filter(pengguna=users["op"]).count() == 1
    assert AuditLog.objects.filter(aksi=AKSI_SESI_DIAKHIRI).count() == 1


def test_end_all_other_sessions(users):
    others = [browser(users["op"], FIREFOX, f"10.0.0.{i}") for i in range(2, 5)]
    a = browser(users["op"], CHROME, "10.0.0.1")
    assert a.post("/akun/sesi/akhiri/", {"semua_lainnya": "1"}).status_code == 302
    assert all(o.get("/tugas/").status_code == 302 for o in others)
    assert a.get("/tugas/").status_code == 200
    assert SesiPengguna.objects.filter(pengguna=users["op"]).count() == 1


def test_ending_the_current_session_logs_out(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    mine = ID.search(a.get("/akun/sesi/").content.decode()).group(1)
    assert a.post("/akun/sesi/akhiri/", {"id": mine})["Location"].startswith("/akun/login/")
    assert a.get("/tugas/").status_code == 302


def test_one_cannot_end_someone_elses_session(users):
    op = browser(users["op"], CHROME, "10.0.0.1")
    wali = masuk(Client(), users["wali"])
    theirs = ID.search(wali.get("/akun/sesi/").content.decode()).group(1)
    response = op.post("/akun/sesi/akhiri/", {"id": theirs}, follow=True)
    assert "Sesi tidak ditemukan" in response.content.decode()
    assert wali.get("/tugas/").status_code == 200
    assert op.post("/akun/sesi/akhiri/", {"id": "' OR 1=1"}).status_code == 302
    assert op.get("/akun/sesi/akhiri/").status_code == 405


def test_logout_and_expiry_remove_the_row(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    browser(users["op"], CHROME, "10.0.0.2")
    assert SesiPengguna.objects.count() == 2
    a.post("/akun/logout/")
    assert SesiPengguna.objects.count() == 1
    Session.objects.update(expire_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    call_command("clearsessions")
    assert SesiPengguna.objects.count() == 0


def test_password_change_ends_the_other_sessions_and_they_leave_the_list(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    b = browser(users["op"], FIREFOX, "10.0.0.2")
    new = "kata-sandi-baru-panjang"
    response = a.post("/akun/ganti-sandi/", {"old_password": PASSWORD, "new_password1": new,
                                                 "new_password2": new})
    assert response.status_code == 302
    assert a.get("/tugas/").status_code == 200  # the one that changed it stays signed in
    assert b.get("/tugas/").status_code == 302
    page = a.get("/akun/sesi/").content.decode()
    assert len(ID.findall(page)) == 1 and "sesi ini" in page and "Firefox" not in page


def test_last_seen_is_written_at_most_once_per_interval(users, settings):
    a = browser(users["op"], CHROME, "10.0.0.1")
    row = SesiPengguna.objects.get()
    a.get("/tugas/", REMOTE_ADDR="10.0.0.9")
    row.refresh_from_db()
    assert row.ip == "10.0.0.1"  # within the interval: no write
    settings.PRESISI_SESI_CATAT_DETIK = 0
    a.get("/tugas/", REMOTE_ADDR="10.0.0.9")
    row.refresh_from_db()
    assert row.ip == "10.0.0.9"


def test_sessions_from_before_this_feature_are_picked_up(users):
    a = browser(users["op"], CHROME, "10.0.0.1")
    SesiPengguna.objects.all().delete()
    s = a.session
    s.pop("_presisi_sesi_dilihat")
    s.save()
    a.get("/tugas/")
    assert SesiPengguna.objects.filter(pengguna=users["op"]).count() == 1


@pytest.mark.parametrize(("ua", "short"), [
    (CHROME, "Chrome 131 · Linux"),
    (FIREFOX, "Firefox 133 · Windows"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17 · iOS"),
    ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36 EdgA/130.0",
     "Edge 130 · Android"),
    ("curl/8.5.0", "curl/8.5.0"),
    ("", ""),
])
def test_user_agent_is_shortened(ua, short):
    assert ringkas_user_agent(ua) == short


@given(st.text(max_size=400))
def test_user_agent_shortening_never_fails(ua):
    assert len(ringkas_user_agent(ua)) <= 41
