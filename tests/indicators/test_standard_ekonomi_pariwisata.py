"""Standard indicators, theme Ekonomi dan pariwisata: hand-made households and desa data, worked out by hand.

usaha_rumah_tangga 1 none, 2-7 a business; usaha_pariwisata 1 none, 2-8 a tourism business;
punya_akses_internet 1 ya / 2 tidak; pengeluaran_per_kapita in rupiah per person per month.

    hh  banjar  members  business  tourism  internet  spending/person
    H1  A1      3        2         2        yes       1,000,000
    H2  A1      1        1 (none)  1        no        400,000
    H3  A2      2        -         8        yes       -
    H4  B1      4        7         1        -         750,000
    H5  C1      2        1         -        yes       2,000,000
Residents: Sakti 6, Batumadeg 4, Negari 2, Klumpu 0.
Desa data (2026-S2): homestays / visits a year / BUMDes / UMKM
    Sakti 3 / 12,000 / 1 / 9    Batumadeg 0 / - / 2 / 2    Klumpu 5 / 3,000 / 1 / -    Negari 1 / 500 / 0 / 4
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
    DAWAN,
    DESA_IN_KABUPATEN,
    DESA_PER_KECAMATAN,
    KABUPATEN,
    KLUMPU,
    KLUNGKUNG_KEC,
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


def build(b):
    for banjar, n, usaha, wisata, internet, spending in (
        ("A1", 3, 2, 2, 1, 1_000_000), ("A1", 1, 1, 1, 2, 400_000), ("A2", 2, None, 8, 1, None),
        ("B1", 4, 7, 1, None, 750_000), ("C1", 2, 1, None, 1, 2_000_000),
    ):
        fields = {"usaha_rumah_tangga": usaha, "usaha_pariwisata": wisata, "punya_akses_internet": internet,
                  "pengeluaran_per_kapita": spending}
        b.household(banjar, [{"lahir": born(30 + i)} for i in range(n)],
                    **{k: v for k, v in fields.items() if v is not None})
    b.desa(SAKTI, jumlah_homestay=3, kunjungan_wisatawan_setahun=12_000, jumlah_bumdes=1, jumlah_umkm=9)
    b.desa(BATUMADEG, jumlah_homestay=0, jumlah_bumdes=2, jumlah_umkm=2)
    b.desa(KLUMPU, jumlah_homestay=5, kunjungan_wisatawan_setahun=3_000, jumlah_bumdes=1)
    b.desa(NEGARI, jumlah_homestay=1, kunjungan_wisatawan_setahun=500, jumlah_bumdes=0, jumlah_umkm=4)


RT_CASES = {  # (skala, {banjar: (numerator, denominator)})
    "persentase_rt_punya_usaha": (100, {A1: (1, 2), A2: (0, 0), B1: (1, 1), C1: (0, 1)}),
    "persentase_rt_usaha_pariwisata": (100, {A1: (1, 2), A2: (1, 1), B1: (0, 1), C1: (0, 0)}),
    "persentase_rt_akses_internet": (100, {A1: (1, 2), A2: (1, 1), B1: (0, 0), C1: (1, 1)}),
    # Σ spending × members / Σ members, households with spending: A1 3 × 1,000,000 + 1 × 400,000 over 4
    "rata_rata_pengeluaran_per_kapita": (1, {A1: (3 * 1_000_000 + 400_000, 4), A2: (0, 0), B1: (4 * 750_000, 4),
                                             C1: (2 * 2_000_000, 2)}),
}
DESA_CASES = {  # (skala, {desa: (numerator, denominator)}); residents from the desa rows
    "homestay_per_1000_penduduk": (1000, {SAKTI: (3, 6), BATUMADEG: (0, 4), KLUMPU: (5, 0), NEGARI: (1, 2)}),
    "kunjungan_wisatawan_per_penduduk": (1, {SAKTI: (12_000, 6), BATUMADEG: (0, 4), KLUMPU: (3_000, 0),
                                             NEGARI: (500, 2)}),
    "umkm_per_1000_penduduk": (1000, {SAKTI: (9, 6), BATUMADEG: (2, 4), KLUMPU: (0, 0), NEGARI: (4, 2)}),
}
# BUMDes per desa: Σ jumlah_bumdes / number of desa/kelurahan, every one of them (with data or not)
BUMDES = {
    SAKTI: (1, 1), BATUMADEG: (2, 1), KLUMPU: (1, 1), NEGARI: (0, 1),
    NUSA_PENIDA: (1 + 2 + 1, DESA_PER_KECAMATAN[NUSA_PENIDA]),  # 4 / 16
    BANJARANGKAN: (0, DESA_PER_KECAMATAN[BANJARANGKAN]),  # 0 / 13
    KLUNGKUNG_KEC: (0, DESA_PER_KECAMATAN[KLUNGKUNG_KEC]),  # 0 / 18
    DAWAN: (0, DESA_PER_KECAMATAN[DAWAN]),  # 0 / 12
    KABUPATEN: (4, DESA_IN_KABUPATEN),  # 4 / 59
}
COVERED = [*RT_CASES, *DESA_CASES, "bumdes_per_desa"]


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
    skala, desa = DESA_CASES[kode]
    check_desa_unit(facts, kode, roll_up(desa), skala=skala)


def test_bumdes_per_desa_counts_every_desa(facts):
    check_desa_unit(facts, "bumdes_per_desa", BUMDES, skala=1, empty_desa=(0, 1))
    assert facts.get("bumdes_per_desa", NUSA_PENIDA)[2] == pytest.approx(0.25)


def test_levels_spelled_out(facts):
    # homestays: Nusa Penida (3 + 0 + 5) per (6 + 4 + 0) residents = 800 per 1,000; Klumpu alone has no value
    assert facts.get("homestay_per_1000_penduduk", NUSA_PENIDA)[2] == pytest.approx(800.0)
    assert facts.get("homestay_per_1000_penduduk", KLUMPU)[2] is None
    assert facts.get("homestay_per_1000_penduduk", KABUPATEN)[2] == pytest.approx(9 / 12 * 1000)
    # spending: kabupaten (3,400,000 + 3,000,000 + 4,000,000) / (4 + 4 + 2) = 1,040,000 per person
    assert facts.get("rata_rata_pengeluaran_per_kapita", KABUPATEN)[2] == pytest.approx(1_040_000)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0
