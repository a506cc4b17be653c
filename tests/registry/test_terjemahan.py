"""Registry pages in English: a record's details use the dictionary's English names, units and code labels."""

from __future__ import annotations

import pytest
from django.utils import translation

from presisi.registry.history import rincian
from presisi.registry.models import RumahTangga

pytestmark = pytest.mark.django_db


def test_record_details_follow_the_language(kamus):
    from presisi.dictionary.validation import clear_cache

    clear_cache()
    rt = RumahTangga(kode="RT-UJI", atribut={"sumber_air_minum": 3, "luas_lantai": 36})
    with translation.override("en"):
        rows = dict(b for bagian in rincian(rt) for b in bagian.baris)
        assert rows["Main source of drinking water"] == "Piped water"
        assert rows["Floor area of the dwelling"] == "36 m²"
    with translation.override("id"):
        rows = dict(b for bagian in rincian(rt) for b in bagian.baris)
        assert rows["Sumber air minum utama"] == "Leding"
