"""Checking generated columns against the data dictionary and turning them into stored values.

Every column goes through ``validate_columns`` before anything is written; a finding means
the generator is wrong, so it raises. Attributes are written as JSON text in the form the
registry services store (codes and counts as integers, decimals as floats, dates as ISO
text); a missing value is left out of the object rather than stored as null.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

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
    known = {k: v for k, v in cols.items() if k in spec}
    missing = sorted(k for k, v in spec.items() if v.penyimpanan == ATRIBUT and k not in cols)
    unknown = sorted(k for k in cols if k not in spec and k not in core)
    if missing:
        coverage.tidak_diisi[unit] = missing
    if unknown:
        coverage.tanpa_kamus[unit] = unknown
    numeric = {k: v for k, v in known.items() if spec[k].tipe in NUMERIC}
    findings = validate_columns(unit, numeric)
    for k, v in numeric.items():
        if spec[k].tipe in (KODE, BILANGAN):
            present = ~np.isnan(v)
            if not np.array_equal(v[present], np.round(v[present])):
                findings.append(Finding(rule="tipe", column=k, message="bukan bilangan bulat"))
    if findings:
        raise SynthBug(f"data sintetis {unit} tidak lolos kamus data", findings)
    return known


def _fragments(key: str, tipe: str, values: np.ndarray) -> list[str]:
    """'"key": value' per row ('' when missing), built column-wise."""
    head = json.dumps(key) + ": "
    if tipe == TANGGAL:
        present = ~np.isnat(values)
        text = np.where(present, np.datetime_as_string(values, unit="D"), "")
        return [f'{head}"{t}"' if t else "" for t in text.tolist()]
    if tipe in NUMERIC:
        present = ~np.isnan(values)
        if tipe == DESIMAL:
            items = np.round(np.where(present, values, 0.0), 3).tolist()
        else:
            items = np.where(present, values, 0).astype(np.int64).tolist()
        return [head + repr(v) if p else "" for v, p in zip(items, present.tolist(), strict=True)]
    return [head + json.dumps(v, ensure_ascii=False) if v not in (None, "") else "" for v in values.tolist()]


def atribut_json(unit: str, cols: Columns, n: int) -> list[str]:
    """One JSON object text per row with the unit's attribute (non-core) variables."""
    spec = unit_spec(unit)
    names = sorted(k for k in cols if spec[k].penyimpanan == ATRIBUT)
    if not names:
        return ["{}"] * n
    frags = [_fragments(k, spec[k].tipe, cols[k]) for k in names]
    return ["{" + ", ".join(filter(None, row)) + "}" for row in zip(*frags, strict=True)]
