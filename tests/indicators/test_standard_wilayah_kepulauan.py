"""Standard indicators, theme Wilayah kepulauan: hand-made desa data and residents, worked out by hand.

Residents: Sakti 5 (A1 3, A2 2), Batumadeg 2, Negari 3, Klumpu 0.
Desa data (2026-S2): island desa / road km / damaged km / signal (4 = 4G/5G) / km to puskesmas / Destana
    Sakti      yes / 10.0 / 2.5 / 4 / 6.0  / yes
    Batumadeg  yes / 8.0  / 4.0 / 3 / 15.5 / no
    Klumpu     yes / 5.0  / 0.0 / 1 / -    / yes
    Negari     no  / 12.0 / 1.5 / 4 / 3.0  / yes
    Dawan's first desa (51.05.04.2001): signal 4 only
"""

from __future__ import annotations

import pytest

from tests.indicators.conftest import (
    BANJARANGKAN,
    BATUMADEG,
    DAWAN,
    KABUPATEN,
    KLUMPU,
    NEGARI,
    NUSA_PENIDA,
    SAKTI,
    born,
    check_desa_unit,
    check_rollups,
    compute_standard,
    roll_up,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
DAWAN_1 = "51.05.04.2001"


def build(b):
    for banjar, n in (("A1", 3), ("A2", 2), ("B1", 2), ("C1", 3)):
        b.household(banjar, [{"lahir": born(30 + i)} for i in range(n)])
    b.desa(SAKTI, desa_kepulauan=1, panjang_jalan_desa_km=10.0, panjang_jalan_rusak_km=2.5, sinyal_seluler=4,
           jarak_ke_puskesmas_km=6.0, desa_tangguh_bencana=1)
    b.desa(BATUMADEG, desa_kepulauan=1, panjang_jalan_desa_km=8.0, panjang_jalan_rusak_km=4.0, sinyal_seluler=3,
           jarak_ke_puskesmas_km=15.5, desa_tangguh_bencana=2)
    b.desa(KLUMPU, desa_kepulauan=1, panjang_jalan_desa_km=5.0, panjang_jalan_rusak_km=0.0, sinyal_seluler=1,
           desa_tangguh_bencana=1)
    b.desa(NEGARI, desa_kepulauan=2, panjang_jalan_desa_km=12.0, panjang_jalan_rusak_km=1.5, sinyal_seluler=4,
           jarak_ke_puskesmas_km=3.0, desa_tangguh_bencana=1)
    b.desa(DAWAN_1, sinyal_seluler=4)


DESA_CASES = {  # (skala, {desa: (numerator, denominator)})
    # residents of island desa / all residents
    "persentase_penduduk_desa_kepulauan": (100, {SAKTI: (5, 5), BATUMADEG: (2, 2), NEGARI: (0, 3)}),
    # Σ damaged km / Σ road km
    "persentase_jalan_desa_rusak": (100, {SAKTI: (2.5, 10.0), BATUMADEG: (4.0, 8.0), KLUMPU: (0.0, 5.0),
                                          NEGARI: (1.5, 12.0)}),
    # 4G/5G / signal recorded
    "persentase_desa_sinyal_4g": (100, {SAKTI: (1, 1), BATUMADEG: (0, 1), KLUMPU: (0, 1), NEGARI: (1, 1),
                                        DAWAN_1: (1, 1)}),
    # Σ km / island desa with a distance (Klumpu has none; Negari is not an island desa)
    "rata_rata_jarak_puskesmas_desa_kepulauan": (1, {SAKTI: (6.0, 1), BATUMADEG: (15.5, 1)}),
    # island desa that are Destana / island desa with an answer (Negari is not an island desa)
    "persentase_desa_kepulauan_tangguh_bencana": (100, {SAKTI: (1, 1), BATUMADEG: (0, 1), KLUMPU: (1, 1)}),
}
COVERED = list(DESA_CASES)


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, COVERED)


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert set(COVERED) <= facts.codes()


@pytest.mark.parametrize("kode", list(DESA_CASES))
def test_desa_values_at_desa_kecamatan_and_kabupaten(facts, kode):
    skala, desa = DESA_CASES[kode]
    check_desa_unit(facts, kode, roll_up(desa), skala=skala)


def test_levels_spelled_out(facts):
    # island population: Nusa Penida 7 / 7 = 100 %, Banjarangkan 0 / 3, kabupaten 7 / 10 = 70 %
    assert facts.get("persentase_penduduk_desa_kepulauan", NUSA_PENIDA)[2] == pytest.approx(100.0)
    assert facts.get("persentase_penduduk_desa_kepulauan", BANJARANGKAN)[2] == pytest.approx(0.0)
    assert facts.get("persentase_penduduk_desa_kepulauan", KABUPATEN)[2] == pytest.approx(70.0)
    # roads: kabupaten (2.5 + 4 + 0 + 1.5) / (10 + 8 + 5 + 12) = 8 / 35 — not the mean of the desa shares
    assert facts.get("persentase_jalan_desa_rusak", KABUPATEN)[2] == pytest.approx(800 / 35)
    # signal: Dawan 1 / 1; kabupaten 3 / 5
    assert facts.get("persentase_desa_sinyal_4g", DAWAN)[:2] == (1, 1)
    assert facts.get("persentase_desa_sinyal_4g", KABUPATEN)[2] == pytest.approx(60.0)
    # island distance: Nusa Penida (6 + 15.5) / 2 = 10.75 km
    assert facts.get("rata_rata_jarak_puskesmas_desa_kepulauan", NUSA_PENIDA)[2] == pytest.approx(10.75)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0
