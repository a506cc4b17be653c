"""Standard indicators, theme Kebencanaan: hand-made households and desa data, values worked out by hand.

Households (pernah_terdampak_bencana 1 ya / 2 tidak) and their living members:
    A1  H1 yes (3 people), H2 no (2)      A2  H3 no (1)      B1  H4 yes (2), H5 not recorded (1)
    C1  H6 yes (4)
So Sakti has 6 residents, Batumadeg 3, Negari 4 (jumlah_penduduk of the desa rows).
Desa data (2026-S2): evacuation route / Destana / main hazard (2 tsunami, 4 landslide, 6 abrasion)
    Sakti yes / yes / 2     Batumadeg no / - / 4     Klumpu (nobody registered) yes / no / 6
    Negari - / yes / 6      every other desa: no data
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


def build(b):
    for banjar, n, hit in (("A1", 3, 1), ("A1", 2, 2), ("A2", 1, 2), ("B1", 2, 1), ("B1", 1, None), ("C1", 4, 1)):
        b.household(banjar, [{"lahir": born(30 + i)} for i in range(n)],
                    **({"pernah_terdampak_bencana": hit} if hit else {}))
    b.desa(SAKTI, ada_jalur_evakuasi=1, desa_tangguh_bencana=1, ancaman_bencana_utama=2)
    b.desa(BATUMADEG, ada_jalur_evakuasi=2, ancaman_bencana_utama=4)
    b.desa(KLUMPU, ada_jalur_evakuasi=1, desa_tangguh_bencana=2, ancaman_bencana_utama=6)
    b.desa(NEGARI, desa_tangguh_bencana=1, ancaman_bencana_utama=6)


RT_CASES = {
    "persentase_rt_terdampak_bencana": (100, {A1: (1, 2), A2: (0, 1), B1: (1, 1), C1: (1, 1)}),
}
DESA_CASES = {  # (skala, {desa: (numerator, denominator)})
    "persentase_desa_jalur_evakuasi": (100, {SAKTI: (1, 1), BATUMADEG: (0, 1), KLUMPU: (1, 1)}),
    "persentase_desa_tangguh_bencana": (100, {SAKTI: (1, 1), KLUMPU: (0, 1), NEGARI: (1, 1)}),
    # residents of desa threatened by tsunami/abrasion / residents of desa whose hazard is recorded
    "persentase_penduduk_desa_ancaman_pesisir": (100, {SAKTI: (6, 6), BATUMADEG: (0, 3), KLUMPU: (0, 0),
                                                       NEGARI: (4, 4)}),
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
    skala, desa = DESA_CASES[kode]
    check_desa_unit(facts, kode, roll_up(desa), skala=skala)


def test_levels_spelled_out(facts):
    # evacuation routes: Nusa Penida 2 of 3 answering desa; Banjarangkan none answered (no value)
    assert facts.get("persentase_desa_jalur_evakuasi", NUSA_PENIDA)[2] == pytest.approx(200 / 3)
    assert facts.get("persentase_desa_jalur_evakuasi", BANJARANGKAN)[:3] == (0, 0, None)
    # coastal hazard, weighted by residents: Nusa Penida 6 / (6 + 3) = 66.7 %; kabupaten (6 + 4) / 13
    assert facts.get("persentase_penduduk_desa_ancaman_pesisir", NUSA_PENIDA)[2] == pytest.approx(600 / 9)
    assert facts.get("persentase_penduduk_desa_ancaman_pesisir", KABUPATEN)[2] == pytest.approx(1000 / 13)
    # households affected: kabupaten (1 + 0 + 1 + 1) / (2 + 1 + 1 + 1) = 60 %
    assert facts.get("persentase_rt_terdampak_bencana", KABUPATEN)[2] == pytest.approx(60.0)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0
