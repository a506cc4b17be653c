"""Where the synthetic people live: kecamatan shares, desa shares and banjar counts (no database)."""

from __future__ import annotations

import numpy as np
import pytest

from presisi.synth.allocation import allocate, banjar_counts, largest_remainder
from presisi.synth.calibration import load_kalibrasi
from presisi.synth.population import build_population
from tests.synth.conftest import memory_frame, memory_frame_with_banjar

CENSUS_2020 = {"51.05.01": 57370, "51.05.02": 44431, "51.05.03": 64235, "51.05.04": 40889}


def test_largest_remainder_adds_up_exactly():
    out = largest_remainder(1001, np.array([1.0, 1.0, 1.0]))
    assert out.sum() == 1001 and out.max() - out.min() <= 1


def test_kecamatan_people_follow_the_2020_census_at_scale_1():
    frame = memory_frame()
    alloc = allocate(frame, load_kalibrasi("51.05"), scale=1.0, seed=42)
    total = alloc.kecamatan.sum()
    assert total == 216_000
    census_total = sum(CENSUS_2020.values())
    for code, people in zip(alloc.kecamatan_codes, alloc.kecamatan, strict=True):
        expected = total * CENSUS_2020[code] / census_total
        assert abs(people - expected) / expected < 0.05
    assert alloc.desa.sum() == total


def test_desa_shares_vary_and_kelurahan_are_denser():
    frame = memory_frame(areas=True)
    alloc = allocate(frame, load_kalibrasi("51.05"), scale=1.0, seed=42)
    people = dict(zip(alloc.desa_codes, alloc.desa, strict=True))
    klungkung = {k: v for k, v in people.items() if k.startswith("51.05.03.")}
    kelurahan = [v for k, v in klungkung.items() if k.split(".")[-1].startswith("1")]
    desa = [v for k, v in klungkung.items() if k.split(".")[-1].startswith("2")]
    assert np.mean(kelurahan) > np.mean(desa)
    nusa_penida = np.array([v for k, v in people.items() if k.startswith("51.05.01.")])
    assert nusa_penida.min() >= 500 and nusa_penida.max() <= 9000 and nusa_penida.std() > 300


def test_written_population_is_the_allocation_within_one_family():
    frame = memory_frame_with_banjar()
    kal = load_kalibrasi("51.05")
    alloc = allocate(frame, kal, scale=1.0, seed=42)
    pop = build_population(frame, kal, alloc, seed=42)
    kec_of_desa = np.array([d.kode[:8] for d in frame.desa])
    for code, target in zip(alloc.kecamatan_codes, alloc.kecamatan, strict=True):
        assert abs(int((kec_of_desa[pop.desa] == code).sum()) - target) <= 12


def test_banjar_counts_are_plausible():
    frame = memory_frame()
    kal = load_kalibrasi("51.05")
    counts = banjar_counts(allocate(frame, kal, scale=1.0, seed=7), kal, seed=7)
    assert counts.min() >= 3 and counts.max() <= 12
    assert 6.0 <= counts.mean() <= 7.5  # 394 banjar adat in 59 desa


@pytest.mark.parametrize("scale", [0.001, 0.37, 1.0])
def test_allocation_scales_and_keeps_every_desa(scale):
    frame = memory_frame()
    alloc = allocate(frame, load_kalibrasi("51.05"), scale=scale, seed=1)
    assert alloc.desa.sum() == max(len(frame.desa), round(216_000 * scale))
    assert (alloc.desa >= 0).all()


def test_other_regency_falls_back_to_equal_or_area_shares():
    from tests.synth.conftest import BALI_CSV

    frame = memory_frame(BALI_CSV, prefix="51.06")
    kal = load_kalibrasi("51.06")
    assert not kal.khusus
    alloc = allocate(frame, kal, scale=1.0, seed=3)
    shares = alloc.kecamatan / alloc.kecamatan.sum()
    assert np.allclose(shares, 1 / len(frame.kecamatan), atol=0.001)
