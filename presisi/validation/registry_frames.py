"""Frames read from the registry: one query per unit for a set of desa, columns built with numpy."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
from django.db import connection

from presisi.dictionary.models import ATRIBUT, BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.dictionary.validation import unit_spec
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, RumahTangga
from presisi.validation.frames import Frame, age_years, column_from_values

INDIVIDU_COLUMNS = ["nik", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir", "agama", "status_kawin",
                    "hubungan_keluarga", "pendidikan", "pekerjaan", "kewarganegaraan", "nama_ayah", "nama_ibu",
                    "hubungan_rumah_tangga"]


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _json(value: Any) -> dict:
    if isinstance(value, dict):
        return value
    return json.loads(value) if value else {}


def _attribute_columns(unit: str, atribut: list[dict], cols: dict[str, np.ndarray]) -> None:
    spec = unit_spec(unit)
    keys = {k for k, v in spec.items() if v.penyimpanan == ATRIBUT}
    present = set().union(*(a.keys() for a in atribut)) if atribut else set()
    for key in sorted(keys & present):
        cols[key] = column_from_values(spec[key].tipe, [a.get(key) for a in atribut])


def _core(unit: str, rows: list[tuple], names: list[str], offset: int, cols: dict[str, np.ndarray]) -> None:
    spec = unit_spec(unit)
    for j, name in enumerate(names):
        values = [r[offset + j] for r in rows]
        tipe = spec[name].tipe if name in spec else "teks"
        cols[name] = column_from_values(tipe, values)


def individu_frame(desa_ids: list[int], ref: dt.date) -> Frame:
    """Living people of the desa, with their family card number and family key."""
    t, k = Individu._meta.db_table, Keluarga._meta.db_table
    sql = (f"SELECT i.id, i.desa_id, i.keluarga_id, k.no_kk, i.atribut, "
           f"{', '.join('i.' + c for c in INDIVIDU_COLUMNS)} FROM {t} i JOIN {k} k ON k.id = i.keluarga_id "
           f"WHERE i.desa_id IN ({_in(desa_ids)}) AND i.status_dasar = %s ORDER BY i.id")
    rows = _fetch(sql, [*desa_ids, HIDUP])
    n = len(rows)
    cols: dict[str, np.ndarray] = {}
    _core(INDIVIDU, rows, INDIVIDU_COLUMNS, 5, cols)
    cols["no_kk"] = np.array([r[3] for r in rows], dtype=object)
    cols["_keluarga"] = np.array([r[2] for r in rows], dtype=float)
    _attribute_columns(INDIVIDU, [_json(r[4]) for r in rows], cols)
    cols["umur"] = age_years(cols["tanggal_lahir"], ref)
    return Frame(unit=INDIVIDU, n=n, cols=cols, objek_id=np.array([r[0] for r in rows], dtype=np.int64),
                 baris=np.zeros(n, dtype=np.int64), desa_id=np.array([r[1] for r in rows], dtype=np.int64),
                 label=[f"NIK {r[5]} {r[6]}" for r in rows])


def _simple_frame(unit: str, model, desa_ids: list[int], key: str, key_column: str, extra: list[str],
                  label: str) -> Frame:
    t = model._meta.db_table
    names = [key_column, *extra]
    sql = (f"SELECT id, desa_id, atribut, {', '.join(names)} FROM {t} "
           f"WHERE desa_id IN ({_in(desa_ids)}) AND aktif = %s ORDER BY id")
    rows = _fetch(sql, [*desa_ids, True])
    n = len(rows)
    cols: dict[str, np.ndarray] = {key: np.array([r[3] for r in rows], dtype=object)}
    for j, name in enumerate(extra):
        values = [r[4 + j] for r in rows]
        cols[name] = column_from_values("desimal" if name in ("lat", "lng") else "teks", values)
    _attribute_columns(unit, [_json(r[2]) for r in rows], cols)
    return Frame(unit=unit, n=n, cols=cols, objek_id=np.array([r[0] for r in rows], dtype=np.int64),
                 baris=np.zeros(n, dtype=np.int64), desa_id=np.array([r[1] for r in rows], dtype=np.int64),
                 label=[f"{label} {r[3]}" for r in rows])


def keluarga_frame(desa_ids: list[int]) -> Frame:
    return _simple_frame(KELUARGA, Keluarga, desa_ids, "no_kk", "no_kk", ["alamat"], "No. KK")


def rumah_tangga_frame(desa_ids: list[int]) -> Frame:
    return _simple_frame(RUMAH_TANGGA, RumahTangga, desa_ids, "kode_rumah_tangga", "kode", [], "rumah tangga")


def bangunan_frame(desa_ids: list[int]) -> Frame:
    return _simple_frame(BANGUNAN, Bangunan, desa_ids, "kode_bangunan", "kode", ["lat", "lng"], "bangunan")


FRAME_LOADERS = {
    KELUARGA: keluarga_frame,
    RUMAH_TANGGA: rumah_tangga_frame,
    BANGUNAN: bangunan_frame,
}
