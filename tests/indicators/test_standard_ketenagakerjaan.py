"""Standard indicators, theme Ketenagakerjaan: hand-made workers, values worked out by hand.

kegiatan_seminggu: 1 worked, 2 temporarily absent, 3 looking, 4 preparing a business, 5 discouraged,
6 hired not started (1-6 labour force, 3-6 unemployed), 7 school, 8 housekeeping, 9 other.
lapangan_usaha 1-3 = agriculture/livestock/fisheries; status_pekerjaan 1 2 5 6 7 = informal.

    A1  w1 M40 worked: farming, tourism no, own-account (1), 40 h
        w2 F38 worked: hotel (7), tourism yes, employee (4), 20 h
        w3 M14 worked: farming, family worker, 10 h (under 15: never counted)
        w4 F20 looking                                             w5 M66 other
    A2  w6 M30 temporarily absent: fisheries (3), tourism no, casual farm (5), hours not recorded
        w7 F25 school                                              w8 M15 hired, not started
    B1  w9 M50 worked: trade (6), tourism yes, employer (3), 34 h  w10 F45 housekeeping
        w11 M22 preparing a business                               w12 F19 activity not recorded
    C1  w13 M35 worked: education (9), tourism not recorded, casual non-farm (6), 35 h
        w14 F33 discouraged
        w15 M60 worked: livestock (2), tourism no, helped by temporary workers (2), 56 h
"""

from __future__ import annotations

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    C1,
    KABUPATEN,
    born,
    check_disaggregations,
    check_every_level,
    check_fact,
    check_rollups,
    compute_standard,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
M, F = 1, 2


def w(age, sex, kegiatan=None, lapangan=None, pariwisata=None, status=None, jam=None):
    fields = {"kegiatan_seminggu": kegiatan, "lapangan_usaha": lapangan, "bekerja_sektor_pariwisata": pariwisata,
              "status_pekerjaan": status, "jam_kerja_seminggu": jam}
    return {"lahir": born(age), "jk": sex, **{k: v for k, v in fields.items() if v is not None}}


def build(b):
    b.household("A1", [w(40, M, 1, 1, 2, 1, 40), w(38, F, 1, 7, 1, 4, 20), w(14, M, 1, 1, None, 7, 10),
                       w(20, F, 3), w(66, M, 9)])
    b.household("A2", [w(30, M, 2, 3, 2, 5), w(25, F, 7), w(15, M, 6)])
    b.household("B1", [w(50, M, 1, 6, 1, 3, 34), w(45, F, 8), w(22, M, 4), w(19, F)])
    b.household("C1", [w(35, M, 1, 9, None, 6, 35), w(33, F, 5), w(60, M, 1, 2, 2, 2, 56)])


CASES = {  # (skala, {banjar: (numerator, denominator)})
    # unemployed (3-6) / labour force (1-6), 15+: A1 w4 / w1 w2 w4; A2 w8 / w6 w8; B1 w11 / w9 w11;
    # C1 w14 / w13 w14 w15
    "tingkat_pengangguran_terbuka": (100, {A1: (1, 3), A2: (1, 2), B1: (1, 2), C1: (1, 3)}),
    # labour force / 15+ with an activity: A1 3 / w1 w2 w4 w5; A2 2 / w6 w7 w8; B1 2 / w9 w10 w11 (w12 none);
    # C1 3 / 3
    "tingkat_partisipasi_angkatan_kerja": (100, {A1: (3, 4), A2: (2, 3), B1: (2, 3), C1: (3, 3)}),
    # workers (1-2) in agriculture 1-3 / workers with a sector: A1 w1 / w1 w2; A2 w6; B1 — / w9; C1 w15 / w13 w15
    "persentase_pekerja_pertanian_perikanan": (100, {A1: (1, 2), A2: (1, 1), B1: (0, 1), C1: (1, 2)}),
    # workers in tourism / workers with an answer: A1 w2 / w1 w2; A2 — / w6; B1 w9; C1 — / w15 (w13 none)
    "persentase_pekerja_pariwisata": (100, {A1: (1, 2), A2: (0, 1), B1: (1, 1), C1: (0, 1)}),
    # informal status / workers with a status: A1 w1 / w1 w2; A2 w6; B1 — / w9; C1 w13 w15
    "persentase_pekerja_informal": (100, {A1: (1, 2), A2: (1, 1), B1: (0, 1), C1: (2, 2)}),
    # worked (1) < 35 h / worked with hours: A1 w2 / w1 w2; A2 none (w6 was absent); B1 w9 (34 h); C1 — / w13 w15
    "persentase_pekerja_tidak_penuh": (100, {A1: (1, 2), A2: (0, 0), B1: (1, 1), C1: (0, 2)}),
}
COVERED = list(CASES)


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, COVERED)


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert set(COVERED) <= facts.codes()


@pytest.mark.parametrize("kode", list(CASES))
def test_values_at_every_level(facts, kode):
    skala, banjar = CASES[kode]
    check_every_level(facts, kode, banjar, skala=skala)


def test_levels_spelled_out(facts):
    # TPT kabupaten: (1 + 1 + 1 + 1) / (3 + 2 + 2 + 3) × 100 = 40; TPAK 10 / 13
    assert facts.get("tingkat_pengangguran_terbuka", KABUPATEN)[2] == pytest.approx(40.0)
    assert facts.get("tingkat_partisipasi_angkatan_kerja", KABUPATEN)[2] == pytest.approx(1000 / 13)
    # by sex: women unemployed w4 w14 of labour force w2 w4 w14; men w8 w11 of w1 w6 w8 w9 w11 w13 w15
    check_fact(facts, "tingkat_pengangguran_terbuka", KABUPATEN, (2, 3), skala=100, disagregasi="jenis_kelamin:2")
    check_fact(facts, "tingkat_pengangguran_terbuka", KABUPATEN, (2, 7), skala=100, disagregasi="jenis_kelamin:1")
    # age 15-24 (kelompok_umur 3): w4 (20) w8 (15) w11 (22) are all unemployed
    check_fact(facts, "tingkat_pengangguran_terbuka", KABUPATEN, (3, 3), skala=100, disagregasi="kelompok_umur:3")


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0


def test_disaggregation_cells_add_up_to_the_total(facts):
    assert check_disaggregations(facts) > 0
