"""Shared fixtures. Reference data comes from ../shared/data (public facts, MIT)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("PRESISI_SHARED_DATA", REPO.parent / "shared" / "data"))


def pytest_configure(config) -> None:
    from django.conf import settings

    # Real password hashing costs ~0.3 s per user, and no test checks the algorithm. Set once
    # for the process, so module-scoped fixtures and the live server's threads get it too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_dictionary_cache():
    """The dictionary spec is cached per process; a rolled-back test must not leak its copy."""
    from presisi.dictionary.validation import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.fail(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA


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
def batas_klungkung(wilayah_klungkung, shared_data):
    from presisi.regions.services import wilayah_load_boundaries

    return wilayah_load_boundaries(data=shared_data / "klungkung_desa.geojson")
