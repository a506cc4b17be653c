"""Standard indicators, theme Infrastruktur dasar: hand-made dwellings, values worked out by hand.

Codes: sumber_air 1 bottled, 2 refill, 3 piped, 4 bore well, 5 protected well, 6 unprotected well,
7 protected spring, 9 surface water, 10 rain; fasilitas_bab 1 own, 2 shared, 3 communal MCK, 4 public MCK,
5 not used, 6 none; jenis_kloset 1 leher angsa, 5 none; pembuangan_tinja 1 septic, 2 IPAL, 4 pit;
sumber_penerangan 1 PLN metered, 2 PLN unmetered, 3 non-PLN, 4 not electric; bahan_bakar 1-6 clean,
7-11 not, 12 does not cook at home; durable roof 1 2 3 5, wall 1 2 3 5, floor 1-6; luas_lantai_layak 7.2 m².

    hh  banjar       n  water               toilet             light fuel  roof/wall/floor m²/person RLH  aid dist
    H1  A1 (desa)    2  piped               own, LA, septic    1     4     2/1/2   20 m² → 10      yes  2   2
    H2  A1 (desa)    3  bottled + bath 6 ✗  own, LA, pit ✓     2     10    2/1/2   30 m² → 10      no   2   1
    H3  A2 (desa)    1  refill + bath 4 ✓   shared, LA, IPAL   3     12    2/1/2   7.2 m² → 7.2    yes  -   3
    H4  A2 (desa)    4  surface ✗           none, no kloset    4     7     7/1/2   20 m² → 5       no   1   -
    H5  B1 (desa)    2  rain ✓              communal, LA, sep. 1     1     3/5/6   14 m² → 7       no   2   -
    H6  B1 (desa)    1  nothing recorded
    H7  C1 (desa)    2  protected well      public MCK ✗       1     6     5/3/5   16 m² → 8       no   -   2
    H8  K1 (kel.)    2  piped               own, LA, pit ✗     1     3     1/1/1   40 m² → 20      no   2   1
    H9  K1 (kel.)    1  protected spring    not used ✗         1     11    4/1/2   10 m² → 10      no   1   2
(✓/✗: layak or not; "pit" is layak only in a rural desa — K1 is a lingkungan of kelurahan Semarapura Kaja.)
"""

from __future__ import annotations

import pytest

from tests.indicators.conftest import (
    A1,
    A2,
    B1,
    C1,
    K1,
    KABUPATEN,
    KLUNGKUNG_KEC,
    NUSA_PENIDA,
    SEMARAPURA_KAJA,
    born,
    check_every_level,
    check_rollups,
    compute_standard,
)

pytestmark = pytest.mark.django_db  # makes pytest-django create the test database; tests read `facts`


def people(n):
    return [{"lahir": born(30 + i)} for i in range(n)]


def dwelling(air, bab, kloset, tinja, light, fuel, roof, wall, floor, luas, aid=None, dist=None, **extra):
    fields = dict(sumber_air_minum=air, fasilitas_bab=bab, jenis_kloset=kloset, pembuangan_tinja=tinja,
                  sumber_penerangan=light, bahan_bakar_memasak=fuel, jenis_atap=roof, jenis_dinding=wall,
                  jenis_lantai=floor, luas_lantai=luas, penerima_bantuan_rtlh=aid, jarak_sumber_air_tinja=dist)
    return {k: v for k, v in fields.items() if v is not None} | extra


def build(b):
    b.household("A1", people(2), **dwelling(3, 1, 1, 1, 1, 4, 2, 1, 2, 20.0, aid=2, dist=2))
    b.household("A1", people(3), **dwelling(1, 1, 1, 4, 2, 10, 2, 1, 2, 30.0, aid=2, dist=1, sumber_air_mandi=6))
    b.household("A2", people(1), **dwelling(2, 2, 1, 2, 3, 12, 2, 1, 2, 7.2, dist=3, sumber_air_mandi=4))
    b.household("A2", people(4), **dwelling(9, 6, 5, None, 4, 7, 7, 1, 2, 20.0, aid=1))
    b.household("B1", people(2), **dwelling(10, 3, 1, 1, 1, 1, 3, 5, 6, 14.0, aid=2))
    b.household("B1", people(1))
    b.household("C1", people(2), **dwelling(5, 4, 1, 1, 1, 6, 5, 3, 5, 16.0, dist=2))
    b.household("K1", people(2), **dwelling(3, 1, 1, 4, 1, 3, 1, 1, 1, 40.0, aid=2, dist=1))
    b.household("K1", people(1), **dwelling(7, 5, 1, 1, 1, 11, 4, 1, 2, 10.0, aid=1, dist=2))


