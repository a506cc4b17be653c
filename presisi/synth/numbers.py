"""NIK and No. KK for the synthetic people and family cards (codes.md §3–§5).

NIK = kecamatan code (6) + birth date DDMMYY with +40 on the day for women + serial.
No. KK = kecamatan code (6) + issue date DDMMYY + serial. Serials start at 0001 and
are unique within their (kecamatan, date[, sex]) group, which makes every number
unique across the regency. A few people (mostly infants whose birth is not yet
registered) carry a temporary number: '0' + desa code + 5-digit serial.
"""

from __future__ import annotations

import numpy as np

from presisi.registry.identifiers import temporary_number
from presisi.registry.models import PEREMPUAN


def _date_parts(dates: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    months = dates.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (dates - dates.astype("datetime64[M]")).astype(np.int64) + 1
    return days, months, years


def serial_in_group(keys: np.ndarray, rng: np.random.Generator, spread: int = 60) -> np.ndarray:
    """Serial 1.. within each group of equal keys, started at a random offset per group.

    Real serials are not all 0001: a random start (shared by the whole group, so the
    group's serials stay distinct) makes the synthetic ones look less regular.
    """
    order = np.lexsort((rng.random(len(keys)), keys))
    sorted_keys = keys[order]
    new_group = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
    group_id = np.cumsum(new_group) - 1
    starts = np.flatnonzero(new_group)
    rank = np.arange(len(keys)) - starts[group_id]
    offset = rng.integers(0, spread, len(starts))[group_id]
    serial = np.empty(len(keys), dtype=np.int64)
    serial[order] = 1 + rank + offset
    if serial.max(initial=0) > 9999:
        raise RuntimeError("nomor urut NIK/KK melebihi 9999 dalam satu kelompok")
    return serial


def make_nik(kecamatan6: np.ndarray, birth: np.ndarray, sex: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """16-digit NIK strings (numpy unicode array)."""
    day, month, year = _date_parts(birth)
    dd = day + np.where(sex == PEREMPUAN, 40, 0)
    date6 = dd * 10000 + month * 100 + year % 100
    group = (kecamatan6 * 1_000_000 + date6) * 10 + sex
    serial = serial_in_group(group, rng)
    return (kecamatan6 * 10**10 + date6 * 10**4 + serial).astype("U16")


def make_kk(kecamatan6: np.ndarray, issued: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    day, month, year = _date_parts(issued)
    date6 = day * 10000 + month * 100 + year % 100
    serial = serial_in_group(kecamatan6 * 1_000_000 + date6, rng, spread=200)
    return (kecamatan6 * 10**10 + date6 * 10**4 + serial).astype("U16")


def kk_issue_dates(youngest_birth: np.ndarray, ref: np.datetime64, rng: np.random.Generator) -> np.ndarray:
    """A card is reissued at every change (a birth, a marriage): issued after its youngest member's birth."""
    floor = ref - np.timedelta64(18 * 365, "D")
    low = np.maximum(youngest_birth + np.timedelta64(7, "D"), floor)
    low = np.minimum(low, ref - np.timedelta64(1, "D"))
    span = (ref - np.timedelta64(1, "D") - low).astype(np.int64)
    return low + np.floor(rng.random(len(low)) * (span + 1)).astype("timedelta64[D]")


def temporary_mask(age_days: np.ndarray, rng: np.random.Generator, *, infant_share: float,
                   other_share: float) -> np.ndarray:
    """Who has no NIK yet: some infants (birth not yet registered) and a very few others."""
    p = np.where(age_days < 365, infant_share, other_share)
    return rng.random(len(age_days)) < p


def temporary_numbers(desa_codes: list[str], desa_idx: np.ndarray) -> list[str]:
    """'0' + desa code + serial 00001.. per desa, in row order."""
    counters: dict[int, int] = {}
    out: list[str] = []
    for d in desa_idx.tolist():
        counters[d] = counters.get(d, 0) + 1
        out.append(temporary_number(desa_codes[d], counters[d]))
    return out
