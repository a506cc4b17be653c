"""Shared fixtures. Reference data is the copy shipped in ``presisi/data`` (public facts, MIT)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Tests assert behaviour, never wall-clock time: hypothesis' per-example deadline (200 ms) fails
# under load (CI, two cores shared with PostgreSQL), so it is off for every property test.
hypothesis_settings.register_profile("presisi", deadline=None)
hypothesis_settings.load_profile("presisi")

REPO = Path(__file__).resolve().parent.parent
# The repository ships every reference file the tests need; nothing is read from beside it.
REFERENCE_DATA = REPO / "presisi" / "data"


def pytest_configure(config) -> None:
    from django.conf import settings

    # Real password hashing costs ~0.3 s per user, and no test checks the algorithm. Set once
    # for the process, so module-scoped fixtures and the live server's threads get it too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test client and the live server speak plain HTTP; production (DEBUG off) redirects to
    # HTTPS and sends Secure cookies, which tests/core/test_security.py checks in a real process.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _fresh_dictionary_cache():
    """The dictionary spec is cached per process; a rolled-back test must not leak its copy."""
    from presisi.dictionary.validation import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active on the thread (LocaleMiddleware does not reset it);
    every test starts and ends in the default language so no test depends on the one before."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def reference_data() -> Path:
    return REFERENCE_DATA


@pytest.fixture
def wilayah_klungkung(db):
    """The shipped official Klungkung region list, loaded through the real service."""
    from django.conf import settings

    from presisi.regions.services import wilayah_load_csv

    return wilayah_load_csv(data=Path(settings.PRESISI_REGION_FILE))


@pytest.fixture
def kamus(db):
    """The standard data dictionary, loaded through the real service."""
    from presisi.dictionary.services import kamus_load

    return kamus_load()


@pytest.fixture
def batas_klungkung(wilayah_klungkung, reference_data):
    from presisi.regions.services import wilayah_load_boundaries

    return wilayah_load_boundaries(data=reference_data / "klungkung_desa.geojson")


def masuk(client, user):
    """Sign ``user`` in on the test client, completing the second factor as a real sign-in would.

    Every role goes through here: a role that requires two-factor sign-in (or a user who turned it on)
    gets a confirmed TOTP device (the existing one, e.g. a demo account's) and the session is marked
    verified by ``django_otp.login`` — the same call the verification page makes. Enforcement stays on.
    """
    from django.contrib.auth import SESSION_KEY
    from django.test import RequestFactory
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from presisi.accounts.dua_faktor import punya_2fa, wajib_2fa

    client.force_login(user)
    if not (wajib_2fa(user) or punya_2fa(user)):
        return client
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or \
        TOTPDevice.objects.create(user=user, name="uji", confirmed=True)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    otp_login(request, device)
    assert request.session[SESSION_KEY] == str(user.pk)
    request.session.save()
    return client


def kode_totp(device) -> str:
    """The code an authenticator app shows now for ``device`` — or the next one when this step was used.

    django-otp refuses a code of a time step at or before the last accepted one (replay protection);
    two sign-ins within 30 seconds use the next step, which the device's tolerance of one step accepts.
    """
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    ahead = max(0, device.last_t + 1 - totp.t())
    totp.drift = device.drift + ahead
    return f"{totp.token():0{device.digits}d}"


def serentak(n: int, work) -> list:
    """Run ``work(i)`` in ``n`` threads released together (each on its own database connection); the
    result or the exception of each, in order. For races that only a server database can show."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test looks at
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
