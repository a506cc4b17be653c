"""Compilation of a checked expression to SQL aggregate fragments over the table alias ``t``.

Only three kinds of text reach the SQL: fixed keywords and operators written here, identifiers
that passed the catalogue and ``^[a-z][a-z0-9_]*$`` and are double-quoted, and numbers rendered
from parsed :class:`~decimal.Decimal` values. As a last guard, SQL containing ``;``, ``--``,
``/*``, ``*/``, a quote or a backslash is never returned.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from presisi.indicators.expressions.catalog import UNITS, Catalog, param_value
from presisi.indicators.expressions.checker import find_issues
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
    Value,
    Variable,
    walk,
)
from presisi.indicators.expressions.parser import parse

DIALECTS: tuple[str, ...] = ("sqlite", "postgresql")
TABLE_ALIAS = "t"
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
SQL_COMPARISON = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_FORBIDDEN_IN_SQL = (";", "--", "/*", "*/", "'", "\\")


@dataclass(frozen=True)
class CompiledAggregate:
    """One aggregate over the unit's table (alias ``t``); equal and hashed by (unit, sql)."""

    unit: str
    sql: str
    variables: frozenset[str] = field(default=frozenset(), compare=False)


@dataclass(frozen=True)
class CompiledExpression:
    """``constant + sum(coefficient * aggregate)``."""

    terms: list[tuple[float, CompiledAggregate]]
    constant: float = 0.0

    @property
    def aggregates(self) -> list[CompiledAggregate]:
        """The distinct aggregates, in order of first use."""
        return list(dict.fromkeys(aggregate for _, aggregate in self.terms))

    def variables(self) -> dict[str, set[str]]:
        """Unit -> variable names (see :func:`variables_used`)."""
        return variables_used(self)

    def evaluate(self, results: Mapping[CompiledAggregate, float | int | Decimal | None]) -> float:
        """Combine the aggregates' results; NULL (SUM over no rows) counts as 0."""
        total = self.constant
        for coefficient, aggregate in self.terms:
            result = results[aggregate]
            total += coefficient * (0.0 if result is None else float(result))
        return total

    def as_sql(self) -> str:
        """The whole combination as one SQL expression; only for terms of a single unit."""
        units = {aggregate.unit for _, aggregate in self.terms}
        if len(units) > 1:
            listed = ", ".join(sorted(units))
            raise ValueError(f"aggregates of several units ({listed}) need separate queries")
        parts = [f"{_float_sql(coefficient)} * COALESCE({aggregate.sql}, 0)"
                 for coefficient, aggregate in self.terms]
        parts.append(_float_sql(self.constant))
        return "(" + " + ".join(parts) + ")"


def _float_sql(value: float) -> str:
    return literal_sql(Decimal(repr(float(value))))


def literal_sql(value: Decimal) -> str:
    """A number as SQL text; negative numbers in parentheses so that no ``--`` can ever appear."""
    if not value.is_finite():
        raise ValueError(f"not a finite number: {value}")
    text = format(value, "f")
    return f"({text})" if text.startswith("-") else text


