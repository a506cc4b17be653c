"""Standard indicators, theme Layanan publik: hand-made desa data and residents, values worked out by hand.

Residents (ages on 2026-12-31; balita = under 60 months):
    A1 (Sakti)      M40, F38, M 4 y 11 m (59 months: balita), F7, M12
    A2 (Sakti)      F30, F 3 months (balita), M13
    B1 (Batumadeg)  M60, F9, M15, F16
    C1 (Negari)     M35, F5 (60 months: not a balita), M14
So: Sakti 8 residents, 2 balita, 2 aged 7-12, 1 aged 13-15; Batumadeg 4, 0, 1, 1; Negari 3, 0, 0, 1.
Desa data (2026-S2): posyandu / SD / SMP / midwives / doctors / online services / km to puskesmas
    Sakti      3 / 2 / 1 / 2 / 1 / yes / 4.5
    Batumadeg  1 / 1 / 0 / 1 / 0 / no  / 0 (the puskesmas is in the desa)
    Klumpu     2 / 1 / - / 1 / - / yes / 12.25 (nobody registered)
    Negari     1 / 0 / 1 / 0 / 2 / -   / -
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.indicators.conftest import (
    BANJARANGKAN,
    BATUMADEG,
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
M, F = 1, 2


def build(b):
    def people(*spec):
        return [{"lahir": born(*age) if isinstance(age, tuple) else born(age), "jk": sex} for age, sex in spec]

    b.household("A1", people((40, M), (38, F), ((4, 11), M), (7, F), (12, M)))
    b.household("A2", people((30, F), ((0, 3), F), (13, M)))
    b.household("B1", people((60, M), (9, F), (15, M), (16, F)))
    b.household("C1", people((35, M), (5, F), (14, M)))
    b.desa(SAKTI, jumlah_posyandu=3, jumlah_sd=2, jumlah_smp=1, jumlah_bidan=2, jumlah_dokter=1,
           layanan_administrasi_daring=1, jarak_ke_puskesmas_km=4.5)
    b.desa(BATUMADEG, jumlah_posyandu=1, jumlah_sd=1, jumlah_smp=0, jumlah_bidan=1, jumlah_dokter=0,
           layanan_administrasi_daring=2, jarak_ke_puskesmas_km=0.0)
    b.desa(KLUMPU, jumlah_posyandu=2, jumlah_sd=1, jumlah_bidan=1, layanan_administrasi_daring=1,
           jarak_ke_puskesmas_km=12.25)
    b.desa(NEGARI, jumlah_posyandu=1, jumlah_sd=0, jumlah_smp=1, jumlah_bidan=0, jumlah_dokter=2)


DESA_CASES = {  # (skala, {desa: (numerator, denominator)})
    "posyandu_per_1000_balita": (1000, {SAKTI: (3, 2), BATUMADEG: (1, 0), KLUMPU: (2, 0), NEGARI: (1, 0)}),
    "sd_per_1000_anak_7_12": (1000, {SAKTI: (2, 2), BATUMADEG: (1, 1), KLUMPU: (1, 0), NEGARI: (0, 0)}),
    "smp_per_1000_anak_13_15": (1000, {SAKTI: (1, 1), BATUMADEG: (0, 1), NEGARI: (1, 1)}),
    "bidan_per_1000_penduduk": (1000, {SAKTI: (2, 8), BATUMADEG: (1, 4), KLUMPU: (1, 0), NEGARI: (0, 3)}),
    "dokter_per_1000_penduduk": (1000, {SAKTI: (1, 8), BATUMADEG: (0, 4), NEGARI: (2, 3)}),
    "persentase_desa_layanan_daring": (100, {SAKTI: (1, 1), BATUMADEG: (0, 1), KLUMPU: (1, 1)}),
    # Σ km / desa with a distance recorded (0 km is a recorded distance)
    "rata_rata_jarak_puskesmas": (1, {SAKTI: (4.5, 1), BATUMADEG: (0.0, 1), KLUMPU: (12.25, 1)}),
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
    # posyandu: Nusa Penida (3 + 1 + 2) per 2 balita = 3,000 per 1,000; Banjarangkan has no balita (no value)
    assert facts.get("posyandu_per_1000_balita", NUSA_PENIDA)[2] == pytest.approx(3000.0)
    assert facts.get("posyandu_per_1000_balita", BANJARANGKAN)[:3] == (1, 0, None)
    assert facts.get("posyandu_per_1000_balita", KABUPATEN)[2] == pytest.approx(3500.0)
    # distance: Nusa Penida (4.5 + 0 + 12.25) / 3 = 5.58 km; Negari recorded none
    assert facts.get("rata_rata_jarak_puskesmas", NUSA_PENIDA)[2] == pytest.approx(16.75 / 3)
    # doctors: kabupaten (1 + 0 + 2) per (8 + 4 + 3) residents = 200 per 1,000
    assert facts.get("dokter_per_1000_penduduk", KABUPATEN)[2] == pytest.approx(200.0)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0


# ---------------------------------------------------------------------------------------------
# Which period's desa data a computation uses. analytics/build.py (_build_desa) says: "The desa's own
# data for this period, or its latest before it." Periods: 2025-S2 (ref 2025-12-31), 2026-S1
# (2026-06-30), 2026-S2 (computed, 2026-12-31), 2027-S1 (2027-06-30). Rows are created in the order
# listed, so the newest row is not always the latest earlier period.
#   Sakti      2026-S1: 2 posyandu, then 2027-S1: 9   → 2 (a later period's data is not used)
#   Batumadeg  2026-S1: 1, then 2026-S2: 4            → 4 (its own period)
#   Klumpu     2026-S1: 3, then 2025-S2: 5 (entered late) → 3 (the latest earlier PERIOD, not the newest row)
#   Negari     2027-S1: 7 only                        → no data → 0
# ---------------------------------------------------------------------------------------------


def build_periods(b):
    from presisi.periods.models import Periode

    for kode, start, ref in (("2025-S2", (2025, 7, 1), (2025, 12, 31)), ("2026-S1", (2026, 1, 1), (2026, 6, 30)),
                             ("2027-S1", (2027, 1, 1), (2027, 6, 30))):
        Periode.objects.create(kode=kode, tanggal_mulai=dt.date(*start), tanggal_referensi=dt.date(*ref))
    b.desa(SAKTI, periode="2026-S1", jumlah_posyandu=2)
    b.desa(SAKTI, periode="2027-S1", jumlah_posyandu=9)
    b.desa(BATUMADEG, periode="2026-S1", jumlah_posyandu=1)
    b.desa(BATUMADEG, periode="2026-S2", jumlah_posyandu=4)
    b.desa(KLUMPU, periode="2026-S1", jumlah_posyandu=3)
    b.desa(KLUMPU, periode="2025-S2", jumlah_posyandu=5)
    b.desa(NEGARI, periode="2027-S1", jumlah_posyandu=7)


@pytest.fixture(scope="module")
def period_facts(django_db_setup, django_db_blocker):
    return compute_standard(django_db_blocker, build_periods, ["posyandu_per_1000_balita"])


def test_desa_data_of_the_period_or_the_latest_earlier_period(period_facts):
    used = {desa: period_facts.get("posyandu_per_1000_balita", desa)[0]
            for desa in (SAKTI, BATUMADEG, KLUMPU, NEGARI)}
    assert used == {SAKTI: 2, BATUMADEG: 4, KLUMPU: 3, NEGARI: 0}
