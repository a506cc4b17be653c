"""Conditions written by data stewards (``kondisi`` rules), checked against the dictionary and
evaluated over whole columns of a Frame.

The condition describes a VIOLATION, e.g. ``umur < 15 and status_kawin == 2``. Syntax is a
small, safe subset of Python expressions: ``and or not``, ``== != < <= > >=``, ``in [..]``,
``+ - * /``, numbers, 'text', 'TTTT-BB-HH' dates, and ``kosong(x)`` / ``terisi(x)``. A single
``=`` is read as ``==`` and AND/OR/NOT in capitals are accepted. Names are the dictionary
variables of the rule's unit plus ``umur`` (completed years on the period's reference date).
A record is checked only when every variable the condition uses is filled in (outside
``kosong``/``terisi``), as DHIS2's default missing-value strategy does.

This module is the adapter in front of the project's expression language
(``presisi.indicators.expressions``): conditions must be evaluated on file rows that are
not in the database yet, so evaluation stays here, over numpy columns.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from presisi.core.exceptions import Finding
from presisi.dictionary.models import BILANGAN, DESIMAL, KODE, TANGGAL
from presisi.dictionary.validation import VarSpec, unit_spec
from presisi.validation.frames import Frame

DERIVED = {"umur": "umur (tahun penuh pada tanggal acuan periode)"}
FUNCTIONS = {"kosong", "terisi"}
_CMP = {ast.Eq: np.equal, ast.NotEq: np.not_equal, ast.Lt: np.less, ast.LtE: np.less_equal,
        ast.Gt: np.greater, ast.GtE: np.greater_equal}
_ARITH = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}
_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare, ast.BinOp,
            ast.Name, ast.Load, ast.Constant, ast.List, ast.Tuple, ast.Call, ast.In, ast.NotIn,
            *_CMP, *_ARITH)
_SINGLE_EQ = re.compile(r"(?<![<>!=])=(?!=)")
_WORDS = re.compile(r"\b(AND|OR|NOT|IN)\b")


@dataclass(frozen=True)
class Kondisi:
    teks: str
    unit: str
    tree: ast.Expression
    variabel: frozenset[str]  # variables whose absence skips the record


def _normalize(teks: str) -> str:
    text = _SINGLE_EQ.sub("==", teks.strip())
    return _WORDS.sub(lambda m: m.group(1).lower(), text)


def _finding(rule: str, teks: str, message: str) -> Finding:
    return Finding(rule=rule, column="kondisi", value=teks, message=message)


def kondisi_periksa(teks: str, unit: str) -> tuple[Kondisi | None, list[Finding]]:
    """Parse and check a condition against the dictionary; (condition, []) or (None, findings)."""
    if not (teks or "").strip():
        return None, [_finding("kondisi_kosong", teks, "kondisi wajib diisi")]
    try:
        tree = ast.parse(_normalize(teks), mode="eval")
    except SyntaxError as exc:
        return None, [_finding("kondisi_sintaks", teks,
                               f"kondisi tidak dapat dibaca di dekat karakter ke-{exc.offset or 0}: {exc.msg}")]
    spec = unit_spec(unit)
    findings: list[Finding] = []
    used: set[str] = set()
    _check(tree.body, spec, unit, teks, findings, used, inside_fn=False)
    if not findings and not isinstance(tree.body, ast.BoolOp | ast.Compare | ast.UnaryOp | ast.Call):
        findings.append(_finding("kondisi_bukan_logika", teks,
                                 "kondisi harus bernilai benar/salah, mis. umur < 15 and status_kawin == 2"))
    if findings:
        return None, findings
    return Kondisi(teks=teks, unit=unit, tree=tree, variabel=frozenset(used)), []


def _check(node: ast.AST, spec: dict[str, VarSpec], unit: str, teks: str, findings: list[Finding],
           used: set[str], *, inside_fn: bool) -> None:
    if not isinstance(node, _ALLOWED):
        findings.append(_finding("kondisi_sintaks", teks, f"bentuk '{type(node).__name__}' tidak diizinkan"))
        return
    if isinstance(node, ast.Name):
        if node.id not in spec and node.id not in DERIVED:
            sample = ", ".join(list(DERIVED) + sorted(spec)[:8])
            findings.append(_finding("kondisi_variabel", teks,
                                     f"variabel '{node.id}' tidak ada dalam kamus data untuk unit {unit} "
                                     f"(contoh: {sample}, …)"))
        elif not inside_fn:
            used.add(node.id)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS or len(node.args) != 1 \
                or node.keywords or not isinstance(node.args[0], ast.Name):
            findings.append(_finding("kondisi_fungsi", teks, "fungsi yang tersedia hanya kosong(variabel) "
                                                             "dan terisi(variabel)"))
            return
        _check(node.args[0], spec, unit, teks, findings, used, inside_fn=True)
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float | str):
            findings.append(_finding("kondisi_sintaks", teks, f"nilai {node.value!r} tidak diizinkan"))
        return
    if isinstance(node, ast.Compare):
        _check_codes(node, spec, teks, findings)
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr_context | ast.boolop | ast.cmpop | ast.operator | ast.unaryop):
            continue
        _check(child, spec, unit, teks, findings, used, inside_fn=inside_fn)


def _constants(node: ast.AST) -> list[Any]:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        return [-node.operand.value]
    return []


def _check_codes(node: ast.Compare, spec: dict[str, VarSpec], teks: str, findings: list[Finding]) -> None:
    """A code compared with a number that is not in its code list, or a number with text, is a typo."""
    parts = [node.left, *node.comparators]
    for a, b in zip(parts, parts[1:], strict=False):
        for name, other in ((a, b), (b, a)):
            if not isinstance(name, ast.Name) or name.id not in spec:
                continue
            var = spec[name.id]
            for value in _constants(other):
                if var.tipe in (KODE, BILANGAN, DESIMAL) and isinstance(value, str):
                    findings.append(_finding("kondisi_tipe", teks, f"{name.id} berisi angka, bukan teks '{value}'"))
                elif var.tipe == KODE and value not in var.codes:
                    findings.append(_finding(
                        "kondisi_kode", teks,
                        f"kode {value} tidak ada dalam klasifikasi {var.nama} "
                        f"({', '.join(f'{k}={lbl}' for k, lbl in var.labels[:12])})"))
                elif var.tipe == TANGGAL:
                    try:
                        dt.date.fromisoformat(str(value))
                    except ValueError:
                        findings.append(_finding("kondisi_tipe", teks,
                                                 f"{name.id} dibandingkan dengan '{value}'; tulis tanggal TTTT-BB-HH"))


def kondisi_evaluasi(kondisi: Kondisi, frame: Frame) -> np.ndarray:
    """Boolean mask of the frame's records that satisfy (i.e. violate by) the condition."""
    if frame.n == 0:
        return np.zeros(0, dtype=bool)
    result = np.asarray(_eval(kondisi.tree.body, frame), dtype=bool)
    if result.ndim == 0:
        result = np.full(frame.n, bool(result))
    for name in kondisi.variabel:
        result &= frame.present(name)
    return result


