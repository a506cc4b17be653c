"""Standard indicators, theme Pendidikan: hand-made pupils and adults, values worked out by hand.

partisipasi_sekolah: 1 never, 2 attending, 3 no longer; jenjang_sekolah: 1 PAUD, 2 SD/Paket A, 3 SMP,
4 SMA/SMK, 5 PT, 6 SLB; bisa_baca_tulis 1 ya / 2 tidak; lama_sekolah in years. Ages on 2026-12-31.

    A1  s1 M6 att. PAUD      s2 F7 att. SD       s3 M12 att. SMP (early)   s4 F13 att. SD (late)
        s5 M15 no longer, literate               a1 M40 literate, 12 y      a2 F38 illiterate, 0 y
    A2  s6 F16 att. SMA, literate    s7 M18 att. PT, literate    s8 F19 att. SMA (over age), literate
        a3 F25 literate, 16 y        a4 M24 literate, 12 y
    B1  s9 M10 never       s10 F14 not recorded    s11 M17 no longer, illiterate    s12 F9 att. SLB
        a5 M70 illiterate, 3 y       a6 F65 nothing recorded
    C1  s13 M13 att. SMP   s14 F8 att. SD   s15 M20 att. Paket A, literate, 5 y   s16 F15 att. SMP, literate
        a7 M30 literate, 9 y
"""

from __future__ import annotations

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    C1,
    KABUPATEN,
    NEGARI,
    born,
    check_disaggregations,
    check_every_level,
    check_fact,
    check_rollups,
    compute_standard,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
M, F = 1, 2


def att(age, sex, jenjang, **extra):
    return {"lahir": born(age), "jk": sex, "partisipasi_sekolah": 2, "jenjang_sekolah": jenjang, **extra}


def build(b):
    b.household("A1", [{"lahir": born(40), "bisa_baca_tulis": 1, "lama_sekolah": 12},
                       {"lahir": born(38), "jk": F, "bisa_baca_tulis": 2, "lama_sekolah": 0},
                       att(6, M, 1), att(7, F, 2), att(12, M, 3), att(13, F, 2),
                       {"lahir": born(15), "partisipasi_sekolah": 3, "bisa_baca_tulis": 1}])
    b.household("A2", [{"lahir": born(25), "jk": F, "bisa_baca_tulis": 1, "lama_sekolah": 16},
                       {"lahir": born(24), "bisa_baca_tulis": 1, "lama_sekolah": 12},
                       att(16, F, 4, bisa_baca_tulis=1), att(18, M, 5, bisa_baca_tulis=1),
                       att(19, F, 4, bisa_baca_tulis=1)])
    b.household("B1", [{"lahir": born(70), "bisa_baca_tulis": 2, "lama_sekolah": 3},
                       {"lahir": born(65), "jk": F},
                       {"lahir": born(10), "partisipasi_sekolah": 1}, {"lahir": born(14), "jk": F},
                       {"lahir": born(17), "partisipasi_sekolah": 3, "bisa_baca_tulis": 2}, att(9, F, 6)])
    b.household("C1", [{"lahir": born(30), "bisa_baca_tulis": 1, "lama_sekolah": 9},
                       att(13, M, 3), att(8, F, 2), att(20, M, 2, bisa_baca_tulis=1, lama_sekolah=5),
                       att(15, F, 3, bisa_baca_tulis=1)])


