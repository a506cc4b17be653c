"""Calibration targets on a mid-size sample (about 10,800 people), read back from the database."""

from __future__ import annotations

import numpy as np
import pytest

from presisi.indicators.growth import zscores_many
from presisi.registry.models import RumahTangga
from presisi.synth.services import synth_generate
from tests.synth.conftest import read_people

pytestmark = pytest.mark.django_db
SAFE_WATER = [3, 4, 5, 7, 10]


def test_calibration_targets_on_a_mid_size_sample(regions, dictionary):
    """One generation (the costly part), three groups of checks."""
    synth_generate(scale=0.05, seed=2026)
    people = read_people()
    households = {r["id"]: (r["atribut"], r["desa__kode"]) for r in
                  RumahTangga.objects.values("id", "atribut", "desa__kode")}
    check_poverty_and_stunting((people, households))
    check_health_work_and_religion((people, households))
    check_housing_water_and_sanitation((people, households))


def _stunting(p) -> tuple[np.ndarray, np.ndarray]:
    rows = [i for i, a in enumerate(p.atribut) if "panjang_tinggi_badan" in a]
    when = np.array([np.datetime64(p.atribut[i]["tanggal_ukur"]) for i in rows])
    birth = np.array([np.datetime64(p.rows[i]["tanggal_lahir"]) for i in rows])
    z = zscores_many(
        p.col("jenis_kelamin")[rows], (when - birth).astype(int), [p.atribut[i]["berat_badan"] for i in rows],
        [p.atribut[i]["panjang_tinggi_badan"] for i in rows],
        ["L" if p.atribut[i]["cara_ukur"] == 1 else "H" for i in rows])
    return z.haz, np.array([p.rows[i]["desa__kode"][:8] for i in rows])


def check_poverty_and_stunting(sample) -> None:
    p, households = sample
    haz, kec = _stunting(p)
    assert not np.isnan(haz).any() and len(haz) > 500
    assert 0.035 <= np.mean(haz < -2) <= 0.07  # Klungkung SKI 2023/2024: 4.9–5.1%
    assert np.mean(haz[kec == "51.05.01"] < -2) > np.mean(haz[kec != "51.05.01"] < -2)
    pc = np.array([households[r["rumah_tangga_id"]][0]["pengeluaran_per_kapita"] for r in p.rows])
    kec_people = np.array([r["desa__kode"][:8] for r in p.rows])
    poor = pc < 560_000
    assert 0.05 <= poor.mean() <= 0.06
    assert poor[kec_people == "51.05.01"].mean() > poor[kec_people != "51.05.01"].mean() + 0.02


def check_health_work_and_religion(sample) -> None:
    p, _ = sample
    age, sex = p.age, p.col("jenis_kelamin")
    assert 0.93 <= np.mean(p.attr("jaminan_kesehatan") != 1) <= 0.975
    wg = np.column_stack([p.attr(k) for k in ("wg_melihat", "wg_mendengar", "wg_berjalan", "wg_mengingat",
                                              "wg_mengurus_diri", "wg_berkomunikasi")])
    disabled = (wg >= 3).any(axis=1)
    assert 0.02 <= disabled[age >= 5].mean() <= 0.04 and disabled[age >= 70].mean() > 3 * disabled[age >= 5].mean()
    activity = p.attr("kegiatan_seminggu")
    labour_force = np.isin(activity, [1, 2, 3, 4, 5, 6])
    assert 0.012 <= np.isin(activity, [3, 4, 5, 6]).sum() / labour_force.sum() <= 0.03
    women = (sex == 2) & (age >= 15) & (age < 50)
    assert 0.02 <= np.mean(p.attr("hamil")[women] == 1) <= 0.045
    kec = np.array([r["desa__kode"][:8] for r in p.rows])
    religion = p.col("agama")
    assert np.mean(religion[kec == "51.05.01"] == 4) >= 0.96
    assert 0.8 <= np.mean(religion[kec != "51.05.01"] == 4) < 0.97
    tourism = (p.attr("bekerja_sektor_pariwisata") == 1) & np.isin(activity, [1, 2])
    working = np.isin(activity, [1, 2])
    assert tourism[kec == "51.05.01"].sum() / working[kec == "51.05.01"].sum() > tourism.sum() / working.sum()


def check_housing_water_and_sanitation(sample) -> None:
    _, households = sample
    a = [v[0] for v in households.values()]
    kec = np.array([v[1][:8] for v in households.values()])
    drink = np.array([x["sumber_air_minum"] for x in a])
    bath = np.array([x["sumber_air_mandi"] for x in a])
    safe = np.isin(drink, SAFE_WATER) | (np.isin(drink, [1, 2]) & np.isin(bath, SAFE_WATER))
    assert 0.85 <= safe.mean() < 0.99
    sanitation = (np.array([x["jenis_kloset"] for x in a]) == 1) & np.isin([x["fasilitas_bab"] for x in a], [1, 2, 3])
    sanitation &= np.isin([x.get("pembuangan_tinja", 0) for x in a], [1, 2, 4])
    assert 0.8 <= sanitation.mean() < 0.98
    assert np.mean(drink[kec == "51.05.01"] == 10) > 0.1 > np.mean(drink[kec != "51.05.01"] == 10)
    desil = np.array([x.get("desil_dtsen", 99) for x in a])
    pkh = np.array([x["penerima_pkh"] == 1 for x in a])
    assert pkh[desil <= 4].mean() > 0.3 and pkh[(desil > 6) & (desil < 99)].mean() < 0.02
    w = np.array([x["pengeluaran_per_kapita"] for x in a])
    earth = np.isin([x["jenis_lantai"] for x in a], [7, 8])
    assert np.median(w[earth]) < np.median(w)
