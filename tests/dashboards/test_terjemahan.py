"""Dashboards in English: names, indicator names and units from the data's English (``terjemahan``)."""

from __future__ import annotations

import pytest
import yaml

from presisi.dashboards.services import STANDARD_FILE

pytestmark = pytest.mark.django_db


def test_every_standard_dashboard_has_english():
    doc = yaml.safe_load(STANDARD_FILE.read_text(encoding="utf-8"))
    missing = [(d["kode"], f) for d in doc["dasbor"] for f in ("nama", "deskripsi")
               if d.get(f) and not ((d.get("en") or {}).get(f) or "").strip()]
    assert not missing, f"add `en:` for these dashboards: {missing}"


def test_dashboard_page_in_english_shows_english_names_and_units(data, client):
    from presisi.dashboards.models import Dasbor
    from presisi.indicators.models import Indikator

    Dasbor.objects.filter(kode="uji").update(terjemahan={"en": {"nama": "Test Dashboard"}})
    Indikator.objects.filter(kode="uji_lansia").update(
        terjemahan={"en": {"nama": "Older persons test", "satuan": "percent"}})
    Indikator.objects.filter(kode="uji_penduduk").update(
        terjemahan={"en": {"nama": "Population test", "satuan": "persons"}})
    english = client.get("/dasbor/uji/?indikator=uji_penduduk", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Test Dashboard" in english and "Older persons test" in english and "Population test" in english
    assert "persons" in english and "Penduduk uji" not in english and "jiwa" not in english
    indonesian = client.get("/dasbor/uji/?indikator=uji_penduduk", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Dasbor Uji" in indonesian and "Penduduk uji" in indonesian and "Population test" not in indonesian
    listing = client.get("/dasbor/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Test Dashboard" in listing


def test_village_profile_in_english_shows_english_indicator_and_theme_names(data, client):
    from presisi.indicators.models import Indikator

    Indikator.objects.filter(tema="uji").update(terjemahan={"en": {"nama_tema": "Test theme"}})
    Indikator.objects.filter(kode="uji_penduduk").update(
        terjemahan={"en": {"nama": "Population test", "satuan": "persons", "nama_tema": "Test theme"}})
    english = client.get("/dasbor/profil/51.05.01.2001/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Population test" in english and "Test theme" in english and "Penduduk uji" not in english
    indonesian = client.get("/dasbor/profil/51.05.01.2001/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Penduduk uji" in indonesian and "Uji</th>" in indonesian and "Test theme" not in indonesian
