"""Standard indicators, theme Kependudukan: hand-made people and households, values worked out by hand.

Reference date 2026-12-31. Ages are whole years (``born(age)``) unless noted; ``ktp`` is
status_rekam_ktp (1 belum wajib, 2 belum rekam, 3-8 sudah rekam), ``akta`` is akta_kelahiran
(1 ya, 2 tidak). The first member of a household is its head.

    A1 (desa Sakti)      H1: M70 ktp8, F66 ktp3                       head M
                         H2: M40 ktp4, F38 ktp2, F10 akta1 ktp1, M 6 months akta2  head M
    A2 (desa Sakti)      H3: F30 ktp3, M2 akta1, F born 2026-03-01 (9 months, akta not recorded)  head F
    B1 (desa Batumadeg)  H4: M80 DEAD (head), M50 ktp5, M14 akta1 ktp1, F64 ktp6   → no living head
                         H5: F65 ktp7 (head), M born 2027-01-15 (after the reference date: not counted)
    C1 (desa Negari)     H6: M60 ktp3, F15 akta2 ktp2, M17 akta1 ktp1, F1 akta1, M18 akta1 ktp3  head M
    K1 (kel. Semarapura Kaja)  H7: F45 ktp3 (head), M44 ktp4, F25 ktp2, M24 ktp3, F5 akta1, M4 akta1
                         — ages on each side of the age-group bounds 5, 25 and 45
Areas: Sakti 10 km², Batumadeg 8 km², Klumpu (Nusa Penida, nobody registered) 2 km², Negari 2.5 km²,
Semarapura Kaja 0.5 km².
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    BANJARANGKAN,
    BATUMADEG,
    C1,
    K1,
    KABUPATEN,
    KLUMPU,
    NEGARI,
    NUSA_PENIDA,
    SAKTI,
    SEMARAPURA_KAJA,
    born,
    check_disaggregations,
    check_every_level,
    check_fact,
    check_rollups,
    compute_standard,
    roll_up,
)

# The marker makes pytest-django create the test database; the tests themselves only read `facts`.
pytestmark = pytest.mark.django_db
M, F = 1, 2


def build(b):
    b.household("A1", [{"lahir": born(70), "status_rekam_ktp": 8}, {"lahir": born(66), "jk": F, "status_rekam_ktp": 3}])
    b.household("A1", [{"lahir": born(40), "status_rekam_ktp": 4}, {"lahir": born(38), "jk": F, "status_rekam_ktp": 2},
                       {"lahir": born(10), "jk": F, "akta_kelahiran": 1, "status_rekam_ktp": 1},
                       {"lahir": born(0, 6), "akta_kelahiran": 2}])
    b.household("A2", [{"lahir": born(30), "jk": F, "status_rekam_ktp": 3}, {"lahir": born(2), "akta_kelahiran": 1},
                       {"lahir": dt.date(2026, 3, 1), "jk": F}])
    b.household("B1", [{"lahir": born(80), "status": 2}, {"lahir": born(50), "status_rekam_ktp": 5},
                       {"lahir": born(14), "akta_kelahiran": 1, "status_rekam_ktp": 1},
                       {"lahir": born(64), "jk": F, "status_rekam_ktp": 6}])
    b.household("B1", [{"lahir": born(65), "jk": F, "status_rekam_ktp": 7}, {"lahir": dt.date(2027, 1, 15)}])
    b.household("C1", [{"lahir": born(60), "status_rekam_ktp": 3},
                       {"lahir": born(15), "jk": F, "akta_kelahiran": 2, "status_rekam_ktp": 2},
                       {"lahir": born(17), "akta_kelahiran": 1, "status_rekam_ktp": 1},
                       {"lahir": born(1), "jk": F, "akta_kelahiran": 1},
                       {"lahir": born(18), "akta_kelahiran": 1, "status_rekam_ktp": 3}])
    b.household("K1", [{"lahir": born(45), "jk": F, "status_rekam_ktp": 3}, {"lahir": born(44), "status_rekam_ktp": 4},
                       {"lahir": born(25), "jk": F, "status_rekam_ktp": 2}, {"lahir": born(24), "status_rekam_ktp": 3},
                       {"lahir": born(5), "jk": F, "akta_kelahiran": 1}, {"lahir": born(4), "akta_kelahiran": 1}])
    b.desa(SAKTI, luas_km2=10.0)
    b.desa(BATUMADEG, luas_km2=8.0)
    b.desa(KLUMPU, luas_km2=2.0)
    b.desa(NEGARI, luas_km2=2.5)
    b.desa(SEMARAPURA_KAJA, luas_km2=0.5)


# Per banjar (numerator, denominator), counted from the data above.
# Living people: A1 6 (M70 F66 M40 F38 F10 M0), A2 3 (F30 M2 F0), B1 4 (M50 M14 F64 F65), C1 5 (M60 F15 M17 F1 M18),
# K1 6 (F45 M44 F25 M24 F5 M4).
BANJAR_CASES = {
    # indicator: (skala, constant denominator, {banjar: (numerator, denominator)})
    "jumlah_penduduk": (1, 1, {A1: (6, 0), A2: (3, 0), B1: (4, 0), C1: (5, 0), K1: (6, 0)}),
    # households with a living member: A1 H1 H2, A2 H3, B1 H4 (head dead, members alive) H5, C1 H6
    "jumlah_rumah_tangga": (1, 1, {A1: (2, 0), A2: (1, 0), B1: (2, 0), C1: (1, 0), K1: (1, 0)}),
    # (<15 + 65+) / 15-64: A1 (F10 M0 + M70 F66)/(M40 F38); A2 (M2 F0)/(F30); B1 (M14 + F65)/(M50 F64);
    # C1 (F1)/(M60 F15 M17 M18) — 60 and 64 are still "productive", 15 already is; K1 (F5 M4)/(F45 M44 F25 M24)
    "rasio_ketergantungan": (100, 0, {A1: (4, 2), A2: (2, 1), B1: (2, 2), C1: (1, 4), K1: (2, 4)}),
    "rasio_ketergantungan_muda": (100, 0, {A1: (2, 2), A2: (2, 1), B1: (1, 2), C1: (1, 4), K1: (2, 4)}),
    "rasio_ketergantungan_tua": (100, 0, {A1: (2, 2), A2: (0, 1), B1: (1, 2), C1: (0, 4), K1: (0, 4)}),
    # 60+: A1 M70 F66; B1 F64 F65; C1 M60
    "persentase_lansia_60": (100, 0, {A1: (2, 6), A2: (0, 3), B1: (2, 4), C1: (1, 5), K1: (0, 6)}),
    "persentase_lansia_65": (100, 0, {A1: (2, 6), A2: (0, 3), B1: (1, 4), C1: (0, 5), K1: (0, 6)}),
    # men / women
    "rasio_jenis_kelamin": (100, 0, {A1: (3, 3), A2: (1, 2), B1: (2, 2), C1: (3, 2), K1: (3, 3)}),
    # under 60 months: A1 M 6 months; A2 M2 (24 months), F 9 months; C1 F1 (12 months); K1 M4 (48; F5 is 60)
    "persentase_balita": (100, 0, {A1: (1, 6), A2: (2, 3), B1: (0, 4), C1: (1, 5), K1: (1, 6)}),
    # born after 2025-12-31: A1 M born 2026-06-01; A2 F born 2026-03-01 (C1's F1 was born 2025-12-01)
    "angka_kelahiran_kasar": (1000, 0, {A1: (1, 6), A2: (1, 3), B1: (0, 4), C1: (0, 5), K1: (0, 6)}),
    # Σ living members / households
    "rata_rata_anggota_rumah_tangga": (1, 0, {A1: (6, 2), A2: (3, 1), B1: (4, 2), C1: (5, 1), K1: (6, 1)}),
    # female heads / households with a living head (B1's H4 has none)
    "persentase_rt_kepala_perempuan": (100, 0, {A1: (0, 2), A2: (1, 1), B1: (1, 1), C1: (0, 1), K1: (1, 1)}),
    # children 0-17 with akta recorded: A1 F10(1) M0(2); A2 M2(1) [F0 not recorded]; B1 M14(1);
    # C1 F15(2) M17(1) F1(1) [M18 is not a child]; K1 F5 M4
    "cakupan_akta_kelahiran_anak": (100, 0, {A1: (1, 2), A2: (1, 1), B1: (1, 1), C1: (2, 3), K1: (2, 2)}),
    # ktp 3-8 / ktp 2-8: A1 M70 F66 M40 / + F38; A2 F30; B1 M50 F64 F65; C1 M60 M18 / + F15; K1 F45 M44 M24 / + F25
    "cakupan_perekaman_ktp_el": (100, 0, {A1: (3, 4), A2: (1, 1), B1: (3, 3), C1: (2, 3), K1: (3, 4)}),
}
# Desa-unit: Σ jumlah_penduduk / Σ luas_km2 over desa rows (every desa of the regency has one).
DESA_CASES = {
    "kepadatan_penduduk": (1, 0, {SAKTI: (9, 10.0), BATUMADEG: (4, 8.0), KLUMPU: (0, 2.0), NEGARI: (5, 2.5),
                                  SEMARAPURA_KAJA: (6, 0.5)}),
}
COVERED = [*BANJAR_CASES, *DESA_CASES]


@pytest.fixture(scope="module")
def facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build, COVERED)


def test_scenario_computed_without_errors(facts):
    assert facts.galat == {}
    assert set(COVERED) <= facts.codes()


@pytest.mark.parametrize("kode", list(BANJAR_CASES))
def test_banjar_based_values_at_every_level(facts, kode):
    skala, konstanta, banjar = BANJAR_CASES[kode]
    check_every_level(facts, kode, banjar, skala=skala, konstanta_penyebut=konstanta)


def test_levels_spelled_out_for_the_dependency_ratio(facts):
    # Sakti = A1 + A2: (4 + 2) / (2 + 1) × 100 = 200; Nusa Penida adds B1: (6 + 2) / (3 + 2) × 100 = 160
    assert facts.get("rasio_ketergantungan", SAKTI)[:3] == (6, 3, pytest.approx(200.0))
    assert facts.get("rasio_ketergantungan", NUSA_PENIDA)[:3] == (8, 5, pytest.approx(160.0))
    # Banjarangkan = C1: 1 / 4 × 100 = 25; kabupaten (8 + 1 + 2) / (5 + 4 + 4) × 100 = 84.6 — not a mean of
    # the kecamatan values 160, 25 and 50
    assert facts.get("rasio_ketergantungan", BANJARANGKAN)[:3] == (1, 4, pytest.approx(25.0))
    assert facts.get("rasio_ketergantungan", KABUPATEN)[:3] == (11, 13, pytest.approx(1100 / 13))
    # a count with a constant denominator: the constant is applied once per region, never summed
    assert facts.get("jumlah_penduduk", KABUPATEN)[:3] == (24, 0, 24.0)
    assert facts.get("rata_rata_anggota_rumah_tangga", KABUPATEN)[:3] == (24, 7, pytest.approx(24 / 7))


@pytest.mark.parametrize("kode", list(DESA_CASES))
def test_desa_based_values_at_desa_kecamatan_and_kabupaten(facts, kode):
    skala, konstanta, desa = DESA_CASES[kode]
    expected = roll_up(desa)
    for region, pair in expected.items():
        check_fact(facts, kode, region, pair, skala=skala, konstanta_penyebut=konstanta)
    # Nusa Penida (9 + 4 + 0) / (10 + 8 + 2) = 0.65 per km²; kabupaten 24 / 23 km²
    assert facts.get(kode, NUSA_PENIDA)[2] == pytest.approx(0.65)
    assert facts.get(kode, KABUPATEN)[2] == pytest.approx(24 / 23)
    # desa-unit indicators have no banjar facts; a desa without people or area has 0 / 0 → no value
    assert not any(facts.regions[r][0] == 5 for r in facts.regions_of(kode))
    assert facts.get(kode, "51.05.04.2001")[:3] == (0, 0, None)


def test_disaggregations_by_hand(facts):
    # Kabupaten by sex: men A1 3 + A2 1 + B1 2 + C1 3 + K1 3 = 12, women 3 + 2 + 2 + 2 + 3 = 12
    check_fact(facts, "jumlah_penduduk", KABUPATEN, (12, 0), skala=1, konstanta_penyebut=1,
               disagregasi="jenis_kelamin:1")
    check_fact(facts, "jumlah_penduduk", KABUPATEN, (12, 0), skala=1, konstanta_penyebut=1,
               disagregasi="jenis_kelamin:2")
    # 65+ (kelompok_umur 6): M70 / F66 F65 → sex ratio 1 / 2 × 100 = 50
    check_fact(facts, "rasio_jenis_kelamin", KABUPATEN, (1, 2), skala=100, disagregasi="kelompok_umur:6")
    # 0-4 (kelompok_umur 1): M0 M2 M4 / F0 F1 → 3 / 2
    check_fact(facts, "rasio_jenis_kelamin", KABUPATEN, (3, 2), skala=100, disagregasi="kelompok_umur:1")
    # 60+ women: F66 (A1), F64 F65 (B1) of 12 women
    check_fact(facts, "persentase_lansia_60", KABUPATEN, (3, 12), skala=100, disagregasi="jenis_kelamin:2")


@pytest.mark.parametrize(("group", "count"), [
    (1, 5),  # 0-4: M0 (A1), M2 F0 (A2), F1 (C1), M4 (K1)
    (2, 3),  # 5-14: F10 (A1), M14 (B1), F5 (K1)
    (3, 4),  # 15-24: F15 M17 M18 (C1), M24 (K1)
    (4, 5),  # 25-44: M40 F38 (A1), F30 (A2), F25 M44 (K1)
    (5, 4),  # 45-64: M50 F64 (B1), M60 (C1), F45 (K1)
    (6, 3),  # 65+: M70 F66 (A1), F65 (B1)
])
def test_age_groups_by_hand(facts, group, count):
    check_fact(facts, "jumlah_penduduk", KABUPATEN, (count, 0), skala=1, konstanta_penyebut=1,
               disagregasi=f"kelompok_umur:{group}")


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0


def test_disaggregation_cells_add_up_to_the_total(facts):
    assert check_disaggregations(facts) > 0
