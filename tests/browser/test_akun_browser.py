"""Two-factor enrolment in a real browser: the QR page, typing the secret's code, recovery codes, sessions."""

from __future__ import annotations

import pytest
from django_otp.oath import totp

from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_enrols_after_a_reset_then_sees_the_session(site, browser):
    from base64 import b32decode

    from presisi.accounts.dua_faktor import reset_2fa

    reset_2fa(username="admin")
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site['url']}/akun/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert "/akun/2fa/daftar/" in page.url
    assert page.locator("svg.qr").count() == 1
    secret = page.inner_text("#rahasia").replace(" ", "")
    page.fill("#id_kode", f"{totp(b32decode(secret)):06d}")
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()
    assert "/akun/2fa/kode-cadangan/" in page.url
    assert page.locator("#kode-cadangan li").count() == 10
    page.click("text=Sudah saya simpan, lanjutkan")
    page.wait_for_load_state()
    assert "/akun/2fa/" not in page.url
    page.goto(f"{site['url']}/akun/sesi/")
    assert page.locator("text=sesi ini").count() >= 1
    assert "Chrom" in page.inner_text("table")
    context.close()
