"""Conditions written by data stewards (``kondisi`` rules): the project's expression language
(``presisi.indicators.expressions``), checked against the dictionary and evaluated over whole
numpy columns of a Frame.

The condition describes a VIOLATION, e.g. ``umur < 15 and status_kawin == 2``; it is the
condition of a ``count(...)`` in the indicator language (``and or not`` / ``dan atau bukan``,
``== != < <= > >=``, ``in (..)``, ``between a and b``, ``is [not] kosong``, arithmetic,
``param(x)``). Names are the dictionary variables of the rule's unit plus ``umur``
(completed years on the period's reference date).

Evaluation follows the SQL semantics the language documents: a comparison with a missing
value is neither true nor false, so that record is not reported; only ``is kosong`` looks
at missing values. Rules run on file rows before they reach the database, so this module
evaluates the parsed tree with numpy (as true/false masks) rather than compiling SQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from presisi.core.exceptions import Finding
from presisi.dictionary.models import BILANGAN, DESIMAL, KODE
from presisi.dictionary.validation import unit_spec
from presisi.indicators.expressions import ExpressionError, VariableInfo, find_issues, parse
from presisi.indicators.expressions.nodes import (
    Between,
    BinaryOp,
    BoolOp,
    Compare,
    Condition,
    Count,
    InList,
    IsNull,
    Negate,
    Not,
    Number,
    Param,
    Value,
    Variable,
    walk,
)
from presisi.validation.frames import Frame

DERIVED = {"umur": BILANGAN}
_PREFIX = "count("


def _params() -> dict[str, float]:
    try:
        from presisi.indicators.params import parameter_values

        return parameter_values(dt.date.today())
    except Exception:  # parameters are optional for validation rules
        return {}


class KondisiCatalog:
    """The checker's view of one unit: every dictionary variable (all types) plus ``umur``."""

    def __init__(self, unit: str, params: dict[str, float] | None = None):
        self.unit = unit
        self._vars = {k: VariableInfo(name=k, unit=unit, tipe=v.tipe, codes=v.codes if v.tipe == KODE else frozenset())
                      for k, v in unit_spec(unit).items()}
        self._vars.update({k: VariableInfo(name=k, unit=unit, tipe=t) for k, t in DERIVED.items()})
        self._params = _params() if params is None else params

    def variable(self, unit: str, name: str) -> VariableInfo | None:
        return self._vars.get(name) if unit == self.unit else None

    def param(self, name: str) -> float | None:
        return self._params.get(name)


@dataclass(frozen=True)
class Kondisi:
    teks: str
    unit: str
    tree: Condition
    variabel: frozenset[str]
    params: dict[str, float]


def _finding(teks: str, position: int, message: str, rule: str = "kondisi_sintaks") -> Finding:
    where = f"karakter ke-{max(position - len(_PREFIX), 0) + 1}: " if position >= len(_PREFIX) else ""
    return Finding(rule=rule, column="kondisi", value=teks, message=where + message)


def kondisi_periksa(teks: str, unit: str) -> tuple[Kondisi | None, list[Finding]]:
    """Parse and check a condition against the dictionary; (condition, []) or (None, findings)."""
    text = (teks or "").strip()
    if not text:
        return None, [Finding(rule="kondisi_kosong", column="kondisi", value=teks, message="kondisi wajib diisi")]
    if ")" in text and text.count("(") < text.count(")"):
        return None, [_finding(teks, 0, "tanda kurung tutup tanpa pasangan")]
    wrapped = f"{_PREFIX}{text})"
    try:
        expr = parse(wrapped)
    except ExpressionError as exc:
        return None, [_finding(teks, i.position, i.message) for i in exc.issues]
    if len(expr.terms) != 1 or expr.constant or not isinstance(expr.terms[0].aggregate, Count) \
            or expr.terms[0].aggregate.unit is not None or expr.terms[0].aggregate.condition is None:
        return None, [_finding(teks, 0, "tulis satu kondisi saja, mis. umur < 15 and status_kawin == 2")]
    catalog = KondisiCatalog(unit)
    issues = find_issues(expr, default_unit=unit, catalog=catalog)
    if issues:
        return None, [_finding(teks, i.position, i.message, "kondisi_kamus") for i in issues]
    condition = expr.terms[0].aggregate.condition
    names = frozenset(n.name for n in walk(condition) if isinstance(n, Variable))
    return Kondisi(teks=text, unit=unit, tree=condition, variabel=names, params=catalog._params), []


