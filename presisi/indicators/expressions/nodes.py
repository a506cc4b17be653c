"""The syntax tree. Positions (0-based character index) are not part of node equality."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

# --------------------------------------------------------------------------------------------
# Values (arithmetic)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Number:
    value: Decimal
    is_integer: bool
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Variable:
    name: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Param:
    name: str
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Negate:
    operand: Value
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BinaryOp:
    op: str  # + - * /
    left: Value
    right: Value
    position: int = field(default=0, compare=False)  # of the operator


Value = Number | Variable | Param | Negate | BinaryOp

# --------------------------------------------------------------------------------------------
# Conditions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Compare:
    op: str  # == != < <= > >=
    left: Value
    right: Value
    position: int = field(default=0, compare=False)  # of the operator


@dataclass(frozen=True)
class InList:
    value: Value
    items: tuple[Number, ...]
    negated: bool = False
    position: int = field(default=0, compare=False)  # of 'in' (or 'not')


@dataclass(frozen=True)
class Between:
    value: Value
    low: Number
    high: Number
    negated: bool = False
    position: int = field(default=0, compare=False)  # of 'between' (or 'not')


@dataclass(frozen=True)
class IsNull:
    value: Value
    negated: bool = False
    position: int = field(default=0, compare=False)  # of 'is'


@dataclass(frozen=True)
class Not:
    operand: Condition
    position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoolOp:
    op: str  # and | or
    operands: tuple[Condition, ...]  # two or more, flat
    position: int = field(default=0, compare=False)  # of the first operator


Condition = Compare | InList | Between | IsNull | Not | BoolOp

# --------------------------------------------------------------------------------------------
# Aggregates and the linear combination of aggregates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    unit: str | None  # None: the indicator's default unit
    condition: Condition | None  # None: all rows
    position: int = field(default=0, compare=False)
    unit_position: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Sum:
    unit: str | None
    value: Value
    condition: Condition | None = None
    position: int = field(default=0, compare=False)
    unit_position: int = field(default=0, compare=False)


Aggregate = Count | Sum
Node = Value | Condition | Aggregate


@dataclass(frozen=True)
class Term:
    coefficient: Decimal
    aggregate: Aggregate


@dataclass(frozen=True)
class AggregateExpr:
    """``constant + sum(coefficient * aggregate)``: the normalised form of a numerator/denominator."""

    terms: tuple[Term, ...]
    constant: Decimal = Decimal(0)
    text: str = field(default="", compare=False, repr=False)


# --------------------------------------------------------------------------------------------
# Walking
# --------------------------------------------------------------------------------------------


def children(node: Node) -> tuple[Node, ...]:
    match node:
        case Negate(operand=operand):
            return (operand,)
        case BinaryOp(left=left, right=right) | Compare(left=left, right=right):
            return (left, right)
        case InList(value=value) | Between(value=value) | IsNull(value=value):
            return (value,)
        case Not(operand=operand):
            return (operand,)
        case BoolOp(operands=operands):
            return operands
        case Count(condition=condition):
            return () if condition is None else (condition,)
        case Sum(value=value, condition=condition):
            return (value,) if condition is None else (value, condition)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node`` (itself included), without recursion."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def deepest(node: Node) -> tuple[int, Node]:
    """(depth, deepest node) of the tree under ``node``; a leaf has depth 1. Iterative."""
    best: tuple[int, Node] = (1, node)
    stack: list[tuple[Node, int]] = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > best[0]:
            best = (depth, current)
        stack.extend((child, depth + 1) for child in children(current))
    return best


# --------------------------------------------------------------------------------------------
# Canonical text
# --------------------------------------------------------------------------------------------

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def number_text(value: Decimal) -> str:
    return format(value, "f")


def _coefficient_text(value: Decimal) -> str:
    """Coefficients made by a division (1/3) are rounded to a float's 17 significant digits."""
    if len(value.as_tuple().digits) > 17:
        value = Decimal(repr(float(value)))
    return number_text(value)


def value_text(node: Value) -> str:
    match node:
        case Number(value=value):
            return number_text(value)
        case Variable(name=name):
            return name
        case Param(name=name):
            return f"param({name})"
        case Negate(operand=operand):
            inner = value_text(operand)
            return f"-({inner})" if isinstance(operand, BinaryOp) or inner.startswith("-") else f"-{inner}"
        case BinaryOp(op=op, left=left, right=right):
            return f"{_operand_text(left, op, right=False)} {op} {_operand_text(right, op, right=True)}"
    raise TypeError(f"not a value node: {node!r}")


def _operand_text(node: Value, op: str, *, right: bool) -> str:
    text = value_text(node)
    if isinstance(node, BinaryOp):
        mine, theirs = _PRECEDENCE[op], _PRECEDENCE[node.op]
        if theirs < mine or (right and theirs == mine and op in "-/"):
            return f"({text})"
    if right and text.startswith("-"):
        return f"({text})"
    return text


def condition_text(node: Condition) -> str:
    match node:
        case Compare(op=op, left=left, right=right):
            return f"{value_text(left)} {op} {value_text(right)}"
        case InList(value=value, items=items, negated=negated):
            listed = ", ".join(number_text(item.value) for item in items)
            return f"{value_text(value)} {'not in' if negated else 'in'} ({listed})"
        case Between(value=value, low=low, high=high, negated=negated):
            word = "not between" if negated else "between"
            return f"{value_text(value)} {word} {number_text(low.value)} and {number_text(high.value)}"
        case IsNull(value=value, negated=negated):
            return f"{value_text(value)} is {'not kosong' if negated else 'kosong'}"
        case Not(operand=operand):
            return f"not ({condition_text(operand)})"
        case BoolOp(op=op, operands=operands):
            parts = [condition_text(o) for o in operands]
            if op == "and":
                parts = [f"({p})" if isinstance(o, BoolOp) else p
                         for p, o in zip(parts, operands, strict=True)]
            return f" {op} ".join(parts)
    raise TypeError(f"not a condition node: {node!r}")


def aggregate_text(node: Aggregate) -> str:
    if isinstance(node, Count):
        head = f"{node.unit}:" if node.unit else ""
        body = condition_text(node.condition) if node.condition else ""
        return f"count({head}{' ' if head and body else ''}{body})"
    prefix = f"{node.unit}: " if node.unit else ""
    where = f" where {condition_text(node.condition)}" if node.condition else ""
    return f"sum({prefix}{value_text(node.value)}{where})"


def format_expression(expr: AggregateExpr) -> str:
    """Canonical text of ``expr``; parsing it again gives an equal tree (up to coefficient rounding)."""
    parts: list[str] = []
    for term in expr.terms:
        coefficient, text = term.coefficient, aggregate_text(term.aggregate)
        sign = "-" if coefficient < 0 else "+"
        magnitude = abs(coefficient)
        body = text if magnitude == 1 else f"{_coefficient_text(magnitude)} * {text}"
        parts.append(f"{sign} {body}")
    if expr.constant or not parts:
        parts.append(f"{'-' if expr.constant < 0 else '+'} {_coefficient_text(abs(expr.constant))}")
    joined = " ".join(parts)
    return joined[2:] if joined.startswith("+ ") else "-" + joined[2:]
