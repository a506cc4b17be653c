"""Sign-in protection: lockout after 10 failures, unlock, password rules, sessions, no Basic auth."""

from __future__ import annotations

import base64
import io
import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import translation

from presisi.accounts.services import pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog

pytestmark = pytest.mark.django_db

LOGIN = "/akun/login/"
PASSWORD = "rahasia-panjang"


@pytest.fixture
def operator(wilayah_klungkung):
    return pengguna_create(username="op", password=PASSWORD, peran="operator_desa", wilayah_kode="51.05.01.2001")


def fail(client: Client, username: str, times: int, ip: str = "10.0.0.1"):
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"username": username, "password": "salah-sekali"}, REMOTE_ADDR=ip)
    return response


def test_ten_wrong_passwords_lock_the_account_with_an_indonesian_page(operator):
    client = Client()
    assert fail(client, "op", 9).status_code == 200  # the ordinary "wrong password" form
    locked = fail(client, "op", 1)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Akun terkunci sementara" in body and "kata sandi salah 10 kali" in body and "admin" in body
    # the right password no longer helps, from another address either: the account is locked
    again = client.post(LOGIN, {"username": "op", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert again.status_code == 429 and "_auth_user_id" not in client.session


def test_lockout_page_in_english(operator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    locked = fail(client, "op", 10)
    assert locked.status_code == 429
    assert "Account temporarily locked" in locked.content.decode()
    assert "wrong password 10 times" in locked.content.decode()


def test_ten_failures_from_one_address_lock_the_address_for_every_username(operator):
    client = Client()
    for i in range(10):
        client.post(LOGIN, {"username": f"tebakan{i}", "password": "x"}, REMOTE_ADDR="10.0.0.7")
    blocked = client.post(LOGIN, {"username": "op", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert blocked.status_code == 429
    # the account itself was never the target: from elsewhere it signs in
    ok = Client().post(LOGIN, {"username": "op", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert ok.status_code == 302


def test_admin_unlocks_by_command_and_the_unlock_is_audited(operator):
    client = Client()
    fail(client, "op", 10)
    out = io.StringIO()
    call_command("pengguna", "buka-kunci", "op", stdout=out)
    assert "Kunci dibuka: op" in out.getvalue()
    assert not AccessAttempt.objects.filter(username="op").exists()
    ok = client.post(LOGIN, {"username": "op", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert ok.status_code == 302
    assert AuditLog.objects.filter(aksi="accounts.pengguna.kunci_dibuka").count() == 1


def test_unlock_an_address_with_json_output(operator):
    for i in range(10):
        Client().post(LOGIN, {"username": f"u{i}", "password": "x"}, REMOTE_ADDR="10.0.0.9")
    out = io.StringIO()
    call_command("pengguna", "buka-kunci", "--ip", "10.0.0.9", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is True and result["dibuka"] == ["10.0.0.9"] and result["percobaan_dihapus"] == 10
    assert Client().post(LOGIN, {"username": "op", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_unlock_needs_a_username_or_address(db):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("pengguna", "buka-kunci", stdout=io.StringIO(), stderr=err)
    assert "nama pengguna atau --ip" in err.getvalue()


def test_axes_attempts_are_in_the_django_admin(operator):
    from django.contrib import admin

    assert AccessAttempt in admin.site._registry


def test_client_address_behind_a_proxy(settings, operator):
    from django.test import RequestFactory

    from presisi.accounts.backends import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.1.1")
    assert client_ip(request) == "127.0.0.1"  # no proxy configured: forwarded header ignored
    settings.PRESISI_PROXY_COUNT = 1
    assert client_ip(request) == "10.1.1.1"  # only the entry our proxy appended is trusted


@pytest.mark.parametrize(("password", "reason"), [
    ("pendek1", "terlalu pendek"),
    ("8374629105", "seluruhnya terdiri dari angka"),
    ("password123", "terlalu umum"),
    ("teras-sawah-2001", None),
])
def test_password_rules_on_user_creation(wilayah_klungkung, password, reason):
    if reason is None:
        assert pengguna_create(username="opdesa", password=password, peran="operator_desa",
                               wilayah_kode="51.05.01.2001")
        return
    with translation.override("id"), pytest.raises(ValidationFailed) as err:
        pengguna_create(username="opdesa", password=password, peran="operator_desa", wilayah_kode="51.05.01.2001")
    assert err.value.findings and all(f.rule == "kata_sandi" for f in err.value.findings)
    assert reason in " ".join(f.message for f in err.value.findings)
    assert not get_user_model().objects.filter(username="opdesa").exists()


def test_password_similar_to_username_refused(wilayah_klungkung):
    with translation.override("id"), pytest.raises(ValidationFailed) as err:
        pengguna_create(username="kadekwirawan", password="kadekwirawan1", peran="operator_desa",
                        wilayah_kode="51.05.01.2001")
    assert "mirip" in " ".join(f.message for f in err.value.findings)


def test_argon2_first_pbkdf2_kept(settings):
    import presisi.settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert any(h.endswith(".PBKDF2PasswordHasher") for h in configured.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # tests otherwise hash with MD5 for speed
    encoded = make_password("rahasia-panjang")
    assert identify_hasher(encoded).algorithm == "argon2" and check_password("rahasia-panjang", encoded)


def test_session_settings():
    import presisi.settings as configured

    assert configured.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert configured.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert configured.SESSION_COOKIE_HTTPONLY is True


def signed_in(client: Client) -> bool:
    return client.get("/registri/").wsgi_request.user.is_authenticated


def test_logout_revokes_the_session(operator):
    client = Client()
    assert client.post(LOGIN, {"username": "op", "password": PASSWORD}).status_code == 302
    stolen = client.cookies["sessionid"].value
    assert signed_in(client)
    client.post("/akun/logout/")
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert not signed_in(thief)


def test_password_change_elsewhere_ends_old_sessions(operator):
    old = Client()
    assert old.post(LOGIN, {"username": "op", "password": PASSWORD}).status_code == 302
    assert signed_in(old)
    current = Client()
    current.post(LOGIN, {"username": "op", "password": PASSWORD})
    changed = current.post("/akun/password_change/", {"old_password": PASSWORD, "new_password1": "kata-sandi-baru-99",
                                                      "new_password2": "kata-sandi-baru-99"})
    assert changed.status_code == 302, changed.content[:500]
    # the session that changed the password survives (update_session_auth_hash); the old one does not
    assert signed_in(current)
    assert not signed_in(old)
    # the same holds when an admin sets the password directly
    user = get_user_model().objects.get(username="op")
    user.set_password("kata-sandi-lain-77")
    user.save()
    assert not signed_in(current)


def test_api_refuses_basic_auth(operator):
    token = base64.b64encode(f"op:{PASSWORD}".encode()).decode()
    response = Client().get("/api/v1/desa/51.05.01.2001/keluarga/", HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code in (401, 403)
    import presisi.settings as configured

    assert configured.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] == [
        "rest_framework.authentication.SessionAuthentication"]
