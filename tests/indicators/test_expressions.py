"""Tests for the indicator expression language (presisi.indicators.expressions).

Parsing, checking against a small catalogue, compilation to SQL, and execution of the compiled SQL
on an in-memory SQLite database and (when reachable) on PostgreSQL, against hand-computed counts.
"""

from __future__ import annotations

import math
import pickle
import random
import sqlite3
from decimal import Decimal

import pytest

from presisi.indicators.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    TIPES,
    UNITS,
    AggregateExpr,
    Catalog,
    CompiledAggregate,
    CompiledExpression,
    DictCatalog,
    ExpressionError,
    VariableInfo,
    check,
    compile_expression,
    find_issues,
    format_expression,
    parse,
    tokenize,
    variables_used,
)
from presisi.indicators.expressions.nodes import (
    BinaryOp,
    BoolOp,
    Compare,
    Count,
    Not,
    Number,
    Sum,
    Term,
    Variable,
)

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------

_INDIVIDU = {
    "umur": ("bilangan", ()),
    "jenis_kelamin": ("kode", (1, 2)),
    "agama": ("kode", range(1, 8)),
    "partisipasi_sekolah": ("kode", (1, 2, 3)),
    "kegiatan_seminggu": ("kode", range(1, 10)),
    "jaminan_kesehatan": ("kode", (1, 2)),
    "nama": ("teks", ()),
    "tanggal_lahir": ("tanggal", ()),
    # Household values repeated on the person table, so one SQL table serves the execution tests.
    "luas_lantai": ("desimal", ()),
    "jumlah_anggota": ("bilangan", ()),
    "pengeluaran_per_kapita": ("desimal", ()),
}
_RUMAH_TANGGA = {
    "sumber_air_minum": ("kode", range(1, 12)),
    "jumlah_anggota": ("bilangan", ()),
    "mpi_miskin": ("kode", (0, 1)),
    "luas_lantai": ("desimal", ()),
    "pengeluaran_per_kapita": ("desimal", ()),
}
_DESA = {"jumlah_posyandu": ("bilangan", ())}
PARAMS = {"garis_kemiskinan": 568510, "luas_lantai_layak": 7.2, "rusak": math.nan}


def _variables() -> list[VariableInfo]:
    found = []
    for unit, table in (("individu", _INDIVIDU), ("rumah_tangga", _RUMAH_TANGGA), ("desa", _DESA)):
        found += [VariableInfo(name, unit, tipe, frozenset(codes)) for name, (tipe, codes) in table.items()]
    return found


CATALOG = DictCatalog(_variables(), PARAMS)


def _compile(text: str, unit: str = "individu", dialect: str = "sqlite") -> CompiledExpression:
    return compile_expression(text, default_unit=unit, catalog=CATALOG, dialect=dialect)


def _error(text: str, unit: str = "individu") -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        _compile(text, unit)
    return caught.value


# --------------------------------------------------------------------------------------------
# The examples of the specification
# --------------------------------------------------------------------------------------------

EXAMPLES = [
    ("count(umur < 15 or umur >= 65)", "individu"),
    ("count(umur between 15 and 64)", "individu"),
    ("count(partisipasi_sekolah == 2 and umur between 7 and 12)", "individu"),
    ("count(rumah_tangga: sumber_air_minum in (3, 4, 5, 7, 10))", "individu"),
    ("sum(jumlah_anggota where mpi_miskin == 1)", "rumah_tangga"),
    ("sum(desa: jumlah_posyandu)", "individu"),
    ("1000 * sum(desa: jumlah_posyandu)", "individu"),
    ("count(kegiatan_seminggu in (3,4,5,6)) ", "individu"),
    ("count(kegiatan_seminggu between 1 and 6)", "individu"),
    ("count(luas_lantai / jumlah_anggota < 7.2)", "rumah_tangga"),
    ("count(pengeluaran_per_kapita < param(garis_kemiskinan))", "rumah_tangga"),
    ("count(not (jaminan_kesehatan == 1) and jaminan_kesehatan is not kosong)", "individu"),
    ("count()", "individu"),
    ("count((umur + jumlah_anggota) / 2 > 3)", "individu"),
    ("count((umur == 1 or jumlah_anggota == 2) and umur < 3)", "individu"),
]


