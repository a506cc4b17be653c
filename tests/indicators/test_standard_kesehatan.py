"""Standard indicators, theme Kesehatan: hand-made people and children, values worked out by hand.

Children under five are built from WHO z-scores with growth.value_for_z (conftest.child), measured
on the reference date 2026-12-31 unless noted; their third z-score is stated (and checked) below.

    K1 A1 M 24 months   HAZ −2.5  WHZ  0.0  (WAZ −1.32)   stunted
    K2 A1 F  9 months   HAZ −3.5  WHZ −2.5  (WAZ −4.13)   severely stunted, wasted, underweight;
                        measured 2026-10-15 STANDING (height = length − 0.7 cm, cara_ukur 2)
    K3 A2 M 36 months   HAZ  0.0  WHZ +2.5  (WAZ +1.7)    overweight
    K4 A2 F 48 months   weight only, WAZ −2.5             underweight; no HAZ/WHZ
    K5 B1 M 18 months   HAZ −1.0, oedema                  HAZ only (oedema → no WAZ/WHZ)
    K6 B1 M 60 months   HAZ −2.5 measured 2026-06-30      not a balita on the reference date → excluded
    K7 C1 F 59 months   HAZ −2.2  WHZ +1.0  (WAZ −0.73)   stunted
    K8 C1 M 12 months   not measured
    K9 C1 M 30 months   HAZ −6.5                          implausible (|HAZ| > 6) → flagged, excluded

Adults (jaminan_kesehatan: 1 none, 2-3 PBI, 4-6 other JKN, 7 other insurance; WG codes 3-4 = disabled):
    A1  p1 M35 jkn4 smoker, chronic 14 (none), WG 1     p2 F33 married, KB 3, jkn2, non-smoker, chronic 6, WG seeing 3
    A2  p3 F45 married, no KB, jkn7, non-smoker, WG 2 2 p4 M50 jkn1 smoker, chronic 1, WG walking 4
    B1  p5 M70 jkn5 smoker, chronic 14, no WG           p6 F49 married, no KB, jkn —, non-smoker, chronic 14, WG 1
        p7 F15 married, KB 1, jkn3, non-smoker          p8 F50 married, KB 2, jkn4, smoker, chronic 13
        p9 F30 never married, KB 1, jkn4
    C1  p10 M14 smoker, jkn6, WG 1                      p11 F25 divorced, KB 1, jkn6, non-smoker, chronic 14
        p12 M40 jkn6, WG hearing 4
Children's jkn: K1 2, K2 2, K3 4, K4 3, K5 2, K6 4, K7-K9 6; immunisation: K1 1, K2 2, K3 1, K4 2 (and WG seeing
4, ignored under 5), K5 1, K6 2, K7 1, K8 2.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    C1,
    KABUPATEN,
    SAKTI,
    born,
    check_disaggregations,
    check_every_level,
    check_fact,
    check_rollups,
    child,
    compute_standard,
    z_scores,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`
M, F = 1, 2

K1 = child(M, born(2), haz=-2.5, whz=0.0, jaminan_kesehatan=2, imunisasi_dasar_lengkap=1)
K2 = child(F, born(0, 9), haz=-3.5, whz=-2.5, measured=dt.date(2026, 10, 15), standing_under_two=True,
           jaminan_kesehatan=2, imunisasi_dasar_lengkap=2)
K3 = child(M, born(3), haz=0.0, whz=2.5, jaminan_kesehatan=4, imunisasi_dasar_lengkap=1)
K4 = child(F, born(4), waz=-2.5, jaminan_kesehatan=3, imunisasi_dasar_lengkap=2, wg_melihat=4)
K5 = child(M, born(1, 6), haz=-1.0, whz=-3.5, edema=1, jaminan_kesehatan=2, imunisasi_dasar_lengkap=1)
K6 = child(M, born(5), haz=-2.5, measured=dt.date(2026, 6, 30), jaminan_kesehatan=4, imunisasi_dasar_lengkap=2)
K7 = child(F, born(4, 11), haz=-2.2, whz=1.0, jaminan_kesehatan=6, imunisasi_dasar_lengkap=1)
K8 = {"lahir": born(1), "jaminan_kesehatan": 6, "imunisasi_dasar_lengkap": 2}
K9 = child(M, born(2, 6), haz=-6.5, jaminan_kesehatan=6)


def build(b):
    b.household("A1", [
        {"lahir": born(35), "jaminan_kesehatan": 4, "merokok": 1, "penyakit_kronis": 14, "wg_melihat": 1},
        {"lahir": born(33), "jk": F, "status_kawin": 2, "akseptor_kb": 3, "jaminan_kesehatan": 2, "merokok": 2,
         "penyakit_kronis": 6, "wg_melihat": 3},
        K1, K2])
    b.household("A2", [
        {"lahir": born(45), "jk": F, "status_kawin": 2, "jaminan_kesehatan": 7, "merokok": 2, "wg_melihat": 2,
         "wg_mendengar": 2},
        {"lahir": born(50), "jaminan_kesehatan": 1, "merokok": 1, "penyakit_kronis": 1, "wg_berjalan": 4},
        K3, K4])
    b.household("B1", [
        {"lahir": born(70), "jaminan_kesehatan": 5, "merokok": 1, "penyakit_kronis": 14},
        {"lahir": born(49), "jk": F, "status_kawin": 2, "merokok": 2, "penyakit_kronis": 14, "wg_melihat": 1},
        K5])
    b.household("B1", [
        {"lahir": born(15), "jk": F, "status_kawin": 2, "akseptor_kb": 1, "jaminan_kesehatan": 3, "merokok": 2},
        {"lahir": born(50), "jk": F, "status_kawin": 2, "akseptor_kb": 2, "jaminan_kesehatan": 4, "merokok": 1,
         "penyakit_kronis": 13},
        {"lahir": born(30), "jk": F, "status_kawin": 1, "akseptor_kb": 1, "jaminan_kesehatan": 4},
        K6])
    b.household("C1", [
        {"lahir": born(40), "jaminan_kesehatan": 6, "wg_mendengar": 4},
        {"lahir": born(14), "merokok": 1, "jaminan_kesehatan": 6, "wg_melihat": 1},
        {"lahir": born(25), "jk": F, "status_kawin": 3, "akseptor_kb": 1, "jaminan_kesehatan": 6, "merokok": 2,
         "penyakit_kronis": 14},
        K7, K8, K9])


CASES = {  # (skala, {banjar: (numerator, denominator)})
    # JKN 2-6 / recorded: A1 p1 p2 K1 K2; A2 K3 K4 of p3 (7) p4 (1) K3 K4; B1 all 6 recorded (p6 not);
    # C1 all 6 (jkn 6)
    "cakupan_jkn": (100, {A1: (4, 4), A2: (2, 4), B1: (6, 6), C1: (6, 6)}),
    # PBI 2-3: A1 p2 K1 K2; A2 K4; B1 K5 p7
    "persentase_penduduk_pbi": (100, {A1: (3, 4), A2: (1, 4), B1: (2, 6), C1: (0, 6)}),
    # HAZ < −2 / balita with HAZ: A1 K1 K2 / K1 K2; A2 — / K3; B1 — / K5; C1 K7 / K7 (K8 none, K9 flagged)
    "prevalensi_stunting": (100, {A1: (2, 2), A2: (0, 1), B1: (0, 1), C1: (1, 1)}),
    "prevalensi_stunting_berat": (100, {A1: (1, 2), A2: (0, 1), B1: (0, 1), C1: (0, 1)}),  # K2 (−3.5)
    # WHZ: A1 K1 K2 (K2 < −2); A2 K3 (> +2); B1 none (oedema); C1 K7
    "prevalensi_wasting": (100, {A1: (1, 2), A2: (0, 1), B1: (0, 0), C1: (0, 1)}),
    "prevalensi_overweight": (100, {A1: (0, 2), A2: (1, 1), B1: (0, 0), C1: (0, 1)}),
    # WAZ: A1 K1 (−1.32) K2 (−4.13); A2 K3 (+1.7) K4 (−2.5); B1 none; C1 K7 (−0.73)
    "prevalensi_underweight": (100, {A1: (1, 2), A2: (1, 2), B1: (0, 0), C1: (0, 1)}),
    # 5+ with WG answers: A1 p1 (no) p2 (yes); A2 p3 (no) p4 (yes); B1 p6 (no) — p5 p7 p8 p9 K6 have none;
    # C1 M40 (yes) M14 (no); under-fives never count (K4)
    "prevalensi_disabilitas": (100, {A1: (1, 2), A2: (1, 2), B1: (0, 1), C1: (1, 2)}),
    # 12-59 months with a record: A1 K1 (K2 is 9 months); A2 K3 K4; B1 K5 (K6 is 60 months); C1 K7 K8
    "cakupan_imunisasi_dasar_lengkap": (100, {A1: (1, 1), A2: (1, 2), B1: (1, 1), C1: (1, 2)}),
    # 15+ with an answer: A1 p1 p2; A2 p3 p4; B1 p5 p6 p7 p8 (p9 none); C1 p11 (M14 is under 15)
    "prevalensi_merokok_15": (100, {A1: (1, 2), A2: (1, 2), B1: (2, 4), C1: (0, 1)}),
    # codes 1-13 / recorded (14 = none): A1 p2 / p1 p2; A2 p4 / p4; B1 p8 / p5 p6 p8; C1 — / p11
    "persentase_penyakit_kronis": (100, {A1: (1, 2), A2: (1, 1), B1: (1, 3), C1: (0, 1)}),
    # married women 15-49 using any KB / married women 15-49: A1 p2; A2 p3 (none); B1 p7 / p6 p7 (p8 is 50,
    # p9 never married); C1 p11 is divorced
    "prevalensi_kontrasepsi": (100, {A1: (1, 1), A2: (0, 1), B1: (1, 2), C1: (0, 0)}),
}
COVERED = list(CASES)


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, COVERED)


def test_constructed_children_have_the_stated_z_scores():
    # (HAZ, WAZ, WHZ) at the measurement date; designed values are checked by child(), these are the rest
    assert z_scores(K1).waz == pytest.approx(-1.32)
    assert z_scores(K2).waz == pytest.approx(-4.13)
    assert z_scores(K2).lenhei_adjusted_cm == pytest.approx(K2["panjang_tinggi_badan"] + 0.7)
    assert z_scores(K3).waz == pytest.approx(1.7)
    assert (z_scores(K4).haz, z_scores(K4).whz) == (None, None)
    assert (z_scores(K5).waz, z_scores(K5).whz) == (None, None)
    assert z_scores(K7).waz == pytest.approx(-0.73)
    assert z_scores(K9).flags["haz"] is True


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert set(COVERED) <= facts.codes()


@pytest.mark.parametrize("kode", list(CASES))
def test_values_at_every_level(facts, kode):
    skala, banjar = CASES[kode]
    check_every_level(facts, kode, banjar, skala=skala)


def test_levels_spelled_out(facts):
    # stunting: Sakti (2 + 0) / (2 + 1) = 66.7 %; kabupaten (2 + 0 + 0 + 1) / (2 + 1 + 1 + 1) = 60 %
    assert facts.get("prevalensi_stunting", SAKTI)[2] == pytest.approx(200 / 3)
    assert facts.get("prevalensi_stunting", KABUPATEN)[2] == pytest.approx(60.0)
    # Batumadeg measured no weight without oedema: wasting is undefined there (0 / 0), not 0 %
    assert facts.get("prevalensi_wasting", "51.05.01.2002")[2] is None
    # stunting by sex at the kabupaten: girls K2 K7 both stunted (K4 has no HAZ); boys K1 of K1 K3 K5
    check_fact(facts, "prevalensi_stunting", KABUPATEN, (2, 2), skala=100, disagregasi="jenis_kelamin:2")
    check_fact(facts, "prevalensi_stunting", KABUPATEN, (1, 3), skala=100, disagregasi="jenis_kelamin:1")
    # disability by age group 45-64 (kelompok_umur 5): p4 M50 disabled; p3 F45 and p6 F49 not → 1 / 3
    check_fact(facts, "prevalensi_disabilitas", KABUPATEN, (1, 3), skala=100, disagregasi="kelompok_umur:5")


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0


def test_disaggregation_cells_add_up_to_the_total(facts):
    assert check_disaggregations(facts) > 0
