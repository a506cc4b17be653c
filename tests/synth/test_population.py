"""Family cards, households and identity numbers of a full-size regency, generated in memory."""

from __future__ import annotations

import numpy as np
import pytest

from presisi.registry.identifiers import kk_findings, nik_findings
from presisi.synth import checks, families
from presisi.synth.allocation import allocate
from presisi.synth.calibration import load_kalibrasi
from presisi.synth.identity import identity_numbers
from presisi.synth.population import build_population
from tests.synth.conftest import memory_frame_with_banjar


@pytest.fixture(scope="module")
def full():
    frame = memory_frame_with_banjar(seed=42)
    kal = load_kalibrasi("51.05")
    pop = build_population(frame, kal, allocate(frame, kal, scale=1.0, seed=42), seed=42)
    return frame, kal, pop


def test_age_sex_pyramid_is_plausible_for_bali(full):
    _, _, pop = full
    age = pop.age
    assert 0.20 <= (age < 15).mean() <= 0.27
    assert 0.06 <= (age >= 65).mean() <= 0.11
    band = np.histogram(age, bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 120])[0] / len(age)
    assert band[:5].min() > 0.12 and band[:5].max() < 0.18  # fairly flat up to 50
    assert band[5] > band[6] > band[7] > band[8]  # tapering above
    ratio = (pop.sex == 1).sum() / (pop.sex == 2).sum() * 100
    assert 98.5 <= ratio <= 103


def test_cards_and_households(full):
    _, _, pop = full
    n_fam = len(pop.fam_head)
    assert 3.3 <= len(pop) / n_fam <= 3.9  # about 3.6 people per KK
    heads = np.bincount(pop.fam[pop.shdk == families.KEPALA], minlength=n_fam)
    assert (heads == 1).all()
    kk_per_rt = np.bincount(pop.fam_rt)
    assert kk_per_rt.max() == 2 and 0.05 <= (kk_per_rt == 2).mean() <= 0.25
    assert (np.bincount(pop.rt, weights=pop.hub_rt == 1) == 1).all()  # one household head each
    assert set(np.unique(pop.shdk)) <= {1, 2, 3, 4, 5, 6, 7, 8, 9}
    assert (pop.shdk == families.ORANGTUA).any() and (pop.shdk == families.MERTUA).any()


def test_kinship_ages_are_plausible(full):
    _, _, pop = full
    for parent in (pop.father, pop.mother):
        has = parent >= 0
        gap = (pop.birth[has] - pop.birth[parent[has]]).astype(int) / 365.2425
        assert gap.min() >= 16 and gap.max() <= 45
    married_young = (pop.kawin != families.BELUM_KAWIN) & (pop.age < 16)
    assert not married_young.any()
    spouse = np.isin(pop.shdk, [families.SUAMI, families.ISTRI])
    head = pop.fam_head[pop.fam[spouse]]
    assert (pop.sex[spouse] != pop.sex[head]).all() and (pop.kawin[spouse] == families.KAWIN).all()


def test_nik_and_kk_valid_and_unique_at_full_scale(full):
    frame, kal, pop = full
    nik, temporary, no_kk, issued = identity_numbers(pop, frame, kal, seed=42)
    assert len(set(nik)) == len(nik) and len(set(no_kk)) == len(no_kk)
    assert 0.002 <= temporary.mean() <= 0.008  # about 0.5% without a NIK yet
    kecamatan = {k.kode.replace(".", "") for k in frame.kecamatan}
    checks.check_nik(nik, pop.sex, pop.birth, temporary, kecamatan)  # raises on any breach
    import datetime as dt

    checks.check_kk(no_kk, issued, kecamatan, "51.05", dt.date.today())
    for i in range(0, len(nik), 997):
        found = nik_findings(nik[i], jenis_kelamin=int(pop.sex[i]), tanggal_lahir=pop.birth[i].astype(object),
                             kecamatan_dikenal=kecamatan)
        assert [f.rule for f in found] == (["nik_sementara"] if temporary[i] else [])
    for i in range(0, len(no_kk), 301):
        assert kk_findings(no_kk[i], kode_kabupaten="51.05") == []
