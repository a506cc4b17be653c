"""Typed analytic tables: one per unit, created and widened from the dictionary on demand."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from presisi.dictionary.models import ATRIBUT, BILANGAN, DESIMAL, KODE
from presisi.dictionary.validation import unit_spec
from presisi.indicators.analytics import derived

UNITS = ("individu", "keluarga", "rumah_tangga", "bangunan", "desa")
TABLE = {u: f"analitik_{u}" for u in UNITS}
# Key columns every analytic row carries, besides the variables.
KEYS = {
    "individu": ["periode_id", "record_id", "banjar_id", "desa_id", "keluarga_id", "rumah_tangga_id"],
    "keluarga": ["periode_id", "record_id", "banjar_id", "desa_id"],
    "rumah_tangga": ["periode_id", "record_id", "banjar_id", "desa_id", "bangunan_id", "perdesaan"],
    "bangunan": ["periode_id", "record_id", "banjar_id", "desa_id"],
    "desa": ["periode_id", "record_id", "desa_id"],
}
NUMERIC_TYPES = {KODE, BILANGAN, DESIMAL}


@dataclass(frozen=True)
class Column:
    name: str
    tipe: str  # kode | bilangan | desimal
    source: str  # "kolom" (registry column), "atribut" (JSON), "turunan" (derived)


def dictionary_columns(unit: str) -> list[Column]:
    """Numeric dictionary variables of a unit; text and dates never enter the analytics store."""
    return [Column(v.kode, v.tipe, "atribut" if v.penyimpanan == ATRIBUT else "kolom")
            for v in unit_spec(unit).values() if v.tipe in NUMERIC_TYPES]


def derived_columns(unit: str) -> list[Column]:
    names: list[derived.Derived] = [d for d in derived.all_derived() if d.unit == unit]
    return [Column(d.name, d.tipe, "turunan") for d in names]


def columns(unit: str) -> list[Column]:
    seen: dict[str, Column] = {}
    for col in dictionary_columns(unit) + derived_columns(unit):
        seen.setdefault(col.name, col)
    return list(seen.values())


def _sql_type(tipe: str) -> str:
    if tipe == DESIMAL:
        return "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"
    return "BIGINT" if connection.vendor == "postgresql" else "INTEGER"


def ensure_table(unit: str) -> list[Column]:
    """Create the unit's table, or add columns for variables added to the dictionary since."""
    qn = connection.ops.quote_name
    table = TABLE[unit]
    cols = columns(unit)
    with connection.cursor() as cursor:
        existing_tables = set(connection.introspection.table_names(cursor))
        if table not in existing_tables:
            defs = [f"{qn(k)} BIGINT" if k not in ("perdesaan",) else f"{qn(k)} INTEGER" for k in KEYS[unit]]
            defs += [f"{qn(c.name)} {_sql_type(c.tipe)}" for c in cols]
            cursor.execute(f"CREATE TABLE {qn(table)} ({', '.join(defs)})")
            cursor.execute(f"CREATE INDEX {qn(table + '_periode_desa')} ON {qn(table)} (periode_id, desa_id)")
            cursor.execute(f"CREATE INDEX {qn(table + '_periode_rec')} ON {qn(table)} (periode_id, record_id)")
        else:
            # the column names of an empty result: one cheap query (SQLite's table introspection
            # parses the whole table definition, ~40 ms for these wide tables, once per desa snapshot)
            cursor.execute(f"SELECT * FROM {qn(table)} LIMIT 0")
            present = {d[0] for d in cursor.description}
            for c in cols:
                if c.name not in present:
                    cursor.execute(f"ALTER TABLE {qn(table)} ADD COLUMN {qn(c.name)} {_sql_type(c.tipe)}")
    return cols