@pytest.mark.parametrize(("text", "unit"), EXAMPLES)
def test_examples_parse_check_and_compile(text: str, unit: str) -> None:
    expr = parse(text)
    assert isinstance(expr, AggregateExpr)
    assert check(expr, default_unit=unit, catalog=CATALOG) == []
    compiled = {dialect: _compile(text, unit, dialect) for dialect in ("sqlite", "postgresql")}
    assert compiled["sqlite"] == compiled["postgresql"]
    for _, aggregate in compiled["sqlite"].terms:
        assert aggregate.sql.startswith(("SUM(", "COUNT("))
        assert ";" not in aggregate.sql and "--" not in aggregate.sql and "'" not in aggregate.sql


@pytest.mark.parametrize(("text", "unit"), EXAMPLES)
def test_canonical_text_parses_back_to_the_same_tree(text: str, unit: str) -> None:
    expr = parse(text)
    assert parse(format_expression(expr)) == expr


def test_tree_of_a_simple_count() -> None:
    expr = parse("count(umur < 15 or umur >= 65)")
    condition = BoolOp("or", (Compare("<", Variable("umur"), Number(Decimal(15), True)),
                              Compare(">=", Variable("umur"), Number(Decimal(65), True))))
    assert expr == AggregateExpr((Term(Decimal(1), Count(None, condition)),), Decimal(0))
    second = expr.terms[0].aggregate.condition.operands[1]
    assert (second.left.position, second.position) == (19, 24)  # positions are kept, not compared


def test_sql_of_the_basic_forms() -> None:
    def sql(text: str, unit: str = "individu") -> str:
        return _compile(text, unit).terms[0][1].sql

    assert sql("count(umur < 15 or umur >= 65)") == \
        'SUM(CASE WHEN ("t"."umur" < 15 OR "t"."umur" >= 65) THEN 1 ELSE 0 END)'
    assert sql("count()") == "COUNT(*)"
    assert sql("sum(jumlah_anggota where mpi_miskin == 1)", "rumah_tangga") == \
        'SUM(CASE WHEN "t"."mpi_miskin" = 1 THEN COALESCE("t"."jumlah_anggota", 0) ELSE 0 END)'
    assert sql("sum(desa: jumlah_posyandu)") == 'SUM(COALESCE("t"."jumlah_posyandu", 0))'
    assert sql("count(luas_lantai / jumlah_anggota < 7.2)") == \
        'SUM(CASE WHEN ((1.0 * ("t"."luas_lantai")) / NULLIF(("t"."jumlah_anggota"), 0)) < 7.2 THEN 1 ELSE 0 END)'
    assert sql("count(agama in (1, 2))") == 'SUM(CASE WHEN "t"."agama" IN (1, 2) THEN 1 ELSE 0 END)'
    assert sql("count(agama not in (1, 2))") == 'SUM(CASE WHEN "t"."agama" NOT IN (1, 2) THEN 1 ELSE 0 END)'
    assert sql("count(nama is kosong)") == 'SUM(CASE WHEN "t"."nama" IS NULL THEN 1 ELSE 0 END)'
    assert sql("count(agama != 1)") == 'SUM(CASE WHEN "t"."agama" <> 1 THEN 1 ELSE 0 END)'
    assert sql("count(pengeluaran_per_kapita < param(garis_kemiskinan))") == \
        'SUM(CASE WHEN "t"."pengeluaran_per_kapita" < 568510 THEN 1 ELSE 0 END)'
    assert sql("count(umur - -5 > -(umur))") == \
        'SUM(CASE WHEN ("t"."umur" - (-5)) > (-"t"."umur") THEN 1 ELSE 0 END)'
    assert sql("count(umur not between -1 and 1_000)") == \
        'SUM(CASE WHEN ("t"."umur" NOT BETWEEN (-1) AND 1000) THEN 1 ELSE 0 END)'


def test_linear_combinations_are_folded() -> None:
    compiled = _compile("-(count() - 5) / 2 + COUNT(umur >= 1_000) * 3 - 1000 * sum(desa: jumlah_posyandu)")
    assert [coefficient for coefficient, _ in compiled.terms] == [-0.5, 3.0, -1000.0]
    assert [aggregate.unit for _, aggregate in compiled.terms] == ["individu", "individu", "desa"]
    assert compiled.constant == 2.5
    assert _compile("100").terms == [] and _compile("100").constant == 100.0
    assert _compile("(count() + count(umur < 5)) / 4").terms[1][0] == 0.25


