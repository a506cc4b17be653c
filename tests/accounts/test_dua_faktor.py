"""Two-factor sign-in: required roles are held back everywhere until verified; enrol, verify, recovery
codes, throttling, optional 2FA for the desa/kecamatan roles, and the admin's reset."""

from __future__ import annotations

import io
import json
import re
from base64 import b32encode

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from presisi.accounts import dua_faktor
from presisi.accounts.services import demo_users_create, pengguna_create
from presisi.core.exceptions import ValidationFailed
from presisi.core.models import AuditLog
from tests.conftest import kode_totp, masuk

pytestmark = pytest.mark.django_db

LOGIN = "/akun/login/"
PASSWORD = "rahasia-panjang"
DAFTAR = "/akun/2fa/daftar/"
VERIFIKASI = "/akun/2fa/verifikasi/"
KABUPATEN = "51.05"
PERAN = {"walidata": KABUPATEN, "analis": KABUPATEN, "admin": KABUPATEN,
         "operator_desa": "51.05.01.2001", "verifikator_kecamatan": "51.05.01"}
HALAMAN = ["/", "/tugas/", "/dasbor/", "/registri/", "/pemutakhiran/", "/validasi/", "/impor/", "/admin/",
           "/akun/", "/akun/sesi/", "/akun/password_change/", "/akun/ganti-sandi/", "/wilayah/51.05/",
           "/akun/2fa/kode-cadangan/"]
API = ["/api/v1/wilayah/", "/api/v1/statistik/", "/api/v1/kamus/variabel/", "/api/v1/periode/", "/api/v1/tugas/",
       "/api/v1/indikator/", "/api/v1/validasi/temuan/", "/api/v1/desa/51.05.01.2001/individu/",
       "/api/v1/pdp/log/", "/api/v1/impor/", "/api/schema/"]


@pytest.fixture
def akun(wilayah_klungkung):
    return {peran: pengguna_create(username=peran, password=PASSWORD, peran=peran, wilayah_kode=kode)
            for peran, kode in PERAN.items()}


def sandi(username: str) -> Client:
    """A client that signed in with the password only, through the real login form."""
    client = Client(raise_request_exception=False)
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def daftar(client: Client, user) -> list[str]:
    """Enrol through the pages: open the enrolment page, type the app's code, read the recovery codes."""
    assert client.get(DAFTAR).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(DAFTAR, {"kode": kode_totp(device)})
    assert response.status_code == 302 and response["Location"] == "/akun/2fa/kode-cadangan/"
    page = client.get("/akun/2fa/kode-cadangan/").content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == 10 and all(c in page for c in codes)
    return codes


@pytest.mark.parametrize("peran", ["walidata", "analis", "admin"])
def test_required_role_reaches_no_page_or_api_without_the_second_factor(akun, peran):
    client = sandi(peran)
    for url in HALAMAN:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(DAFTAR + "?next="), (url, response["Location"])
    for url in API:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "verifikasi dua langkah" in response.json()["pesan"], url
    post = client.post("/api/v1/validasi/jalankan/", {}, content_type="application/json")
    assert post.status_code == 403 and post.json()["kode"] == "verifikasi_dua_langkah"
    # with an authenticator enrolled (but this session not verified) the pages lead to verification
    TOTPDevice.objects.create(user=akun[peran], name="x", confirmed=True)
    assert client.get("/tugas/")["Location"] == VERIFIKASI + "?next=%2Ftugas%2F"
    # what stays open: the two-factor pages, the language switch and logout
    assert client.get(VERIFIKASI).status_code == 200
    assert client.post("/i18n/setlang/", {"language": "en", "next": VERIFIKASI}).status_code == 302
    assert client.post("/akun/logout/").status_code == 302
    assert client.get("/tugas/")["Location"].startswith(LOGIN)


def test_api_refusal_speaks_english_when_asked(akun):
    client = sandi("admin")
    response = client.get("/api/v1/wilayah/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403 and "two-step verification" in response.json()["pesan"]


def test_enrolment_with_a_real_totp_code_then_recovery_codes_shown_once(akun):
    user = akun["walidata"]
    client = sandi("walidata")
    page = client.get(DAFTAR).content.decode()
    # the QR code is inline SVG markup: no style attribute and no inline script (strict CSP)
    assert "<svg" in page and "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page  # to type in by hand
    assert client.get(DAFTAR).status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1  # a reload keeps the same secret
    daftar(client, user)
    assert client.get("/akun/2fa/kode-cadangan/").content.decode().count("<li>") == 0  # once only
    assert client.get("/tugas/").status_code == 200
    assert client.get("/api/v1/tugas/").status_code == 200
    assert AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_DIDAFTARKAN, objek_id=str(user.pk)).count() == 1


