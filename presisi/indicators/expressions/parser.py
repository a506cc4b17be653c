"""Recursive-descent parser: tokens -> :class:`AggregateExpr` (syntax only, no catalogue).

A parenthesis inside a condition may open either a condition, ``(a == 1 or b == 2) and ...``,
or arithmetic, ``(a + b) / 2 > 3``. The parser first tries a predicate (arithmetic then a
comparison); if that fails it backs up and reads ``'(' condition ')'``. If both fail, the error
that got further into the text is reported. Arithmetic never backtracks, so this costs at most
one extra pass per nesting level.

Outside ``count``/``sum`` only linear arithmetic is allowed: numbers, ``+``, ``-``, ``*`` and
``/`` by a number, parentheses. It is folded at parse time into ``constant + sum(c * aggregate)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from presisi.indicators.expressions.errors import MAX_DEPTH, ExpressionError, Issue
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
    Term,
    Value,
    Variable,
    deepest,
)
from presisi.indicators.expressions.tokenizer import END, KEYWORD, NAME, NUMBER, OP, Token, tokenize

COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
_TOO_DEEP = f"ekspresi terlalu bertingkat (lebih dari {MAX_DEPTH} tingkat tanda kurung, 'not', tanda minus " \
            "atau operasi berantai)"


class _TooDeep(ExpressionError):
    """Not worth backtracking over."""


@dataclass(frozen=True)
class _Linear:
    terms: tuple[Term, ...]
    constant: Decimal

    def plus(self, other: _Linear) -> _Linear:
        return _Linear(self.terms + other.terms, self.constant + other.constant)

    def times(self, factor: Decimal) -> _Linear:
        terms = tuple(Term(t.coefficient * factor, t.aggregate) for t in self.terms)
        return _Linear(terms, self.constant * factor)

    def divided(self, divisor: Decimal) -> _Linear:
        terms = tuple(Term(t.coefficient / divisor, t.aggregate) for t in self.terms)
        return _Linear(terms, self.constant / divisor)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.index = 0
        self.nesting = 0

    # -- token helpers ---------------------------------------------------------------------

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def peek(self, offset: int = 1) -> Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def advance(self) -> Token:
        token = self.current
        if token.kind != END:
            self.index += 1
        return token

    def at_op(self, *ops: str) -> bool:
        return self.current.kind == OP and self.current.value in ops

    def at_keyword(self, *words: str) -> bool:
        return self.current.kind == KEYWORD and self.current.value in words

    def error(self, message: str, position: int | None = None) -> ExpressionError:
        where = self.current.position if position is None else position
        return ExpressionError(Issue(where, message), self.text)

    def unexpected(self, expected: str, hint: str = "") -> ExpressionError:
        token = self.current
        message = f"diharapkan {expected}, tetapi ditemukan {token.describe()}"
        after_number = self.index > 0 and self.tokens[self.index - 1].kind == NUMBER
        if token.kind == OP and token.value == "," and after_number:
            hint = hint or "gunakan titik sebagai pemisah desimal, mis. 7.2"
        return self.error(f"{message}; {hint}" if hint else message)

    def expect_op(self, op: str, expected: str) -> Token:
        if not self.at_op(op):
            raise self.unexpected(expected)
        return self.advance()

    def expect_close(self, opening: Token, expected: str, hint: str = "") -> Token:
        if self.at_op(")"):
            return self.advance()
        if self.current.kind == END:
            raise self.error(f"tanda kurung '(' pada karakter ke-{opening.position + 1} belum ditutup")
        raise self.unexpected(expected, hint)

    @contextmanager
    def nested(self, position: int) -> Iterator[None]:
        self.nesting += 1
        try:
            if self.nesting > MAX_DEPTH:
                raise _TooDeep(Issue(position, _TOO_DEEP), self.text)
            yield
        finally:
            self.nesting -= 1

    # -- linear combination of aggregates ----------------------------------------------------

    def parse(self) -> AggregateExpr:
        linear = self.linear_sum()
        if self.at_op(")"):
            raise self.error("tanda kurung ')' tidak berpasangan")
        if self.current.kind != END:
            raise self.unexpected("'+', '-', '*', '/' atau akhir ekspresi")
        expr = AggregateExpr(linear.terms, linear.constant, self.text)
        for term in expr.terms:
            depth, node = deepest(term.aggregate)
            if depth > MAX_DEPTH:
                raise ExpressionError(Issue(node.position, _TOO_DEEP), self.text)
        return expr

    def linear_sum(self) -> _Linear:
        result = self.linear_product()
        while self.at_op("+", "-"):
            sign = Decimal(1) if self.advance().value == "+" else Decimal(-1)
            result = result.plus(self.linear_product().times(sign))
        return result

    def linear_product(self) -> _Linear:
        result = self.linear_factor()
        while self.at_op("*", "/"):
            operator = self.advance()
            right = self.linear_factor()
            if operator.value == "*":
                if result.terms and right.terms:
                    raise self.error("perkalian antar-agregat tidak diizinkan: pembilang dan penyebut harus "
                                     "kombinasi linear, mis. 1000 * count(...) + sum(...)", operator.position)
                result = result.times(right.constant) if result.terms else right.times(result.constant)
            elif right.terms:
                raise self.error("pembagian dengan agregat tidak diizinkan: pembilang dan penyebut harus "
                                 "kombinasi linear; rasio dibentuk dari pembilang dibagi penyebut indikator",
                                 operator.position)
            elif right.constant == 0:
                raise self.error("pembagian dengan nol", operator.position)
            else:
                result = result.divided(right.constant)
        return result

    def linear_factor(self) -> _Linear:
        token = self.current
        if self.at_op("-"):
            with self.nested(token.position):
                self.advance()
                return self.linear_factor().times(Decimal(-1))
        if token.kind == NUMBER:
            self.advance()
            return _Linear((), token.number if token.number is not None else Decimal(0))
        if self.at_keyword("count", "sum"):
            return _Linear((Term(Decimal(1), self.aggregate()),), Decimal(0))
        if self.at_op("("):
            with self.nested(token.position):
                opening = self.advance()
                inner = self.linear_sum()
                self.expect_close(opening, "'+', '-', '*', '/' atau ')'")
                return inner
        if token.kind == NAME and self.peek().kind == OP and self.peek().value == "(":
            raise self.error(f"fungsi '{token.text}' tidak dikenal; ekspresi disusun dari count(...), "
                             "sum(...) dan angka")
        if token.kind == NAME:
            raise self.error(f"'{token.text}' harus berada di dalam count(...) atau sum(...), "
                             f"mis. count({token.text} > 0) atau sum({token.text})")
        if self.at_keyword("param"):
            raise self.error("param(...) hanya boleh dipakai di dalam count(...) atau sum(...)")
        raise self.unexpected("count(...), sum(...) atau angka")

    # -- aggregates ----------------------------------------------------------------------------

    def aggregate(self) -> Aggregate:
        keyword = self.advance()
        opening = self.expect_op("(", f"'(' setelah {keyword.value}")
        unit, unit_position = self.unit_prefix()
        if keyword.value == "count":
            condition = None if self.at_op(")") else self.condition()
            self.expect_close(opening, "'and', 'or' atau ')'")
            return Count(unit, condition, keyword.position, unit_position)
        if self.at_op(")"):
            raise self.error("sum(...) memerlukan nilai yang dijumlahkan, mis. sum(jumlah_anggota)")
        value = self.value()
        condition = None
        if self.at_keyword("where"):
            self.advance()
            condition = self.condition()
            self.expect_close(opening, "'and', 'or' atau ')'")
        else:
            hint = "untuk menghitung baris yang memenuhi kondisi gunakan count(...), atau sum(nilai where " \
                   "kondisi)" if self.at_op(*COMPARISONS) else ""
            self.expect_close(opening, "'where', operator aritmetika atau ')'", hint)
        return Sum(unit, value, condition, keyword.position, unit_position)

    def unit_prefix(self) -> tuple[str | None, int]:
        token = self.current
        if self.peek().kind == OP and self.peek().value == ":":
            if token.kind != NAME:
                raise self.unexpected("nama unit observasi sebelum ':'")
            self.advance()
            self.advance()
            return token.value, token.position
        return None, token.position

    # -- conditions ----------------------------------------------------------------------------

    def condition(self) -> Condition:
        return self.bool_chain("or", self.conjunction)

    def conjunction(self) -> Condition:
        return self.bool_chain("and", self.negation)

    def bool_chain(self, op: str, read: Callable[[], Condition]) -> Condition:
        first = read()
        operands: list[Condition] = [first]
        position = self.current.position
        while self.at_keyword(op):
            self.advance()
            operands.append(read())
        if len(operands) == 1:
            return first
        flat: list[Condition] = []
        for item in operands:
            flat.extend(item.operands if isinstance(item, BoolOp) and item.op == op else (item,))
        return BoolOp(op, tuple(flat), position)

    def negation(self) -> Condition:
        if self.at_keyword("not"):
            token = self.advance()
            with self.nested(token.position):
                return Not(self.negation(), token.position)
        if self.at_op("("):
            return self.parenthesised()
        return self.predicate()

    def parenthesised(self) -> Condition:
        start = self.index
        try:
            return self.predicate()
        except _TooDeep:
            raise
        except ExpressionError as as_predicate:
            self.index = start
            opening = self.current
            try:
                with self.nested(opening.position):
                    self.advance()
                    inner = self.condition()
                    self.expect_close(opening, "'and', 'or' atau ')'")
                    return inner
            except _TooDeep:
                raise
            except ExpressionError as as_condition:
                further = as_predicate if as_predicate.position > as_condition.position else as_condition
                raise further from None

    def predicate(self) -> Condition:
        left = self.value()
        token = self.current
        if self.at_op(*COMPARISONS):
            self.advance()
            return Compare(token.value, left, self.value(), token.position)
        after = self.peek()
        negated = self.at_keyword("not") and after.kind == KEYWORD and after.value in {"in", "between"}
        if negated:
            self.advance()
        if self.at_keyword("in"):
            return self.in_list(left, negated, token.position)
        if self.at_keyword("between"):
            return self.between(left, negated, token.position)
        if self.at_keyword("is"):
            self.advance()
            is_not = self.at_keyword("not")
            if is_not:
                self.advance()
            if not self.at_keyword("kosong"):
                raise self.unexpected("'kosong'", "tulis 'is kosong' atau 'is not kosong' untuk nilai yang "
                                                  "tidak tercatat")
            self.advance()
            return IsNull(left, is_not, token.position)
        if self.at_keyword("not"):
            raise self.error("setelah nilai, 'not' hanya boleh diikuti 'in' atau 'between'")
        raise self.unexpected("operator pembanding (==, !=, <, <=, >, >=), 'in', 'between' atau 'is kosong' "
                              "setelah nilai")

    def in_list(self, value: Value, negated: bool, position: int) -> InList:
        self.advance()
        opening = self.expect_op("(", "'(' setelah 'in', mis. x in (1, 2, 3)")
        if self.at_op(")"):
            raise self.error("daftar 'in' tidak boleh kosong")
        items = [self.signed_number("angka di dalam daftar 'in'")]
        while self.at_op(","):
            self.advance()
            items.append(self.signed_number("angka di dalam daftar 'in'"))
        self.expect_close(opening, "',' atau ')'")
        return InList(value, tuple(items), negated, position)

    def between(self, value: Value, negated: bool, position: int) -> Between:
        self.advance()
        low = self.signed_number("angka batas bawah setelah 'between'")
        if not self.at_keyword("and"):
            raise self.unexpected("'and' di antara kedua batas", "mis. umur between 15 and 64")
        self.advance()
        high = self.signed_number("angka batas atas setelah 'and'")
        return Between(value, low, high, negated, position)

    def signed_number(self, expected: str) -> Number:
        position = self.current.position
        sign = Decimal(1)
        if self.at_op("-"):
            self.advance()
            sign = Decimal(-1)
        token = self.current
        if token.kind != NUMBER or token.number is None:
            raise self.unexpected(expected, "hanya angka yang boleh di sini")
        self.advance()
        return Number(sign * token.number, token.is_integer, position)

    # -- values (arithmetic) -------------------------------------------------------------------

    def value(self) -> Value:
        left = self.product()
        while self.at_op("+", "-"):
            operator = self.advance()
            left = BinaryOp(operator.value, left, self.product(), operator.position)
        return left

    def product(self) -> Value:
        left = self.unary()
        while self.at_op("*", "/"):
            operator = self.advance()
            left = BinaryOp(operator.value, left, self.unary(), operator.position)
        return left

    def unary(self) -> Value:
        if not self.at_op("-"):
            return self.primary()
        token = self.advance()
        with self.nested(token.position):
            operand = self.unary()
        if isinstance(operand, Number):
            return Number(-operand.value, operand.is_integer, token.position)
        return Negate(operand, token.position)

    def primary(self) -> Value:
        token = self.current
        if token.kind == NUMBER and token.number is not None:
            self.advance()
            return Number(token.number, token.is_integer, token.position)
        if token.kind == NAME:
            if self.peek().kind == OP and self.peek().value == "(":
                raise self.error(f"fungsi '{token.text}' tidak dikenal; di dalam kondisi dan nilai hanya "
                                 "tersedia param(...)")
            self.advance()
            return Variable(token.value, token.position)
        if self.at_keyword("param"):
            return self.param()
        if self.at_keyword("count", "sum"):
            raise self.error(f"{token.value}(...) tidak boleh berada di dalam count(...) atau sum(...)")
        if self.at_op("("):
            with self.nested(token.position):
                self.advance()
                inner = self.value()
                self.expect_close(token, "operator aritmetika atau ')'")
                return inner
        raise self.unexpected("nilai (nama variabel, angka, param(...) atau '(')")

    def param(self) -> Param:
        keyword = self.advance()
        opening = self.expect_op("(", "'(' setelah param, mis. param(garis_kemiskinan)")
        name = self.current
        if name.kind != NAME:
            raise self.unexpected("nama parameter, mis. param(garis_kemiskinan)")
        self.advance()
        self.expect_close(opening, "')'")
        return Param(name.value, keyword.position)


def parse(text: str) -> AggregateExpr:
    """Parse an aggregate expression (syntax only). Raises :class:`ExpressionError`."""
    return _Parser(text).parse()