CASES = {  # (skala, {banjar: (numerator, denominator)}); H6 records nothing and is in no denominator
    # safe water / water recorded: A1 H1 (H2's bath water is unsafe); A2 H3 (refill, safe bath); B1 H5 (rain);
    # C1 H7; K1 H8 H9
    "persentase_rt_air_minum_layak": (100, {A1: (1, 2), A2: (1, 2), B1: (1, 1), C1: (1, 1), K1: (2, 2)}),
    # layak / toilet recorded: A1 H1 H2 (pit in a desa); A2 H3; B1 H5; C1 — (public MCK); K1 — (pit in a
    # kelurahan, toilet not used)
    "persentase_rt_sanitasi_layak": (100, {A1: (2, 2), A2: (1, 2), B1: (1, 1), C1: (0, 1), K1: (0, 2)}),
    # toilet 2-6: A2 H3 H4; B1 H5; C1 H7; K1 H9
    "persentase_rt_tanpa_jamban_sendiri": (100, {A1: (0, 2), A2: (2, 2), B1: (1, 1), C1: (1, 1), K1: (1, 2)}),
    # toilet 5-6 (open defecation): A2 H4; K1 H9
    "persentase_rt_babs": (100, {A1: (0, 2), A2: (1, 2), B1: (0, 1), C1: (0, 1), K1: (1, 2)}),
    # light 1-3: A1 H1 H2; A2 H3 (H4 is 4); B1 H5; C1 H7; K1 H8 H9
    "persentase_rt_berlistrik": (100, {A1: (2, 2), A2: (1, 2), B1: (1, 1), C1: (1, 1), K1: (2, 2)}),
    "persentase_rt_listrik_pln_meteran": (100, {A1: (1, 2), A2: (0, 2), B1: (1, 1), C1: (1, 1), K1: (2, 2)}),
    # fuel 1-6 / fuel recorded and cooking at home: A1 H1 / H1 H2; A2 — / H4 (H3 does not cook); B1 H5; C1 H7;
    # K1 H8 / H8 H9
    "persentase_rt_bahan_bakar_bersih": (100, {A1: (1, 2), A2: (0, 1), B1: (1, 1), C1: (1, 1), K1: (1, 2)}),
    # durable + ≥ 7.2 m²/person + safe water + layak sanitation: A1 H1 (H2 water); A2 H3 (exactly 7.2) (H4 all);
    # B1 — (H5 7 m²); C1 — (H7 toilet); K1 — (H8 urban pit, H9 asbestos roof and toilet)
    "persentase_rt_rumah_layak_huni": (100, {A1: (1, 2), A2: (1, 2), B1: (0, 1), C1: (0, 1), K1: (0, 2)}),
    "persentase_rt_rtlh": (100, {A1: (1, 2), A2: (1, 2), B1: (1, 1), C1: (1, 1), K1: (2, 2)}),
    # RTLH not aided / RTLH with aid recorded: A1 H2 (H1 is RLH); A2 — / H4 (aided); B1 H5; C1 — (H7 not
    # recorded); K1 H8 / H8 H9
    "persentase_rtlh_belum_dibantu": (100, {A1: (1, 1), A2: (0, 1), B1: (1, 1), C1: (0, 0), K1: (1, 2)}),
    # < 7.2 m²/person / floor recorded: A2 H4 (H3 is exactly 7.2); B1 H5 (7.0)
    "persentase_rt_luas_lantai_kurang": (100, {A1: (0, 2), A2: (1, 2), B1: (1, 1), C1: (0, 1), K1: (0, 2)}),
    # < 10 m / distance recorded (incl. "don't know"): A1 H2 / H1 H2; A2 — / H3; B1 none; C1 — / H7; K1 H8 / H8 H9
    "persentase_rt_sumber_air_dekat_tinja": (100, {A1: (1, 2), A2: (0, 1), B1: (0, 0), C1: (0, 1), K1: (1, 2)}),
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
    # sanitation: the same pit latrine is layak in desa Sakti (A1) and not in kelurahan Semarapura Kaja (K1)
    assert facts.get("persentase_rt_sanitasi_layak", SEMARAPURA_KAJA)[:3] == (0, 2, 0.0)
    assert facts.get("persentase_rt_sanitasi_layak", KLUNGKUNG_KEC)[:3] == (0, 2, 0.0)
    # Nusa Penida (2 + 1 + 1) / (2 + 2 + 1) = 80 %; kabupaten adds C1 0/1 and K1 0/2: 4 / 8 = 50 %
    assert facts.get("persentase_rt_sanitasi_layak", NUSA_PENIDA)[2] == pytest.approx(80.0)
    assert facts.get("persentase_rt_sanitasi_layak", KABUPATEN)[2] == pytest.approx(50.0)
    # RLH + RTLH = all assessed households at every level: kabupaten 2 + 6 = 8 (H6 not assessed)
    rlh, rtlh = facts.get("persentase_rt_rumah_layak_huni", KABUPATEN), facts.get("persentase_rt_rtlh", KABUPATEN)
    assert (rlh[0], rtlh[0], rlh[1]) == (2, 6, 8)
    assert rlh[2] + rtlh[2] == pytest.approx(100.0)


def test_rollups_are_sums_of_children(facts):
    assert check_rollups(facts) > 0
