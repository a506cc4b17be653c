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
