"""Reads from the analytic tables (``analitik_<unit>``), which exist only once a period has been computed.

Existence is checked through the database's catalogue instead of catching an error inside a
transaction: on SQLite a transaction here would be ``BEGIN IMMEDIATE`` (a write lock for a read).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from presisi.indicators.analytics.tables import TABLE


def ada(units: Sequence[str], kolom: str | None = None) -> bool:
    """Do the units' analytic tables exist (and the column in the first one, if given)? One catalogue read."""
    tables = [TABLE[u] for u in units]
    with connection.cursor() as cursor:
        if not set(tables) <= set(connection.introspection.table_names(cursor)):
            return False
        if kolom is None:
            return True
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(tables[0])} WHERE 1 = 0")
        return kolom in {c[0] for c in cursor.description}


def baca(sql: str, params: list[Any], *, units: Sequence[str], kolom: str | None = None) -> list[tuple]:
    """Rows of a read on analytic tables; no rows when a table (or the column) is not there yet."""
    if not ada(units, kolom):
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