class _Compiler:
    def __init__(self, catalog: Catalog, text: str) -> None:
        self.catalog = catalog
        self.text = text

    def fail(self, position: int, message: str) -> ExpressionError:
        return ExpressionError(Issue(position, message), self.text)

    def aggregate(self, node: Aggregate, unit: str) -> CompiledAggregate:
        if unit not in UNITS:
            raise self.fail(node.unit_position, f"unit '{unit}' tidak dikenal")
        if isinstance(node, Count):
            sql = "COUNT(*)" if node.condition is None else \
                f"SUM(CASE WHEN {self.condition(node.condition)} THEN 1 ELSE 0 END)"
        else:
            summed = f"COALESCE({self.value(node.value)}, 0)"
            sql = f"SUM({summed})" if node.condition is None else \
                f"SUM(CASE WHEN {self.condition(node.condition)} THEN {summed} ELSE 0 END)"
        if any(marker in sql for marker in _FORBIDDEN_IN_SQL):  # unreachable by construction
            raise self.fail(node.position, "ekspresi menghasilkan SQL yang tidak aman")
        names = frozenset(n.name for n in walk(node) if isinstance(n, Variable))
        return CompiledAggregate(unit, sql, names)

    def column(self, node: Variable) -> str:
        if not IDENTIFIER.fullmatch(node.name):
            raise self.fail(node.position, f"nama variabel '{node.name}' tidak valid")
        return f'"{TABLE_ALIAS}"."{node.name}"'

    def value(self, node: Value) -> str:
        match node:
            case Number(value=value):
                return literal_sql(value)
            case Variable():
                return self.column(node)
            case Param(name=name):
                value = param_value(self.catalog.param(name))
                if value is None:
                    raise self.fail(node.position, f"parameter '{name}' tidak ada atau bukan bilangan")
                return literal_sql(value)
            case Negate(operand=operand):
                return f"(-{self.value(operand)})"
            case BinaryOp(op="/", left=left, right=right):
                return f"((1.0 * ({self.value(left)})) / NULLIF(({self.value(right)}), 0))"
            case BinaryOp(op=op, left=left, right=right):
                return f"({self.value(left)} {op} {self.value(right)})"
        raise TypeError(f"not a value node: {node!r}")

    def condition(self, node: Condition) -> str:
        match node:
            case Compare(op=op, left=left, right=right):
                return f"{self.value(left)} {SQL_COMPARISON[op]} {self.value(right)}"
            case InList(value=value, items=items, negated=negated):
                listed = ", ".join(literal_sql(item.value) for item in items)
                return f"{self.value(value)} {'NOT IN' if negated else 'IN'} ({listed})"
            case Between(value=value, low=low, high=high, negated=negated):
                word = "NOT BETWEEN" if negated else "BETWEEN"
                return f"({self.value(value)} {word} {literal_sql(low.value)} AND {literal_sql(high.value)})"
            case IsNull(value=value, negated=negated):
                return f"{self.value(value)} IS {'NOT NULL' if negated else 'NULL'}"
            case Not(operand=operand):
                return f"NOT ({self.condition(operand)})"
            case BoolOp(op=op, operands=operands):
                return "(" + f" {op.upper()} ".join(self.condition(o) for o in operands) + ")"
        raise TypeError(f"not a condition node: {node!r}")


def compile_expression(text: str, *, default_unit: str, catalog: Catalog, dialect: str) -> CompiledExpression:
    """Parse, check and compile ``text``; raises :class:`ExpressionError` listing every problem.

    The SQL is currently the same for both dialects (it sticks to what SQLite and PostgreSQL
    share); ``dialect`` is validated so that a dialect-specific rendering can be added later.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
    expr = parse(text)
    issues = find_issues(expr, default_unit=default_unit, catalog=catalog)
    if issues:
        raise ExpressionError(issues, text)
    compiler = _Compiler(catalog, text)
    terms = [(float(t.coefficient), compiler.aggregate(t.aggregate, t.aggregate.unit or default_unit))
             for t in expr.terms]
    return CompiledExpression(terms, float(expr.constant))


def variables_used(expr: AggregateExpr | CompiledExpression, *, default_unit: str | None = None
                   ) -> dict[str, set[str]]:
    """Unit -> names of the variables the expression reads ("variabel pembangun").

    Every unit that is aggregated appears, with an empty set for a bare ``count()``. For a
    parsed (not compiled) expression, ``default_unit`` resolves aggregates without a unit prefix.
    """
    used: dict[str, set[str]] = {}
    if isinstance(expr, CompiledExpression):
        for _, aggregate in expr.terms:
            used.setdefault(aggregate.unit, set()).update(aggregate.variables)
        return used
    for term in expr.terms:
        unit = term.aggregate.unit or default_unit
        if unit is None:
            raise ValueError("default_unit is needed for aggregates without a unit prefix")
        names = {node.name for node in walk(term.aggregate) if isinstance(node, Variable)}
        used.setdefault(unit, set()).update(names)
    return used
