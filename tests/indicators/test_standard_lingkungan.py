"""Standard indicators, theme Lingkungan: hand-made households and desa data, values worked out by hand.

pengelolaan_sampah: 1 collected, 2 sorted/bank sampah/TPS3R, 3 composted (1-3 managed), 4 burnt, 5 buried,
6 into river/sea/drain, 7 dumped (6-7 dumped).

    A1  H1 collected (1), H2 burnt (4)       A2  H3 sorted (2), H4 buried (5), H5 river (6)
    B1  H6 composted (3), H7 not recorded    C1  H8 dumped (7)
Desa data (period 2026-S2): TPS3R / bank sampah / mangrove ha
    Sakti 1 / 2 / 12.5     Batumadeg 2 / - / 0     Klumpu - / 1 / 3.25     Negari 2 / 2 / -
    Takmung (Banjarangkan) - / - / 4.0             every other desa: no data
"""

from __future__ import annotations

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    BANJARANGKAN,
    BATUMADEG,
    C1,
    KABUPATEN,
    KLUMPU,
    NEGARI,
    NUSA_PENIDA,
    SAKTI,
    born,
    check_desa_unit,
    check_every_level,
    check_rollups,
    compute_standard,
    roll_up,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
TAKMUNG = "51.05.02.2002"


def build(b):
    for banjar, sampah in (("A1", 1), ("A1", 4), ("A2", 2), ("A2", 5), ("A2", 6), ("B1", 3), ("B1", None),
                           ("C1", 7)):
        b.household(banjar, [{"lahir": born(40)}], **({"pengelolaan_sampah": sampah} if sampah else {}))
    b.desa(SAKTI, ada_tps3r=1, ada_bank_sampah=2, luas_mangrove_ha=12.5)
    b.desa(BATUMADEG, ada_tps3r=2, luas_mangrove_ha=0.0)
    b.desa(KLUMPU, ada_bank_sampah=1, luas_mangrove_ha=3.25)
    b.desa(NEGARI, ada_tps3r=2, ada_bank_sampah=2)
    b.desa(TAKMUNG, luas_mangrove_ha=4.0)


RT_CASES = {  # (skala, {banjar: (numerator, denominator)}); H7 is in no denominator
    "persentase_rt_sampah_terkelola": (100, {A1: (1, 2), A2: (1, 3), B1: (1, 1), C1: (0, 1)}),
    "persentase_rt_membakar_sampah": (100, {A1: (1, 2), A2: (0, 3), B1: (0, 1), C1: (0, 1)}),
    "persentase_rt_sampah_dibuang_sembarangan": (100, {A1: (0, 2), A2: (1, 3), B1: (0, 1), C1: (1, 1)}),
}
DESA_CASES = {  # (skala, constant denominator, {desa: (numerator, denominator)})
    # TPS3R or bank sampah / either recorded: Sakti (TPS3R) Klumpu (bank) / + Batumadeg, Negari
    "persentase_desa_tps3r_bank_sampah": (100, 0, {SAKTI: (1, 1), BATUMADEG: (0, 1), KLUMPU: (1, 1),
                                                   NEGARI: (0, 1)}),
    # Σ ha, denominator the constant 1
    "luas_hutan_mangrove": (1, 1, {SAKTI: (12.5, 0), BATUMADEG: (0, 0), KLUMPU: (3.25, 0), TAKMUNG: (4.0, 0)}),
}
COVERED = [*RT_CASES, *DESA_CASES]


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, COVERED)


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert set(COVERED) <= facts.codes()


@pytest.mark.parametrize("kode", list(RT_CASES))
def test_household_values_at_every_level(facts, kode):
    skala, banjar = RT_CASES[kode]
    check_every_level(facts, kode, banjar, skala=skala)


@pytest.mark.parametrize("kode", list(DESA_CASES))
def test_desa_values_at_desa_kecamatan_and_kabupaten(facts, kode):
    skala, konstanta, desa = DESA_CASES[kode]
    check_desa_unit(facts, kode, roll_up(desa), skala=skala, konstanta_penyebut=konstanta)


def test_levels_spelled_out(facts):
    # Nusa Penida: 2 of 3 desa that answered; Banjarangkan 0 of 1; kabupaten 2 / 4 = 50 %
    assert facts.get("persentase_desa_tps3r_bank_sampah", NUSA_PENIDA)[2] == pytest.approx(200 / 3)
    assert facts.get("persentase_desa_tps3r_bank_sampah", KABUPATEN)[2] == pytest.approx(50.0)
    # mangrove: Nusa Penida 12.5 + 0 + 3.25 = 15.75 ha, Banjarangkan 4 ha, kabupaten 19.75 ha
    assert facts.get("luas_hutan_mangrove", NUSA_PENIDA)[2] == pytest.approx(15.75)
    assert facts.get("luas_hutan_mangrove", BANJARANGKAN)[2] == pytest.approx(4.0)
    assert facts.get("luas_hutan_mangrove", KABUPATEN)[2] == pytest.approx(19.75)
    # households: kabupaten managed (1 + 1 + 1 + 0) / (2 + 3 + 1 + 1) = 3 / 7
    assert facts.get("persentase_rt_sampah_terkelola", KABUPATEN)[:2] == (3, 7)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0
