"""The engine on hand-made data: values at banjar, desa, kecamatan and kabupaten; roll-ups; disaggregation."""

from __future__ import annotations

import datetime as dt

import pytest

from presisi.indicators.engine import hitung_indikator
from presisi.indicators.models import Indikator, NilaiIndikator
from presisi.indicators.snapshot import snapshot_bekukan
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu
from tests.indicators.conftest import born

pytestmark = pytest.mark.django_db


def indicator(kode, unit, pembilang, penyebut, skala=100, **extra):
    from django.contrib.auth import get_user_model

    from presisi.indicators.services import indikator_simpan

    admin = get_user_model().objects.filter(username="admin-uji").first() or get_user_model().objects.create_superuser(
        "admin-uji", password="rahasia-panjang")
    return indikator_simpan(data={"kode": kode, "nama": kode, "tema": "uji", "unit": unit, "pembilang": pembilang,
                                  "penyebut": penyebut, "skala": skala, **extra}, pengguna=admin)


def value(kode, region, disagregasi="total", periode=None):
    f = NilaiIndikator.objects.get(indikator__kode=kode, wilayah__kode=region, disagregasi=disagregasi)
    return f.pembilang, f.penyebut, f.nilai


@pytest.fixture
def data(regency):
    b = regency
    # A1: 2 households, 5 people (2 elderly, 1 child); safe water in one
    b.household("A1", [{"lahir": born(70)}, {"lahir": born(66), "jk": 2}], sumber_air_minum=3)
    b.household("A1", [{"lahir": born(40)}, {"lahir": born(38), "jk": 2}, {"lahir": born(10), "jk": 2}],
                sumber_air_minum=9)
    # A2: 1 household, 2 people, safe water
    b.household("A2", [{"lahir": born(30), "jk": 2}, {"lahir": born(2)}], sumber_air_minum=4)
    # B1: 1 household, 3 people, unsafe water; plus a dead person who must not count
    b.household("B1", [{"lahir": born(50)}, {"lahir": born(14)}, {"lahir": born(80), "status": 2}],
                sumber_air_minum=8)
    # C1 (other kecamatan): 1 household, 1 elderly woman, bottled water with a safe bathing source
    b.household("C1", [{"lahir": born(90), "jk": 2}], sumber_air_minum=1, sumber_air_mandi=3)
    indicator("lansia", "individu", "count(umur >= 65)", "count()", disagregasi=["jenis_kelamin"])
    indicator("air_layak", "rumah_tangga", "count(air_minum_layak == 1)", "count()")
    indicator("jumlah_penduduk", "individu", "count()", "1", skala=1)
    return b


def test_values_at_every_level_are_ratios_of_sums(data, periode):
    result = hitung_indikator(periode=periode)
    assert result.galat == {}
    assert value("lansia", "51.05.01.2001.001") == (2, 5, 40.0)
    assert value("lansia", "51.05.01.2001.002") == (0, 2, 0.0)
    assert value("lansia", "51.05.01.2001") == (2, 7, pytest.approx(200 / 7))
    assert value("lansia", "51.05.01.2002") == (0, 2, 0.0)  # the dead person is not counted
    assert value("lansia", "51.05.01") == (2, 9, pytest.approx(200 / 9))
    assert value("lansia", "51.05.02") == (1, 1, 100.0)
    # the regency value is the ratio of the sums, not the mean of the kecamatan values (61.1)
    assert value("lansia", "51.05") == (3, 10, 30.0)


def test_derived_household_flags_and_constant_denominators(data, periode):
    hitung_indikator(periode=periode)
    assert value("air_layak", "51.05.01.2001.001") == (1, 2, 50.0)
    assert value("air_layak", "51.05.02") == (1, 1, 100.0)  # bottled + safe bathing water counts
    assert value("air_layak", "51.05") == (3, 5, 60.0)
    # a constant denominator is applied once per region, not summed
    assert value("jumlah_penduduk", "51.05.01") == (9, 0, 9.0)
    assert value("jumlah_penduduk", "51.05") == (10, 0, 10.0)