def test_identical_aggregates_compare_equal_by_unit_and_sql() -> None:
    compiled = _compile("count(umur < 5) + 2 * count(UMUR < 5) + count(rumah_tangga: jumlah_anggota < 5)")
    first, second, other_unit = (aggregate for _, aggregate in compiled.terms)
    assert first == second and hash(first) == hash(second)
    assert compiled.aggregates == [first, other_unit]
    assert len({first, second, other_unit}) == 2
    assert CompiledAggregate("individu", "COUNT(*)", frozenset({"a"})) == CompiledAggregate("individu", "COUNT(*)")
    assert CompiledAggregate("individu", "COUNT(*)") != CompiledAggregate("keluarga", "COUNT(*)")


def test_variables_used() -> None:
    text = "count(umur < 5 and jenis_kelamin == 2) + sum(rumah_tangga: jumlah_anggota) + count(desa:)"
    expected = {"individu": {"umur", "jenis_kelamin"}, "rumah_tangga": {"jumlah_anggota"}, "desa": set()}
    assert variables_used(_compile(text)) == expected
    assert _compile(text).variables() == expected
    assert variables_used(parse(text), default_unit="individu") == expected
    with pytest.raises(ValueError):
        variables_used(parse(text))


def test_keywords_are_case_insensitive_with_indonesian_synonyms() -> None:
    assert parse("COUNT(Umur < 15 ATAU umur >= 65)") == parse("count(umur < 15 or umur >= 65)")
    assert parse("count(bukan (umur < 15) dan umur IS NOT KOSONG)") == \
        parse("count(not (umur < 15) and umur is not kosong)")
    assert parse("Sum(Jumlah_Anggota WHERE umur Between 1 AND 2)") == \
        parse("sum(jumlah_anggota where umur between 1 and 2)")


def test_parenthesised_conditions_and_arithmetic() -> None:
    assert isinstance(parse("count((umur + 1) / 2 > 3)").terms[0].aggregate.condition, Compare)
    nested = parse("count(((umur + 1) > 3))").terms[0].aggregate.condition
    assert nested == Compare(">", BinaryOp("+", Variable("umur"), Number(Decimal(1), True)), Number(Decimal(3), True))
    condition = parse("count((umur == 1 or umur == 2) and umur < 3)").terms[0].aggregate.condition
    assert isinstance(condition, BoolOp) and condition.op == "and" and isinstance(condition.operands[0], BoolOp)
    assert parse("count((umur) between 1 and 5 and not (umur == 2))").terms[0].aggregate.condition.op == "and"
    assert isinstance(parse("count(not not umur == 1)").terms[0].aggregate.condition.operand, Not)
    # 'and' binds tighter than 'or'; and/or chains are flat
    condition = parse("count(umur == 1 or umur == 2 and umur == 3 or (umur == 4 or umur == 5))").terms[0]
    assert [type(o).__name__ for o in condition.aggregate.condition.operands] == \
        ["Compare", "BoolOp", "Compare", "Compare"]


def test_sum_with_unit_and_where() -> None:
    aggregate = parse("sum(rumah_tangga: jumlah_anggota * 2 where mpi_miskin == 1)").terms[0].aggregate
    assert isinstance(aggregate, Sum) and aggregate.unit == "rumah_tangga"
    assert isinstance(aggregate.value, BinaryOp) and isinstance(aggregate.condition, Compare)


def test_check_accepts_text_and_reports_syntax_errors_as_a_list() -> None:
    assert check("count(umur < 5)", default_unit="individu", catalog=CATALOG) == []
    assert check("count(umur < 5", default_unit="individu", catalog=CATALOG) == \
        ["karakter ke-15: tanda kurung '(' pada karakter ke-6 belum ditutup"]
    issues = find_issues("count(x == 1 and agama == 42)", default_unit="individu", catalog=CATALOG)
    assert [(issue.position, issue.message) for issue in issues] == [
        (6, "variabel 'x' tidak ada untuk unit individu"),
        (26, "kode 42 tidak ada dalam klasifikasi agama (kode yang tersedia: 1, 2, 3, 4, 5, 6, 7)"),
    ]


def test_catalog_protocol_and_constants_match_the_dictionary() -> None:
    from presisi.dictionary import models

    assert isinstance(CATALOG, Catalog)
    assert tuple(code for code, _ in models.UNIT_CHOICES) == UNITS
    assert tuple(code for code, _ in models.TIPE_CHOICES) == TIPES