def test_wrong_code_at_enrolment_is_refused_and_audited(akun):
    client = sandi("analis")
    client.get(DAFTAR)
    response = client.post(DAFTAR, {"kode": "000000x"})
    assert response.status_code == 400 and "Kode tidak cocok" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=akun["analis"], confirmed=True).exists()
    assert AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_GAGAL).count() == 1
    assert client.get("/tugas/").status_code == 302


def test_verification_at_the_next_sign_in_and_next_is_kept(akun):
    user = akun["admin"]
    daftar(sandi("admin"), user)
    client = sandi("admin")
    response = client.get("/dasbor/")
    assert response["Location"] == VERIFIKASI + "?next=%2Fdasbor%2F"
    device = TOTPDevice.objects.get(user=user)
    ok = client.post(VERIFIKASI, {"kode": kode_totp(device), "next": "/dasbor/"})
    assert ok.status_code == 302 and ok["Location"] == "/dasbor/"
    assert client.get("/api/v1/wilayah/").status_code == 200
    assert client.get("/akun/sesi/").status_code == 200
    assert AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_BERHASIL).count() == 1
    # an outside address in next is ignored
    other = sandi("admin")
    response = other.post(VERIFIKASI, {"kode": kode_totp(device), "next": "https://jahat.example/"})
    assert response.status_code == 302 and response["Location"] == "/tugas/"


def test_a_used_totp_code_cannot_be_replayed(akun):
    user = akun["admin"]
    daftar(sandi("admin"), user)
    device = TOTPDevice.objects.get(user=user)
    code = kode_totp(device)
    assert sandi("admin").post(VERIFIKASI, {"kode": code}).status_code == 302
    assert sandi("admin").post(VERIFIKASI, {"kode": code}).status_code == 400


def test_recovery_code_works_once(akun):
    user = akun["walidata"]
    codes = daftar(sandi("walidata"), user)
    client = sandi("walidata")
    assert client.post(VERIFIKASI, {"kode": codes[0].upper()[:5] + " " + codes[0][5:]}).status_code == 302
    assert client.get("/tugas/").status_code == 200
    again = sandi("walidata")
    refused = again.post(VERIFIKASI, {"kode": codes[0]})
    assert refused.status_code == 400 and "Kode tidak cocok" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    log = AuditLog.objects.get(aksi=dua_faktor.AKSI_2FA_KODE_CADANGAN_DIPAKAI)
    assert log.sesudah == {"sisa_kode_cadangan": 9}


def test_wrong_codes_throttle_the_device_even_for_the_right_code(akun):
    user = akun["analis"]
    daftar(sandi("analis"), user)
    device = TOTPDevice.objects.get(user=user)
    client = sandi("analis")
    assert client.post(VERIFIKASI, {"kode": "123456" if kode_totp(device) != "123456" else "654321"}).status_code == 400
    refused = client.post(VERIFIKASI, {"kode": kode_totp(device)})
    assert refused.status_code == 400 and "Terlalu banyak kode salah" in refused.content.decode()
    assert client.get("/tugas/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    gagal = AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_GAGAL).order_by("pk")
    assert [g.sesudah["alasan"] for g in gagal] == ["kode_salah", "tertahan"]
    # the throttle is django-otp's own, switched on in settings
    from django.conf import settings

    assert settings.OTP_TOTP_THROTTLE_FACTOR >= 1 and settings.OTP_STATIC_THROTTLE_FACTOR >= 1
    device.throttle_reset()  # the wait is over (as if the delay had passed)
    assert client.post(VERIFIKASI, {"kode": kode_totp(device)}).status_code == 302


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=80))
def test_any_typed_text_never_errors(akun, token):
    user = akun["admin"]
    TOTPDevice.objects.get_or_create(user=user, name="x", defaults={"confirmed": True})
    client = Client(raise_request_exception=False)
    client.force_login(user)
    for url in (VERIFIKASI, DAFTAR):
        response = client.post(url, {"kode": token})
        assert response.status_code in (200, 302, 400), (url, response.status_code)