def kondisi_evaluasi(kondisi: Kondisi, frame: Frame) -> np.ndarray:
    """Boolean mask of the frame's records for which the condition is true (i.e. that violate)."""
    if frame.n == 0:
        return np.zeros(0, dtype=bool)
    true, _ = _cond(kondisi.tree, frame, kondisi.params)
    return np.broadcast_to(true, (frame.n,)).copy()


def _column(frame: Frame, name: str) -> np.ndarray:
    """Numbers as floats (NaN = missing); text and dates as 'present' markers (1.0 / NaN)."""
    col = frame.cols.get(name)
    var = unit_spec(frame.unit).get(name)
    if col is None:
        return np.full(frame.n, np.nan)
    if col.dtype.kind == "f":
        return col
    if var is not None and var.tipe in (KODE, BILANGAN, DESIMAL):
        return col.astype(float)
    return np.where(frame.present(name), 1.0, np.nan)


def _value(node: Value, frame: Frame, params: dict[str, float]) -> np.ndarray | float:
    if isinstance(node, Number):
        return float(node.value)
    if isinstance(node, Variable):
        return _column(frame, node.name)
    if isinstance(node, Param):
        return float(params.get(node.name, np.nan))
    if isinstance(node, Negate):
        return -np.asarray(_value(node.operand, frame, params))
    if isinstance(node, BinaryOp):
        left = np.asarray(_value(node.left, frame, params), dtype=float)
        right = np.asarray(_value(node.right, frame, params), dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if node.op == "/":
                return np.where(right == 0, np.nan, left / np.where(right == 0, 1, right))
            return {"+": np.add, "-": np.subtract, "*": np.multiply}[node.op](left, right)
    raise ValueError(f"nilai {type(node).__name__} tidak didukung")


_CMP = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
        ">=": np.greater_equal}


def _cond(node: Condition, frame: Frame, params: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """(definitely true, definitely false) masks: SQL three-valued logic over numpy arrays."""
    if isinstance(node, Compare):
        left = np.asarray(_value(node.left, frame, params), dtype=float)
        right = np.asarray(_value(node.right, frame, params), dtype=float)
        known = ~np.isnan(left) & ~np.isnan(right)
        result = _CMP[node.op](left, right)
        return known & result, known & ~result
    if isinstance(node, InList | Between):
        value = np.asarray(_value(node.value, frame, params), dtype=float)
        known = ~np.isnan(value)
        if isinstance(node, InList):
            result = np.isin(value, [float(i.value) for i in node.items])
        else:
            result = (value >= float(node.low.value)) & (value <= float(node.high.value))
        result = ~result if node.negated else result
        return known & result, known & ~result
    if isinstance(node, IsNull):
        missing = np.isnan(np.asarray(_value(node.value, frame, params), dtype=float))
        result = ~missing if node.negated else missing
        return result, ~result
    if isinstance(node, Not):
        true, false = _cond(node.operand, frame, params)
        return false, true
    if isinstance(node, BoolOp):
        parts = [_cond(o, frame, params) for o in node.operands]
        if node.op == "and":
            return np.logical_and.reduce([p[0] for p in parts]), np.logical_or.reduce([p[1] for p in parts])
        return np.logical_or.reduce([p[0] for p in parts]), np.logical_and.reduce([p[1] for p in parts])
    raise ValueError(f"kondisi {type(node).__name__} tidak didukung")