def test_error_carries_message_position_expression_and_every_issue() -> None:
    text = "count(x == 1 and agama == 42)"
    error = _error(text)
    assert error.position == 6
    assert error.expression == text
    assert len(error.issues) == 2
    assert error.message.startswith("karakter ke-7: variabel 'x' tidak ada untuk unit individu; karakter ke-27: ")
    assert str(error) == error.message
    assert error.pointer() == f"{text}\n      ^"


def test_error_survives_pickling() -> None:
    error = pickle.loads(pickle.dumps(_error("count(agama == 42)")))
    assert isinstance(error, ExpressionError)
    assert (error.position, error.expression, len(error.issues)) == (15, "count(agama == 42)", 1)


def test_canonical_text_rounds_coefficients_from_a_division() -> None:
    text = format_expression(parse("count() / 3 + 1 / 3"))
    assert text == "0.3333333333333333 * count() + 0.3333333333333333"
    assert parse(text).terms[0].coefficient == Decimal("0.3333333333333333")
    assert format_expression(parse("-count() - 2 * sum(desa: jumlah_posyandu) - 1")) == \
        "-count() - 2 * sum(desa: jumlah_posyandu) - 1"
    assert format_expression(parse("count(individu:)")) == "count(individu:)"


def test_unknown_dialect_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        _compile("count()", dialect="mysql")


# --------------------------------------------------------------------------------------------
# Refused expressions
# --------------------------------------------------------------------------------------------