def test_operator_may_use_2fa_but_is_not_forced(akun):
    user = akun["operator_desa"]
    client = sandi("operator_desa")
    assert client.get("/tugas/").status_code == 200
    assert client.get("/api/v1/tugas/").status_code == 200
    assert "Aktifkan verifikasi dua langkah" in client.get("/akun/").content.decode()
    daftar(client, user)
    assert client.get("/tugas/").status_code == 200  # verified by the enrolment itself
    # from now on the operator's sign-in asks for the code too
    other = sandi("operator_desa")
    assert other.get("/tugas/")["Location"].startswith(VERIFIKASI)
    assert other.post(VERIFIKASI, {"kode": kode_totp(TOTPDevice.objects.get(user=user))}).status_code == 302
    # and may turn it off again
    assert other.post("/akun/2fa/nonaktifkan/").status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert sandi("operator_desa").get("/tugas/").status_code == 200
    assert AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_DINONAKTIFKAN).count() == 1


def test_verifikator_enrols_from_the_account_page(akun):
    client = sandi("verifikator_kecamatan")
    daftar(client, akun["verifikator_kecamatan"])
    assert "Aktif" in client.get("/akun/").content.decode()


def test_required_roles_cannot_turn_it_off(akun):
    user = akun["walidata"]
    client = masuk(Client(), user)
    client.post("/akun/2fa/nonaktifkan/")
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    with pytest.raises(ValidationFailed):
        dua_faktor.nonaktifkan(user)


def test_password_alone_cannot_add_a_second_authenticator(akun):
    user = akun["admin"]
    daftar(sandi("admin"), user)
    thief = sandi("admin")
    assert thief.get(DAFTAR)["Location"].startswith(VERIFIKASI)
    thief.post(DAFTAR, {"kode": "123456"})
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_new_recovery_codes_replace_the_old_ones(akun):
    user = akun["admin"]
    old = daftar(sandi("admin"), user)
    client = masuk(Client(), user)
    assert client.post("/akun/2fa/kode-cadangan/").status_code == 302
    page = client.get("/akun/2fa/kode-cadangan/").content.decode()
    new = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old) and all(c in page for c in new)
    assert AuditLog.objects.filter(aksi=dua_faktor.AKSI_2FA_KODE_CADANGAN_DIBUAT).count() == 1


def test_admin_resets_2fa_by_command_ending_every_session(akun):
    user = akun["walidata"]
    daftar(sandi("walidata"), user)
    signed_in = masuk(Client(), user)
    assert signed_in.get("/tugas/").status_code == 200
    out = io.StringIO()
    call_command("pengguna", "reset-2fa", "walidata", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["ok"] is True and result["username"] == "walidata"
    assert result["perangkat_dihapus"] == 2 and result["sesi_diakhiri"] >= 1
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert signed_in.get("/tugas/")["Location"].startswith(LOGIN)
    assert sandi("walidata").get("/tugas/")["Location"].startswith(DAFTAR)  # enrols again
    log = AuditLog.objects.get(aksi=dua_faktor.AKSI_2FA_DIRESET)
    assert log.objek_id == str(user.pk) and log.sesudah["perangkat_dihapus"] == 2
    text = io.StringIO()
    call_command("pengguna", "reset-2fa", "walidata", stdout=text)
    assert "diatur ulang" in text.getvalue()


def test_reset_of_an_unknown_user_fails_clearly(db):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("pengguna", "reset-2fa", "tidak-ada", stdout=io.StringIO(), stderr=err)
    assert "Pengguna tidak ditemukan" in err.getvalue()


def test_demo_accounts_use_the_documented_secret(wilayah_klungkung, kamus):
    logins = {d.username: d for d in demo_users_create(password=PASSWORD)}
    assert {u for u, d in logins.items() if d.totp} == {"walidata", "analis", "admin"}
    device = TOTPDevice.objects.get(user__username="admin")
    assert b32encode(device.bin_key).decode() == dua_faktor.DEMO_TOTP_BASE32 == logins["admin"].totp
    demo_users_create(password=PASSWORD)  # idempotent
    assert TOTPDevice.objects.filter(user__username="admin").count() == 1
    client = sandi("admin")
    assert client.post(VERIFIKASI, {"kode": kode_totp(device)}).status_code == 302
    assert client.get("/tugas/").status_code == 200
    # a tester who enrolled an own authenticator keeps it when the demo runs again
    TOTPDevice.objects.filter(pk=device.pk).update(key="ab" * 20)
    again = {d.username: d for d in demo_users_create(password=PASSWORD)}
    assert again["admin"].totp == "" and TOTPDevice.objects.get(pk=device.pk).key == "ab" * 20


def test_masuk_helper_completes_the_second_factor(akun):
    for peran in PERAN:
        client = masuk(Client(), akun[peran])
        assert client.get("/tugas/").status_code == 200, peran