def _column(frame: Frame, name: str) -> np.ndarray:
    if name in frame.cols:
        return frame.cols[name]
    var = unit_spec(frame.unit).get(name)
    if var is not None and var.tipe == TANGGAL:
        return frame.dates(name)
    if var is not None and var.tipe not in (KODE, BILANGAN, DESIMAL):
        return frame.text(name)
    return frame.num(name)


def _eval(node: ast.AST, frame: Frame) -> Any:
    if isinstance(node, ast.Name):
        return _column(frame, node.id)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, frame) for e in node.elts]
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, frame)
        return np.logical_not(value) if isinstance(node.op, ast.Not) else -np.asarray(value)
    if isinstance(node, ast.BoolOp):
        values = [np.asarray(_eval(v, frame), dtype=bool) for v in node.values]
        op = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        out = values[0]
        for v in values[1:]:
            out = op(out, v)
        return out
    if isinstance(node, ast.BinOp):
        return _ARITH[type(node.op)](np.asarray(_eval(node.left, frame), dtype=float),
                                     np.asarray(_eval(node.right, frame), dtype=float))
    if isinstance(node, ast.Call):
        present = frame.present(node.args[0].id)
        return ~present if node.func.id == "kosong" else present
    if isinstance(node, ast.Compare):
        return _compare(node, frame)
    raise ValueError(f"bentuk {type(node).__name__} tidak didukung")


def _as_operand(value: Any, like: Any) -> Any:
    """Dates written as text become datetime64 when compared with a date column."""
    if isinstance(value, str) and isinstance(like, np.ndarray) and like.dtype.kind == "M":
        return np.datetime64(value, "D")
    return value


def _compare(node: ast.Compare, frame: Frame) -> np.ndarray:
    left = _eval(node.left, frame)
    out = np.ones(frame.n, dtype=bool)
    for op, comp in zip(node.ops, node.comparators, strict=True):
        right = _eval(comp, frame)
        left_v, right_v = _as_operand(left, right), _as_operand(right, left)
        if isinstance(op, ast.In | ast.NotIn):
            values = [_as_operand(v, left_v) for v in (right_v if isinstance(right_v, list) else [right_v])]
            mask = np.isin(left_v, values)
            mask = ~mask if isinstance(op, ast.NotIn) else mask
        else:
            mask = np.asarray(_CMP[type(op)](left_v, right_v), dtype=bool)
        out &= np.broadcast_to(mask, (frame.n,))
        left = right
    return out