REFUSED = [
    # unknown names
    ("count(rumah_tangga: umur_x == 1)", 20, "variabel 'umur_x' tidak ada untuk unit rumah_tangga"),
    ("count(rumah_tangga: umur < 5)", 20, "variabel 'umur' tidak ada untuk unit rumah_tangga"),
    ("count(rt: umur < 5)", 6, "unit 'rt' tidak dikenal; pilih salah satu: individu, keluarga"),
    ("count(umur < param(tidak_ada))", 13, "parameter 'tidak_ada' tidak ada dalam katalog"),
    ("count(umur < param(rusak))", 13, "nilai parameter 'rusak' bukan bilangan yang sah"),
    # functions that do not exist
    ("eval(x)", 0, "fungsi 'eval' tidak dikenal"),
    ("__import__(os)", 0, "fungsi '__import__' tidak dikenal"),
    ("count(__import__(os) == 1)", 6, "fungsi '__import__' tidak dikenal"),
    ("count(umur < abs(5))", 13, "fungsi 'abs' tidak dikenal"),
    ("count(count() > 1)", 6, "count(...) tidak boleh berada di dalam count(...) atau sum(...)"),
    ("umur", 0, "'umur' harus berada di dalam count(...) atau sum(...)"),
    ("param(garis_kemiskinan)", 0, "param(...) hanya boleh dipakai di dalam count(...) atau sum(...)"),
    # no string literals, no SQL
    ("count(nama == 'x')", 14, "literal teks (tanda kutip) tidak didukung"),
    ('count(nama == "x")', 14, "literal teks (tanda kutip) tidak didukung"),
    ('count("t"."umur" < 5)', 6, "literal teks (tanda kutip) tidak didukung"),
    ("count(umur < 5); DROP TABLE x; --", 15, "tanda titik koma ';' tidak diizinkan"),
    ("count(umur < 5) -- komentar", 16, "urutan '--' tidak diizinkan"),
    ("count(umur < 5 /* x */)", 15, "urutan '/*' tidak diizinkan"),
    ("count(umur < 5 or 1 = 1)", 20, "gunakan '==' untuk membandingkan kesamaan"),
    ("count(umur <> 5)", 11, "gunakan '!=' untuk 'tidak sama dengan'"),
    ("count(umur < 5 || 1)", 15, "gunakan 'or'"),
    ("count(umur < 5 && 1)", 15, "gunakan 'and'"),
    ("count(umur < 5\\)", 14, "karakter '\\\\' tidak diizinkan"),
    ("count(umur \uff1c 5)", 11, "tidak diizinkan"),
    ("count(umür < 5)", 8, "karakter 'ü' tidak diizinkan"),
    # wrong types
    ("count(agama < 3)", 12, "variabel kode 'agama' hanya boleh dibandingkan dengan ==, !=, in, not in"),
    ("count(nama > 2)", 6, "variabel teks 'nama' hanya boleh dipakai dengan 'is kosong'"),
    ("count(tanggal_lahir == 2)", 6, "variabel tanggal 'tanggal_lahir' hanya boleh dipakai dengan 'is kosong'"),
    ("count(nama in (1, 2))", 6, "variabel teks 'nama' hanya boleh dipakai dengan 'is kosong'"),
    ("count(nama between 1 and 2)", 6, "variabel teks 'nama' hanya boleh dipakai dengan 'is kosong'"),
    ("sum(agama)", 4, "sum(...) hanya dapat menjumlahkan nilai numerik; variabel kode 'agama'"),
    ("sum(nama where umur > 1)", 4, "variabel teks 'nama' tidak dapat dijumlahkan"),
    ("count(agama + 1 == 2)", 6, "variabel kode 'agama' tidak boleh dipakai dalam operasi aritmetika"),
    ("count(-nama is kosong)", 7, "variabel teks 'nama' tidak boleh dipakai dalam operasi aritmetika"),
    ("count(agama == 1.0)", 15, "variabel kode 'agama' hanya boleh dibandingkan dengan angka kode bulat"),
    ("count(agama == umur)", 15, "hanya boleh dibandingkan dengan angka kode bulat"),
    ("count(agama == param(garis_kemiskinan))", 15, "hanya boleh dibandingkan dengan angka kode bulat"),
    # codes
    ("count(agama == 42)", 15, "kode 42 tidak ada dalam klasifikasi agama"),
    ("count(42 != agama)", 6, "kode 42 tidak ada dalam klasifikasi agama"),
    ("count(rumah_tangga: sumber_air_minum in (3, 42))", 44, "kode 42 tidak ada dalam klasifikasi sumber_air_minum"),
    ("count(kegiatan_seminggu between 1 and 12)", 38, "kode 12 tidak ada dalam klasifikasi kegiatan_seminggu"),
    # between
    ("count(umur between 64 and 15)", 19, "batas bawah 'between' (64) lebih besar daripada batas atas (15)"),
    ("count(umur between 1 5)", 21, "diharapkan 'and' di antara kedua batas"),
    ("count(umur between umur and 5)", 19, "diharapkan angka batas bawah setelah 'between'"),
    # parentheses
    ("count(umur < 5", 14, "tanda kurung '(' pada karakter ke-6 belum ditutup"),
    ("count(umur < 5))", 15, "tanda kurung ')' tidak berpasangan"),
    ("count((umur < 5)", 16, "tanda kurung '(' pada karakter ke-6 belum ditutup"),
    ("count(umur < (5 + 1)", 20, "tanda kurung '(' pada karakter ke-6 belum ditutup"),
    ("count(umur < (5 + 1)))", 21, "tanda kurung ')' tidak berpasangan"),
    ("(count()", 8, "tanda kurung '(' pada karakter ke-1 belum ditutup"),
    # empty, too long, trailing garbage
    ("", 0, "ekspresi kosong"),
    ("  \n\t ", 0, "ekspresi kosong"),
    ("count(" + " " * MAX_LENGTH + ")", MAX_LENGTH, "ekspresi terlalu panjang (2007 karakter; paling banyak 2000)"),
    ("count() x", 8, "diharapkan '+', '-', '*', '/' atau akhir ekspresi, tetapi ditemukan nama 'x'"),
    ("count() 5", 8, "tetapi ditemukan angka 5"),
    ("count(umur < 5 5)", 15, "diharapkan 'and', 'or' atau ')', tetapi ditemukan angka 5"),
    ("count(umur < 5) and count()", 16, "tetapi ditemukan kata kunci 'and'"),
    ("count(umur)", 10, "diharapkan operator pembanding"),
    ("count(umur < 1 < 2)", 15, "diharapkan 'and', 'or' atau ')'"),
    ("sum(umur > 5)", 9, "untuk menghitung baris yang memenuhi kondisi gunakan count(...)"),
    ("sum()", 4, "sum(...) memerlukan nilai yang dijumlahkan"),
    ("count(umur < 7,2)", 14, "gunakan titik sebagai pemisah desimal"),
    ("count(umur is null)", 14, "diharapkan 'kosong', tetapi ditemukan nama 'null'"),
    ("count(umur not 5)", 11, "setelah nilai, 'not' hanya boleh diikuti 'in' atau 'between'"),
    ("count(agama in ())", 16, "daftar 'in' tidak boleh kosong"),
    ("count(agama in (1, umur))", 19, "diharapkan angka di dalam daftar 'in'"),
    ("count(agama in (1, 2,))", 21, "diharapkan angka di dalam daftar 'in'"),
    ("count(in == 1)", 6, "diharapkan nilai (nama variabel, angka, param(...) atau '('), tetapi ditemukan kata kunci"),
    # numbers
    ("count(umur < .5)", 13, "angka desimal harus diawali digit"),
    ("count(umur < 1.)", 13, "angka tidak valid: '1.'"),
    ("count(umur < 1e5)", 13, "angka tidak valid: '1e5'"),
    ("count(umur < 1__0)", 13, "angka tidak valid"),
    ("count(umur < 1_)", 13, "angka tidak valid"),
    ("count(umur < 1.2.3)", 13, "angka tidak valid: '1.2.3'"),
    ("count(umur < 1234567890123456789)", 13, "angka terlalu panjang"),
    # only linear combinations of aggregates
    ("count() * count()", 8, "perkalian antar-agregat tidak diizinkan"),
    ("count() / count()", 8, "pembagian dengan agregat tidak diizinkan"),
    ("(count() + 1) * sum(umur)", 14, "perkalian antar-agregat tidak diizinkan"),
    ("100 / (count() - 1)", 4, "pembagian dengan agregat tidak diizinkan"),
    ("count() / (2 - 2)", 8, "pembagian dengan nol"),
    # division by a literal zero inside a value
    ("count(umur / 0 > 1)", 11, "pembagian dengan nol"),
    ("sum(umur / -0.0)", 9, "pembagian dengan nol"),
]