def test_rollups_equal_direct_computation_at_each_level(data, periode):
    hitung_indikator(periode=periode)
    alive = Individu.objects.filter(status_dasar=1)
    for region in Wilayah.objects.filter(kedalaman__in=[2, 3, 4, 5], kode__startswith="51.05"):
        people = alive.filter(banjar__kode__startswith=region.kode)
        expected = sum(1 for p in people if (dt.date(2026, 12, 31) - p.tanggal_lahir).days >= 65 * 365.25 - 1)
        facts = NilaiIndikator.objects.filter(indikator__kode="lansia", wilayah=region, disagregasi="total")
        if people.exists():
            assert facts.get().pembilang == expected, region.kode


def test_sex_disaggregation_sums_to_the_total(data, periode):
    hitung_indikator(periode=periode)
    men = value("lansia", "51.05", "jenis_kelamin:1")
    women = value("lansia", "51.05", "jenis_kelamin:2")
    assert men[:2] == (1, 5) and women[:2] == (2, 5)
    assert men[0] + women[0] == value("lansia", "51.05")[0]


def test_partial_recompute_touches_only_the_desa_and_its_parents(data, periode):
    hitung_indikator(periode=periode)
    other = NilaiIndikator.objects.get(indikator__kode="lansia", wilayah__kode="51.05.02", disagregasi="total")
    data.household("A2", [{"lahir": born(75)}], sumber_air_minum=3)
    result = hitung_indikator(periode=periode, desa=[Wilayah.objects.get(kode="51.05.01.2001").pk])
    assert result.desa == 1
    assert value("lansia", "51.05.01.2001") == (3, 8, 37.5)
    assert value("lansia", "51.05") == (4, 11, pytest.approx(400 / 11))
    untouched = NilaiIndikator.objects.get(indikator__kode="lansia", wilayah__kode="51.05.02", disagregasi="total")
    assert untouched.dihitung_pada == other.dihitung_pada


def test_frozen_snapshot_keeps_the_period_reproducible(data, periode):
    snapshot_bekukan(periode=periode, desa=Wilayah.objects.get(kode="51.05.01.2001"))
    data.household("A1", [{"lahir": born(99)}], sumber_air_minum=3)  # arrives after approval
    hitung_indikator(periode=periode)
    assert value("lansia", "51.05.01.2001") == (2, 7, pytest.approx(200 / 7))


def test_people_leaving_after_the_reference_date_still_count(data, periode):
    from presisi.registry.models import Peristiwa

    person = Individu.objects.get(nama="Orang 1-0") if Individu.objects.filter(nama="Orang 1-0").exists() else None
    person = person or Individu.objects.filter(banjar__kode="51.05.01.2001.001").order_by("tanggal_lahir").first()
    Peristiwa.objects.create(individu=person, jenis=Peristiwa.MATI, tanggal=dt.date(2027, 1, 5))
    Individu.objects.filter(pk=person.pk).update(status_dasar=2)
    hitung_indikator(periode=periode)
    assert value("lansia", "51.05.01.2001.001")[:2] == (2, 5)


def test_composite_index_and_status_class(data, periode):
    Indikator.objects.create(
        kode="indeks_uji", nama="Indeks uji", tema="uji", jenis=Indikator.KOMPOSIT, skala=1,
        komponen=[{"indikator": "air_layak", "dimensi": "lingkungan", "bobot": 1, "min": 0, "max": 100,
                   "arah": "naik"},
                  {"indikator": "lansia", "dimensi": "sosial", "bobot": 1, "min": 0, "max": 100, "arah": "turun"}],
        dimensi={"lingkungan": 1, "sosial": 1},
        kelas=[{"batas": 0.5, "label": "Rendah"}, {"batas": 1.0, "label": "Tinggi"}],
    )
    hitung_indikator(periode=periode)
    f = NilaiIndikator.objects.get(indikator__kode="indeks_uji", wilayah__kode="51.05")
    # (0.60 + (1 − 0.30)) / 2
    assert f.nilai == pytest.approx((0.6 + (1 - 0.3)) / 2)
    assert f.kelas == "Tinggi"
    kec2 = NilaiIndikator.objects.get(indikator__kode="indeks_uji", wilayah__kode="51.05.02")
    assert kec2.nilai == pytest.approx(0.5) and kec2.kelas == "Rendah"


def test_recompute_is_idempotent(data, periode):
    hitung_indikator(periode=periode)
    n = NilaiIndikator.objects.count()
    hitung_indikator(periode=periode)
    assert NilaiIndikator.objects.count() == n
