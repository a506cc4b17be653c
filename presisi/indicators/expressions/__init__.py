"""A small, safe expression language for indicator numerators and denominators.

An indicator's numerator and denominator are each a *linear combination of aggregates* over the
rows of one unit of observation (``individu``, ``keluarga``, ``rumah_tangga``, ``bangunan``,
``desa``)::

    count(umur < 15 or umur >= 65)
    count(rumah_tangga: sumber_air_minum in (3, 4, 5, 7, 10))
    sum(jumlah_anggota where mpi_miskin == 1)
    1000 * sum(desa: jumlah_posyandu)
    count(luas_lantai / jumlah_anggota < param(luas_lantai_layak))
    count(not (jaminan_kesehatan == 1) and jaminan_kesehatan is not kosong)

Grammar (keywords are case-insensitive; ``dan``/``atau``/``bukan`` mean ``and``/``or``/``not``)::

    aggr_expr  := aggr_term (('+' | '-') aggr_term)*
    aggr_term  := aggr_factor (('*' | '/') aggr_factor)*         # must stay linear, see below
    aggr_factor:= NUMBER | aggregate | '(' aggr_expr ')' | '-' aggr_factor
    aggregate  := 'count' '(' [unit ':'] [cond] ')'
                | 'sum' '(' [unit ':'] value ['where' cond] ')'
    cond       := and_expr ('or' and_expr)*
    and_expr   := not_expr ('and' not_expr)*
    not_expr   := 'not' not_expr | '(' cond ')' | predicate
    predicate  := value ('==' | '!=' | '<' | '<=' | '>' | '>=') value
                | value ['not'] 'in' '(' ['-'] NUMBER (',' ['-'] NUMBER)* ')'
                | value ['not'] 'between' ['-'] NUMBER 'and' ['-'] NUMBER     # inclusive
                | value 'is' ['not'] 'kosong'                                 # NULL test
    value      := product (('+' | '-') product)*
    product    := unary (('*' | '/') unary)*
    unary      := '-' unary | NAME | NUMBER | 'param' '(' NAME ')' | '(' value ')'

* Outside ``count``/``sum`` only numbers and linear operations are allowed: ``a * count(..)``,
  ``count(..) * a``, ``count(..) / a`` (a != 0), sums, differences and parentheses. It is folded
  into ``constant + sum(coefficient * aggregate)``; ``count() * count()`` and ``count() / count()``
  are refused (a ratio is the indicator's numerator divided by its denominator).
* ``NUMBER``: digits with an optional ``.`` decimal part; ``_`` between digits (``1_000_000``).
  There are no string literals, no other functions, no ``;`` and no SQL comment markers.
* Names are case-insensitive (lower-cased); a unit prefix ``unit:`` switches the aggregate to
  another unit's table; without it the indicator's default unit is used.
* Reserved words cannot be variable names: count sum param where and or not in between is kosong
  dan atau bukan.

Semantic checks (:func:`check`, against a :class:`Catalog`): known unit; variable exists for that
unit; ``teks``/``tanggal`` variables only in ``is [not] kosong``; ``kode`` variables only with
``==``, ``!=``, ``in``, ``not in``, ``[not] between``, ``is [not] kosong`` and integer literals
from their code list (a ``kode`` variable without a code list accepts any integer); arithmetic and
``<``/``<=``/``>``/``>=`` only on numbers; ``between a and b`` needs a <= b; known ``param(x)``
with a finite value; ``sum`` of numbers only; no division by a literal zero.

``between`` on a ``kode`` variable is a *code range* (both bounds must be codes of its list):
classifications are ordered on purpose, e.g. ``kegiatan_utama`` says "angkatan kerja = kode 1-6",
so ``count(kegiatan_seminggu between 1 and 6)`` is the labour force. Text longer than 2,000 characters,
empty text and nesting deeper than 50 levels are refused. Messages are in Bahasa Indonesia and
name the character (1-based in the text, 0-based in ``ExpressionError.position``).

SQL semantics (:func:`compile_expression`), the same on SQLite and PostgreSQL:

* ``count(c)`` -> ``SUM(CASE WHEN c THEN 1 ELSE 0 END)``, ``count()`` -> ``COUNT(*)``;
  ``sum(v where c)`` -> ``SUM(CASE WHEN c THEN COALESCE(v, 0) ELSE 0 END)``,
  ``sum(v)`` -> ``SUM(COALESCE(v, 0))``: a missing value adds nothing to a sum.
* Columns are ``"t"."<variable>"``; numbers and ``param(x)`` values are inlined.
* ``a / b`` -> ``((1.0 * (a)) / NULLIF((b), 0))``: always float division, and division by zero
  gives NULL instead of an error.
* SQL three-valued logic is kept as is: a comparison with a missing (NULL) value is neither true
  nor false, so the row is not counted, and ``not (x == 1)`` does not count rows where ``x`` is
  missing either. Write ``x != 1 or x is kosong`` to count them. ``in``/``between`` behave alike;
  only ``is [not] kosong`` looks at missing values. A row whose divisor is 0 is likewise not
  counted (and adds 0 to a sum).
* Over zero rows ``SUM`` is NULL; :meth:`CompiledExpression.evaluate` and ``as_sql`` treat it as 0.

API: :func:`parse` (syntax only) -> :class:`AggregateExpr`; :func:`check` (list of messages) and
:func:`find_issues` (list of :class:`Issue`) against a :class:`Catalog` (:class:`DictCatalog` is a
simple one); :func:`compile_expression` -> :class:`CompiledExpression` of
:class:`CompiledAggregate` terms; :func:`variables_used`; :func:`format_expression` (canonical
text). Every problem is an :class:`ExpressionError`; nothing here evaluates user text as Python.
Modules: ``tokenizer`` (characters), ``parser`` (tokens -> tree), ``nodes`` (the tree),
``checker`` (catalogue rules), ``compiler`` (SQL).
"""

from presisi.indicators.expressions.catalog import (
    TIPES,
    UNITS,
    Catalog,
    DictCatalog,
    VariableInfo,
)
from presisi.indicators.expressions.checker import check, find_issues
from presisi.indicators.expressions.compiler import (
    DIALECTS,
    CompiledAggregate,
    CompiledExpression,
    compile_expression,
    variables_used,
)
from presisi.indicators.expressions.errors import MAX_DEPTH, MAX_LENGTH, ExpressionError, Issue
from presisi.indicators.expressions.nodes import AggregateExpr, format_expression
from presisi.indicators.expressions.parser import parse
from presisi.indicators.expressions.tokenizer import tokenize

__all__ = [
    "DIALECTS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "TIPES",
    "UNITS",
    "AggregateExpr",
    "Catalog",
    "CompiledAggregate",
    "CompiledExpression",
    "DictCatalog",
    "ExpressionError",
    "Issue",
    "VariableInfo",
    "check",
    "compile_expression",
    "find_issues",
    "format_expression",
    "parse",
    "tokenize",
    "variables_used",
]