CASES = {  # (skala, {banjar: (numerator, denominator)})
    # 7-12 attending / 7-12 recorded: A1 s2 s3 (s1 is 6); B1 s12 / s9 s12; C1 s14
    "aps_7_12": (100, {A1: (2, 2), A2: (0, 0), B1: (1, 2), C1: (1, 1)}),
    # 13-15: A1 s4 / s4 s5; B1 s10 not recorded; C1 s13 s16
    "aps_13_15": (100, {A1: (1, 2), A2: (0, 0), B1: (0, 0), C1: (2, 2)}),
    # 16-18: A2 s6 s7 (s8 is 19); B1 s11 no longer
    "aps_16_18": (100, {A1: (0, 0), A2: (2, 2), B1: (0, 1), C1: (0, 0)}),
    # pupils in SD of any age / 7-12 recorded: A1 s2 s4 / s2 s3; B1 — (SLB) / s9 s12; C1 s14 s15 / s14
    "apk_sd": (100, {A1: (2, 2), A2: (0, 0), B1: (0, 2), C1: (2, 1)}),
    # pupils in SMP / 13-15 recorded: A1 s3 / s4 s5; C1 s13 s16 / s13 s16
    "apk_smp": (100, {A1: (1, 2), A2: (0, 0), B1: (0, 0), C1: (2, 2)}),
    # pupils in SMA / 16-18 recorded: A2 s6 s8 / s6 s7; B1 — / s11
    "apk_sm": (100, {A1: (0, 0), A2: (2, 2), B1: (0, 1), C1: (0, 0)}),
    # 7-12 in SD / 7-12 recorded: A1 s2 (s3 is in SMP); C1 s14
    "apm_sd": (100, {A1: (1, 2), A2: (0, 0), B1: (0, 2), C1: (1, 1)}),
    # 13-15 in SMP: A1 none (s4 is in SD); C1 s13 s16
    "apm_smp": (100, {A1: (0, 2), A2: (0, 0), B1: (0, 0), C1: (2, 2)}),
    # 16-18 in SMA: A2 s6 (s7 is at university)
    "apm_sm": (100, {A1: (0, 0), A2: (1, 2), B1: (0, 1), C1: (0, 0)}),
    # 15+ literate / 15+ recorded: A1 s5 a1 / + a2; A2 all five; B1 — / s11 a5 (a6 none); C1 s15 s16 a7
    "angka_melek_huruf_15": (100, {A1: (2, 3), A2: (5, 5), B1: (0, 2), C1: (3, 3)}),
    # Σ years / persons 25+ with years: A1 12 + 0 / 2; A2 16 / 1 (a4 is 24); B1 3 / 1; C1 9 / 1 (s15 is 20)
    "rata_rata_lama_sekolah_25": (1, {A1: (12 + 0, 2), A2: (16, 1), B1: (3, 1), C1: (9, 1)}),
    # 7-15 never/no longer / 7-15 recorded: A1 s5 / s2 s3 s4 s5; B1 s9 / s9 s12; C1 — / s13 s14 s16
    "persentase_anak_tidak_sekolah_7_15": (100, {A1: (1, 4), A2: (0, 0), B1: (1, 2), C1: (0, 3)}),
    # 16-18: A2 — / s6 s7; B1 s11 / s11
    "persentase_anak_tidak_sekolah_16_18": (100, {A1: (0, 0), A2: (0, 2), B1: (1, 1), C1: (0, 0)}),
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
    # APK SD can exceed 100: Negari 2 pupils in SD (one aged 20) per 1 child 7-12 → 200
    assert facts.get("apk_sd", NEGARI)[2] == pytest.approx(200.0)
    # kabupaten: (2 + 0 + 0 + 2) / (2 + 0 + 2 + 1) × 100 = 80; APM ≤ APK: (1 + 1) / 5 × 100 = 40
    assert facts.get("apk_sd", KABUPATEN)[2] == pytest.approx(80.0)
    assert facts.get("apm_sd", KABUPATEN)[2] == pytest.approx(40.0)
    # mean years of schooling, kabupaten: (12 + 0 + 16 + 3 + 9) / 5 = 8 (a ratio of sums, not a mean of means)
    assert facts.get("rata_rata_lama_sekolah_25", KABUPATEN)[2] == pytest.approx(8.0)
    # literacy of women 15+: A1 a2 (no); A2 s6 s8 a3; C1 s16 → 4 / 5
    check_fact(facts, "angka_melek_huruf_15", KABUPATEN, (4, 5), skala=100, disagregasi="jenis_kelamin:2")


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0


def test_disaggregation_cells_add_up_to_the_total(facts):
    assert check_disaggregations(facts) > 0
