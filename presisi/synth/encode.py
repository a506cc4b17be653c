"""Checking generated columns against the data dictionary and turning them into stored values.

Every column goes through ``validate_columns`` before anything is written; a finding means
the generator is wrong, so it raises. Attributes are written as JSON text in the form the
registry services store (codes and counts as integers, decimals as floats, dates as ISO
text); a missing value is left out of the object rather than stored as null.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from presisi.core.exceptions import Finding
from presisi.dictionary.models import ATRIBUT, BILANGAN, DESIMAL, KODE, TANGGAL
from presisi.dictionary.validation import unit_spec, validate_columns
from presisi.synth.context import Columns

NUMERIC = (KODE, BILANGAN, DESIMAL)


class SynthBug(RuntimeError):
    """The generator produced a value the rules reject: a bug in the generator, never user input."""

    def __init__(self, message: str, findings: list[Finding] | None = None):
        self.findings = list(findings or [])
        detail = "; ".join(str(f) for f in self.findings[:5])
        super().__init__(f"{message}{': ' + detail if detail else ''}")


@dataclass
class Coverage:
    """Dictionary variables the generator did not fill, and generated columns the dictionary lacks."""

    tidak_diisi: dict[str, list[str]] = field(default_factory=dict)
    tanpa_kamus: dict[str, list[str]] = field(default_factory=dict)


def check_columns(unit: str, cols: Columns, coverage: Coverage, *, core: tuple[str, ...] = ()) -> Columns:
    """Validate against the dictionary; returns only the columns the dictionary knows.

    ``core`` names model columns that are written even when the dictionary does not list them.
    """
    spec = unit_spec(unit)
    known = {k: v for k, v in cols.items() if k in spec or k in core}
    missing = sorted(k for k, v in spec.items() if v.penyimpanan == ATRIBUT and k not in cols)
    unknown = sorted(k for k in cols if k not in spec and k not in core)
    if missing:
        coverage.tidak_diisi[unit] = missing
    if unknown:
        coverage.tanpa_kamus[unit] = unknown
    numeric = {k: v for k, v in known.items() if k in spec and spec[k].tipe in NUMERIC}
    findings = validate_columns(unit, numeric)
    for k, v in numeric.items():
        if spec[k].tipe in (KODE, BILANGAN):
            present = ~np.isnan(v)
            if not np.array_equal(v[present], np.round(v[present])):
                findings.append(Finding(rule="tipe", column=k, message="bukan bilangan bulat"))
    if findings:
        raise SynthBug(f"data sintetis {unit} tidak lolos kamus data", findings)
    return known


def _python_values(tipe: str, values: np.ndarray) -> list[Any]:
    """Stored Python values of one column slice (None where missing), as the registry stores them."""
    if tipe == TANGGAL:
        present = ~np.isnat(values)
        out = np.datetime_as_string(values, unit="D").astype(object)
    elif tipe in NUMERIC:
        present = ~np.isnan(values)
        out = (np.round(values, 3) if tipe == DESIMAL else np.where(present, values, 0).astype(np.int64)).astype(object)
    else:
        out = np.asarray(values, dtype=object)
        present = np.array([v not in (None, "") for v in out.tolist()], dtype=bool)
    out[~present] = None
    return out.tolist()


def atribut_json(unit: str, cols: Columns, n: int, chunk: int = 20_000) -> Iterator[str]:
    """One JSON object text per row with the unit's attribute (non-core) variables.

    Missing values are left out of the object. Lazy and chunked: the Python values of all
    rows at once would take several times the memory of the finished texts.
    """
    spec = unit_spec(unit)
    names = sorted(k for k in cols if k in spec and spec[k].penyimpanan == ATRIBUT)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        values = [_python_values(spec[k].tipe, cols[k][start:stop]) for k in names]
        for row in zip(*values, strict=True) if names else [()] * (stop - start):
            yield json.dumps({k: v for k, v in zip(names, row, strict=True) if v is not None}, ensure_ascii=False)