@pytest.mark.parametrize(("text", "position", "message"), REFUSED)
def test_refused(text: str, position: int, message: str) -> None:
    error = _error(text)
    assert message in error.message
    assert error.position == position
    assert error.expression == text
    assert check(text, default_unit="individu", catalog=CATALOG)  # the same problems, as a list


def test_unknown_default_unit_matters_only_without_a_unit_prefix() -> None:
    assert check("5 + count(umur < 5)", default_unit="penduduk", catalog=CATALOG) == [
        "karakter ke-5: count(...) tanpa awalan unit memakai unit bawaan indikator, tetapi unit bawaan "
        "'penduduk' tidak dikenal; isi unit indikator atau tulis mis. count(individu: ...)"]
    assert check("count(individu: umur < 5) + 1", default_unit="", catalog=CATALOG) == []
    assert _compile("1", unit="").constant == 1.0


def test_maximum_length_is_accepted() -> None:
    text = "count(umur < 5)"
    assert not check(text + " " * (MAX_LENGTH - len(text)), default_unit="individu", catalog=CATALOG)


def test_nesting_depth_limit() -> None:
    def parens(levels: int) -> str:
        return "count(" + "(" * levels + "umur == 1" + ")" * levels + ")"

    assert parse(parens(MAX_DEPTH))
    assert "terlalu bertingkat" in _error(parens(MAX_DEPTH + 1)).message
    mixed = "count(" + "not (" * (MAX_DEPTH // 2) + "umur == 1" + ")" * (MAX_DEPTH // 2) + ")"
    assert _compile(mixed)
    assert "terlalu bertingkat" in _error("count(" + "not " * (MAX_DEPTH + 1) + "umur == 1)").message
    assert "terlalu bertingkat" in _error("count(" + "- " * (MAX_DEPTH + 1) + "umur == 1)").message
    assert "terlalu bertingkat" in _error("count(" + " + ".join(["umur"] * (MAX_DEPTH + 1)) + " > 1)").message
    assert "terlalu bertingkat" in _error("-(" * (MAX_DEPTH + 1) + "count()" + ")" * (MAX_DEPTH + 1)).message
    deep_arithmetic = "count(" + "(" * (MAX_DEPTH - 1) + "umur" + ")" * (MAX_DEPTH - 1) + " > 1)"
    assert _compile(deep_arithmetic)


def test_long_flat_or_chain_is_fine() -> None:
    text = "count(" + " or ".join(f"umur == {i}" for i in range(120)) + ")"
    sql = _compile(text).terms[0][1].sql
    assert sql.count(" OR ") == 119


def test_tokenizer_refuses_everything_unknown() -> None:
    assert [token.kind for token in tokenize("count(umur<=1_000.5)")] == \
        ["keyword", "op", "name", "op", "number", "op", "end"]
    assert tokenize("1_000_000")[0].number == Decimal(1_000_000)
    for character in "#$@?[]{}~\x00":
        with pytest.raises(ExpressionError):
            tokenize(f"count(umur < 5 {character})")


def test_random_garbage_never_crashes_and_never_leaks_into_sql() -> None:
    pieces = ["count(", "sum(", "umur", "agama", "nama", "param(garis_kemiskinan)", "(", ")", " and ", " or ",
              " not ", " in ", " between ", " is ", " kosong", " where ", "==", "<", "-", "+", "*", "/", "1",
              "2.5", ",", ":", "individu:", "'", ";", "--", "desa:", "0", "x", " "]
    rng = random.Random(20260)
    compiled = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        try:
            result = _compile(text)
        except ExpressionError as error:
            assert 0 <= error.position <= len(text)
            continue
        compiled += 1
        for _, aggregate in result.terms:
            assert not any(marker in aggregate.sql for marker in (";", "--", "'", "/*"))
    assert compiled > 0


# --------------------------------------------------------------------------------------------
# Executing the compiled SQL
# --------------------------------------------------------------------------------------------

COLUMNS = ("umur", "jenis_kelamin", "agama", "luas_lantai", "jumlah_anggota", "jaminan_kesehatan",
           "kegiatan_seminggu", "pengeluaran_per_kapita")
ROWS = [
    (3, 1, 1, 36.0, 4, 1, None, 400000.0),
    (10, 2, 1, 20.0, 4, 2, None, 600000.0),
    (15, 1, 2, 50.0, 5, None, 3, 700000.0),
    (30, 2, 1, 14.0, 2, 1, 1, 300000.0),
    (45, 1, 4, 21.5, 3, 2, 7, None),
    (64, 2, 1, 60.0, 0, 2, 6, 900000.0),
    (65, 1, 5, None, 1, 1, 8, 568510.0),
    (80, 2, 1, 9.0, None, None, 9, 500000.0),
    (None, 1, 1, 30.0, 6, 1, 2, 1000000.0),
    (7, 2, 3, 28.0, 4, 2, None, 250000.0),
]
KINDS = ("int", "int", "int", "float", "int", "int", "int", "float")

# Each expectation was worked out by hand from ROWS (comments show the rows that count).
EXECUTION = [
    ("count()", 10),
    ("count(umur < 15 or umur >= 65)", 5),  # 3 10 7 | 65 80; NULL age counts nowhere
    ("count(umur between 15 and 64)", 4),  # 15 30 45 64
    ("count(umur not between 15 and 64)", 5),  # 3 10 65 80 7
    ("count(umur is kosong)", 1),
    ("count(umur is not kosong)", 9),
    ("count(umur < 15)", 3),
    ("count(not (umur < 15))", 6),  # 3 + 6 = 9, not 10: NULL is neither
    ("count(jenis_kelamin == 2 and umur < 15)", 2),  # ages 10 and 7
    ("count(jenis_kelamin == 1 or agama == 5 and umur > 60)", 5),  # 'and' first; else 1
    ("count(agama in (1, 2))", 7),
    ("count(agama not in (1, 2))", 3),  # 4 5 3
    ("count(umur / 20 < 0.5)", 2),  # float division: 3 7 (integer division would give 4)
    ("count(luas_lantai / jumlah_anggota < 7.2)", 5),  # 5 7 7.17 5 7; 60/0, NULL/1 and 9/NULL not counted
    ("count(luas_lantai / jumlah_anggota < param(luas_lantai_layak))", 5),
    ("count(jumlah_anggota / (umur - umur) > 0)", 0),  # division by zero -> NULL, never an error
    ("sum(umur / (jumlah_anggota - jumlah_anggota))", 0),
    ("sum(jumlah_anggota)", 29),  # NULL adds nothing
    ("sum(jumlah_anggota where jenis_kelamin == 1)", 19),  # 4 5 3 1 6
    ("sum(luas_lantai / jumlah_anggota)", 9 + 5 + 10 + 7 + 21.5 / 3 + 5 + 7),
    ("sum(umur where umur is kosong)", 0),
    ("count(pengeluaran_per_kapita < param(garis_kemiskinan))", 4),  # 400k 300k 500k 250k
    ("count(not (jaminan_kesehatan == 1) and jaminan_kesehatan is not kosong)", 4),
    ("count(not (jaminan_kesehatan == 1))", 4),
    ("count(jaminan_kesehatan != 1 or jaminan_kesehatan is kosong)", 6),
    ("count(kegiatan_seminggu in (3,4,5,6))", 2),  # 3 6
    ("count(kegiatan_seminggu between 1 and 6)", 4),  # 3 1 6 2
    ("count(umur * 2 - 10 > 100)", 3),  # 64 65 80
    ("count(-umur < -60)", 3),
    ("count((umur + jumlah_anggota) / 2 > 30)", 2),  # (64+0)/2 (65+1)/2; 80+NULL is NULL
    ("1000 * count(umur < 5) + 2", 1002),
    ("count(umur < 15) - count(umur < 15) / 2 + 0.5", 2.0),
]


def _load_sqlite() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    definition = ", ".join(f"{name} {'REAL' if kind == 'float' else 'INTEGER'}" for name, kind in zip(
        COLUMNS, KINDS, strict=True))
    connection.execute(f"CREATE TABLE data ({definition})")
    connection.executemany(f"INSERT INTO data VALUES ({', '.join('?' * len(COLUMNS))})", ROWS)
    return connection


@pytest.fixture(scope="module")
def sqlite_db() -> sqlite3.Connection:
    return _load_sqlite()


@pytest.fixture(scope="module")
def pg_db():
    psycopg = pytest.importorskip("psycopg")
    try:
        connection = psycopg.connect(PG_URL, connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {error}")
    # The analytic tables use BIGINT for kode/bilangan and DOUBLE PRECISION for desimal.
    definition = ", ".join(f"{name} {'DOUBLE PRECISION' if kind == 'float' else 'BIGINT'}" for name, kind in zip(
        COLUMNS, KINDS, strict=True))
    connection.execute(f"CREATE TEMP TABLE data ({definition})")
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO data VALUES ({', '.join(['%s'] * len(COLUMNS))})", ROWS)
    yield connection
    connection.close()


def _run(connection, compiled: CompiledExpression) -> float:
    results = {}
    for aggregate in compiled.aggregates:
        (value,) = connection.execute(f"SELECT {aggregate.sql} FROM data AS t").fetchone()
        results[aggregate] = value
    combined = compiled.evaluate(results)
    (whole,) = connection.execute(f"SELECT {compiled.as_sql()} FROM data AS t").fetchone()
    assert float(whole) == pytest.approx(combined)
    return combined


@pytest.mark.parametrize(("text", "expected"), EXECUTION)
def test_sqlite_results_match_hand_counts(sqlite_db: sqlite3.Connection, text: str, expected: float) -> None:
    assert _run(sqlite_db, _compile(text, dialect="sqlite")) == pytest.approx(expected)


@pytest.mark.parametrize(("text", "expected"), EXECUTION)
def test_postgresql_results_match_hand_counts(pg_db, text: str, expected: float) -> None:
    assert _run(pg_db, _compile(text, dialect="postgresql")) == pytest.approx(expected)


def test_sum_over_no_rows_is_null_and_evaluates_to_zero(sqlite_db: sqlite3.Connection) -> None:
    compiled = _compile("sum(jumlah_anggota where umur > 1000) + 1")
    (raw,) = sqlite_db.execute(f"SELECT {compiled.terms[0][1].sql} FROM data AS t WHERE 0").fetchone()
    assert raw is None
    assert compiled.evaluate({compiled.terms[0][1]: raw}) == 1.0
    with pytest.raises(ValueError):
        _compile("count() + count(desa:)").as_sql()


def test_every_example_runs_on_sqlite() -> None:
    connection = sqlite3.connect(":memory:")
    names = sorted({name for table in (_INDIVIDU, _RUMAH_TANGGA, _DESA) for name in table})
    connection.execute(f"CREATE TABLE data ({', '.join(names)})")
    connection.execute(f"INSERT INTO data VALUES ({', '.join(['1'] * len(names))})")
    for text, unit in EXAMPLES:
        for aggregate in _compile(text, unit).aggregates:
            connection.execute(f"SELECT {aggregate.sql} FROM data AS t").fetchone()
