"""Semantic checks of a parsed expression against a :class:`Catalog` (units, variables, types, codes)."""

from __future__ import annotations

from presisi.indicators.expressions.catalog import (
    BILANGAN,
    DESIMAL,
    KODE,
    TANGGAL,
    TEKS,
    TIPES,
    UNITS,
    Catalog,
    VariableInfo,
    param_value,
)
from presisi.indicators.expressions.errors import ExpressionError, Issue
from presisi.indicators.expressions.nodes import (
    Aggregate,
    AggregateExpr,
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
    Sum,
    Value,
    Variable,
)
from presisi.indicators.expressions.parser import parse

LITERAL, COMPUTED = "angka", "hasil hitungan"  # kinds of values that are not variables
NUMERIC = frozenset({BILANGAN, DESIMAL, LITERAL, COMPUTED})
NULL_TEST_ONLY = frozenset({TEKS, TANGGAL})
MAX_LISTED_CODES = 20


def _variable_name(node: Value) -> str:
    return node.name if isinstance(node, Variable) else "?"


class _Checker:
    def __init__(self, catalog: Catalog, default_unit: str) -> None:
        self.catalog = catalog
        self.default_unit = default_unit
        self.unit: str | None = None
        self.issues: list[Issue] = []
        self._infos: dict[tuple[str, str], VariableInfo | None] = {}

    def add(self, position: int, message: str) -> None:
        self.issues.append(Issue(position, message))

    def run(self, expr: AggregateExpr) -> list[Issue]:
        for term in expr.terms:
            self.aggregate(term.aggregate)
        return sorted(self.issues, key=lambda issue: issue.position)

    # -- aggregates ----------------------------------------------------------------------------

    def aggregate(self, node: Aggregate) -> None:
        if node.unit is not None and node.unit not in UNITS:
            self.add(node.unit_position,
                     f"unit '{node.unit}' tidak dikenal; pilih salah satu: {', '.join(UNITS)}")
            self.unit = None
        elif node.unit is None and self.default_unit not in UNITS:
            name = "count" if isinstance(node, Count) else "sum"
            self.add(node.position,
                     f"{name}(...) tanpa awalan unit memakai unit bawaan indikator, tetapi unit bawaan "
                     f"'{self.default_unit}' tidak dikenal; isi unit indikator atau tulis mis. {name}(individu: ...)")
            self.unit = None
        else:
            self.unit = node.unit or self.default_unit
        if isinstance(node, Sum):
            kind = self.value_kind(node.value)
            if kind is not None and kind not in NUMERIC:
                self.add(node.value.position,
                         f"sum(...) hanya dapat menjumlahkan nilai numerik; variabel {kind} "
                         f"'{_variable_name(node.value)}' tidak dapat dijumlahkan (gunakan count(...) untuk "
                         "menghitung baris)")
        if node.condition is not None:
            self.condition(node.condition)

    # -- values --------------------------------------------------------------------------------

    def info(self, name: str) -> VariableInfo | None:
        if self.unit is None:
            return None
        key = (self.unit, name)
        if key not in self._infos:
            self._infos[key] = self.catalog.variable(self.unit, name)
        return self._infos[key]

    def value_kind(self, node: Value) -> str | None:
        """The value's type (a tipe, LITERAL or COMPUTED), or None when unknown (already reported)."""
        match node:
            case Number():
                return LITERAL
            case Param():
                return self.param(node)
            case Variable():
                return self.variable(node)
            case Negate(operand=operand):
                return COMPUTED if self.arithmetic_operand(operand) else None
            case BinaryOp(op=op, left=left, right=right):
                left_ok = self.arithmetic_operand(left)
                right_ok = self.arithmetic_operand(right)
                if op == "/" and isinstance(right, Number) and right.value == 0:
                    self.add(node.position, "pembagian dengan nol")
                return COMPUTED if left_ok and right_ok else None
        raise TypeError(f"not a value node: {node!r}")

    def variable(self, node: Variable) -> str | None:
        if self.unit is None:
            return None
        info = self.info(node.name)
        if info is None:
            self.add(node.position, f"variabel '{node.name}' tidak ada untuk unit {self.unit}")
            return None
        if info.tipe not in TIPES:
            self.add(node.position, f"variabel '{node.name}' bertipe '{info.tipe}' yang tidak didukung")
            return None
        return info.tipe

    def param(self, node: Param) -> str | None:
        raw = self.catalog.param(node.name)
        if raw is None:
            self.add(node.position, f"parameter '{node.name}' tidak ada dalam katalog")
            return None
        if param_value(raw) is None:
            self.add(node.position, f"nilai parameter '{node.name}' bukan bilangan yang sah: {raw!r}")
            return None
        return COMPUTED

    def arithmetic_operand(self, node: Value) -> bool:
        kind = self.value_kind(node)
        if kind in (KODE, TEKS, TANGGAL):
            reason = " (kode adalah label klasifikasi, bukan bilangan)" if kind == KODE else ""
            self.add(node.position,
                     f"variabel {kind} '{_variable_name(node)}' tidak boleh dipakai dalam operasi "
                     f"aritmetika{reason}")
            return False
        return kind is not None

    # -- conditions ----------------------------------------------------------------------------

    def condition(self, node: Condition) -> None:
        match node:
            case Compare():
                self.compare(node)
            case InList():
                self.in_list(node)
            case Between():
                self.between(node)
            case IsNull(value=value):
                self.value_kind(value)
            case Not(operand=operand):
                self.condition(operand)
            case BoolOp(operands=operands):
                for operand in operands:
                    self.condition(operand)

    def null_test_only(self, node: Value, kind: str) -> None:
        self.add(node.position,
                 f"variabel {kind} '{_variable_name(node)}' hanya boleh dipakai dengan 'is kosong' atau "
                 "'is not kosong'")

    def compare(self, node: Compare) -> None:
        left_kind, right_kind = self.value_kind(node.left), self.value_kind(node.right)
        sides = ((node.left, left_kind, node.right), (node.right, right_kind, node.left))
        if any(kind in NULL_TEST_ONLY for _, kind, _ in sides):
            for side, kind, _ in sides:
                if kind in NULL_TEST_ONLY:
                    self.null_test_only(side, kind)
            return
        for side, kind, other in sides:
            if kind != KODE:
                continue
            if node.op not in ("==", "!="):
                self.add(node.position,
                         f"variabel kode '{_variable_name(side)}' hanya boleh dibandingkan dengan ==, !=, "
                         f"in, not in atau is kosong; operator '{node.op}' tidak berlaku untuk kode")
            else:
                self.code_literal(side, other)

    def code_literal(self, variable: Value, literal: Value) -> None:
        info = self.info(_variable_name(variable))
        if info is None:
            return
        if not (isinstance(literal, Number) and literal.is_integer):
            self.add(literal.position,
                     f"variabel kode '{info.name}' hanya boleh dibandingkan dengan angka kode bulat, "
                     f"mis. {info.name} == 1")
            return
        code = int(literal.value)
        if info.codes and code not in info.codes:
            listed = ""
            if len(info.codes) <= MAX_LISTED_CODES:
                listed = f" (kode yang tersedia: {', '.join(str(c) for c in sorted(info.codes))})"
            self.add(literal.position, f"kode {code} tidak ada dalam klasifikasi {info.name}{listed}")

    def in_list(self, node: InList) -> None:
        kind = self.value_kind(node.value)
        if kind in NULL_TEST_ONLY:
            self.null_test_only(node.value, kind)
        elif kind == KODE:
            for item in node.items:
                self.code_literal(node.value, item)

    def between(self, node: Between) -> None:
        kind = self.value_kind(node.value)
        if kind in NULL_TEST_ONLY:
            self.null_test_only(node.value, kind)
        elif kind == KODE:  # a range of codes, e.g. "angkatan kerja = kode 1-6"
            self.code_literal(node.value, node.low)
            self.code_literal(node.value, node.high)
        if node.low.value > node.high.value:
            self.add(node.low.position,
                     f"batas bawah 'between' ({node.low.value}) lebih besar daripada batas atas "
                     f"({node.high.value})")


def find_issues(expr: AggregateExpr | str, *, default_unit: str, catalog: Catalog) -> list[Issue]:
    """Every problem of ``expr`` (text is parsed first; a syntax error is the only issue then)."""
    if isinstance(expr, str):
        try:
            expr = parse(expr)
        except ExpressionError as error:
            return list(error.issues)
    return _Checker(catalog, default_unit).run(expr)


def check(expr: AggregateExpr | str, *, default_unit: str, catalog: Catalog) -> list[str]:
    """Semantic problems of ``expr`` as Indonesian messages with their position; [] if fine."""
    return [str(issue) for issue in find_issues(expr, default_unit=default_unit, catalog=catalog)]
