"""Column frames: one unit's records as parallel numpy arrays, from the registry or from a file.

Every rule reads a ``Frame`` and nothing else, so the same rule code checks an import
before anything is written and the registry afterwards. Missing values: NaN for codes and
numbers, NaT for dates, "" for text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from presisi.dictionary.models import BILANGAN, DESIMAL, KODE, TANGGAL

NAT = np.datetime64("NaT", "D")


@dataclass
class Frame:
    unit: str
    n: int
    cols: dict[str, np.ndarray]
    objek_id: np.ndarray  # registry id, 0 when not (yet) in the registry
    baris: np.ndarray  # file row, 0 when the row comes from the registry
    desa_id: np.ndarray
    label: list[str] = field(default_factory=list)  # "NIK nama" for humans
    kolom_berkas: dict[str, str] = field(default_factory=dict)  # variable → column name in the file

    def col(self, name: str) -> np.ndarray | None:
        return self.cols.get(name)

    def num(self, name: str) -> np.ndarray:
        """A numeric column, all-NaN when the frame does not have it."""
        col = self.cols.get(name)
        return col if col is not None else np.full(self.n, np.nan)

    def text(self, name: str) -> np.ndarray:
        col = self.cols.get(name)
        return col if col is not None else np.full(self.n, "", dtype=object)

    def dates(self, name: str) -> np.ndarray:
        col = self.cols.get(name)
        return col if col is not None else np.full(self.n, NAT)

    def column_name(self, var: str) -> str:
        return self.kolom_berkas.get(var, var)

    def present(self, name: str) -> np.ndarray:
        return present(self.cols[name]) if name in self.cols else np.zeros(self.n, dtype=bool)


def present(col: np.ndarray) -> np.ndarray:
    if col.dtype.kind == "f":
        return ~np.isnan(col)
    if col.dtype.kind == "M":
        return ~np.isnat(col)
    return np.array([v not in (None, "") for v in col], dtype=bool) if col.dtype == object else col != ""


def age_years(birth: np.ndarray, ref: dt.date) -> np.ndarray:
    """Completed years at ``ref`` (NaN where the birth date is missing)."""
    ok = ~np.isnat(birth)
    safe = np.where(ok, birth, np.datetime64(ref, "D"))
    years = safe.astype("datetime64[Y]").astype(np.int64) + 1970
    months = safe.astype("datetime64[M]").astype(np.int64) % 12 + 1
    days = (safe - safe.astype("datetime64[M]")).astype(np.int64) + 1
    before = (months > ref.month) | ((months == ref.month) & (days > ref.day))
    age = (ref.year - years - before).astype(float)
    age[~ok] = np.nan
    return age


def column_from_values(tipe: str, values: list[Any]) -> np.ndarray:
    """A typed column from already-clean Python values (None = missing)."""
    if tipe in (KODE, BILANGAN, DESIMAL):
        try:
            return np.array(values, dtype=float)  # None becomes NaN
        except (TypeError, ValueError):
            return np.array([_float(v) for v in values], dtype=float)
    if tipe == TANGGAL:
        try:
            return np.array(values, dtype="datetime64[D]")  # None becomes NaT
        except (TypeError, ValueError):
            return np.array([_date(v) for v in values], dtype="datetime64[D]")
    return np.array(["" if v is None else str(v) for v in values], dtype=object)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _date(value: Any) -> np.datetime64:
    try:
        return np.datetime64(value, "D") if value is not None else NAT
    except (TypeError, ValueError):
        return NAT


def factorize(values: np.ndarray) -> np.ndarray:
    """Integer group keys for a column of hashable values (same value → same key)."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64)
    keys = values if values.dtype.kind in "iu" else values.astype(str)
    _, inverse = np.unique(keys, return_inverse=True)
    return inverse.astype(np.int64)
