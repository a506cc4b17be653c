"""Frames read from the registry: one query per unit for a set of desa, only the columns the
active rules use (attributes are extracted by the database, not decoded in Python)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from itertools import chain

import numpy as np
from django.db import connection
from django.db.models import FloatField, Model, Q, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from presisi.dictionary.models import ATRIBUT, BANGUNAN, BILANGAN, DESIMAL, INDIVIDU, KELUARGA, KODE, RUMAH_TANGGA
from presisi.dictionary.validation import unit_spec
from presisi.registry.models import HIDUP, Bangunan, Individu, Keluarga, RumahTangga
from presisi.validation.frames import Frame, age_years, column_from_values, factorize

MODELS: dict[str, type[Model]] = {INDIVIDU: Individu, KELUARGA: Keluarga, RUMAH_TANGGA: RumahTangga,
                                  BANGUNAN: Bangunan}
# Columns every built-in rule of the unit needs (frame name → model field).
BASE: dict[str, dict[str, str]] = {
    INDIVIDU: {k: k for k in ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "status_kawin", "hubungan_keluarga",
                              "pendidikan", "pekerjaan", "nama_ayah", "nama_ibu")} | {"_keluarga_id": "keluarga_id"},
    KELUARGA: {"no_kk": "no_kk"},
    RUMAH_TANGGA: {"kode_rumah_tangga": "kode"},
    BANGUNAN: {"kode_bangunan": "kode", "lat": "lat", "lng": "lng"},
}
BASE_ATTRIBUTES = {INDIVIDU: ("hamil",)}
ALIVE = {INDIVIDU: Q(status_dasar=HIDUP), KELUARGA: Q(aktif=True), RUMAH_TANGGA: Q(aktif=True),
         BANGUNAN: Q(aktif=True)}
LABEL = {INDIVIDU: "NIK", KELUARGA: "No. KK", RUMAH_TANGGA: "rumah tangga", BANGUNAN: "bangunan"}


def registry_queryset(unit: str, desa_ids: list[int]):
    return MODELS[unit].objects.filter(ALIVE[unit], desa_id__in=desa_ids).order_by("id")


def _attribute_expression(name: str, tipe: str):
    text = KeyTextTransform(name, "atribut")
    return Cast(text, FloatField()) if tipe in (KODE, BILANGAN, DESIMAL) else text


def frame_registri(unit: str, desa_ids: list[int], ref: dt.date, extra: Iterable[str] = ()) -> Frame:
    """The unit's current records of these desa, with the base columns and ``extra`` variables."""
    spec = unit_spec(unit)
    model = MODELS[unit]
    fields = {f.name for f in model._meta.concrete_fields}
    columns = dict(BASE[unit])
    annotations = {}
    for name in (*BASE_ATTRIBUTES.get(unit, ()), *extra):
        if name in columns or name == "umur":
            continue
        if name in fields and (name not in spec or spec[name].penyimpanan != ATRIBUT):
            columns[name] = name
        elif name in spec:
            annotations[f"a__{name}"] = _attribute_expression(name, spec[name].tipe)
            columns[name] = f"a__{name}"
    qs = registry_queryset(unit, desa_ids).annotate(**annotations) if annotations else registry_queryset(unit, desa_ids)
    sql, params = qs.values_list("id", "desa_id", *columns.values()).query.sql_with_params()
    with connection.cursor() as cursor:  # raw rows: numpy converts dates and numbers in bulk
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    n = len(rows)
    cols: dict[str, np.ndarray] = {}
    for j, name in enumerate(columns, start=2):
        values = [r[j] for r in rows]
        tipe = spec[name].tipe if name in spec else ("desimal" if name in ("lat", "lng") else "teks")
        if name == "_keluarga_id":
            cols["_keluarga"] = factorize(np.array(values, dtype=np.int64)).astype(float)
            cols["_keluarga_id"] = np.array(values, dtype=np.int64)
            continue
        cols[name] = column_from_values(tipe, values)
    if unit == INDIVIDU:
        cols["umur"] = age_years(cols["tanggal_lahir"], ref)
    labels = [f"{LABEL[unit]} {r[2]} {r[3]}" for r in rows] if unit == INDIVIDU else \
        [f"{LABEL[unit]} {r[2]}" for r in rows]
    return Frame(unit=unit, n=n, cols=cols, objek_id=np.array([r[0] for r in rows], dtype=np.int64),
                 baris=np.zeros(n, dtype=np.int64), desa_id=np.array([r[1] for r in rows], dtype=np.int64),
                 label=labels)


def _decode_all(texts: list) -> list[dict]:
    """Many JSON objects at once: one parse of a joined array is several times faster than one
    ``json.loads`` per record (PostgreSQL drivers may already return dicts)."""
    if not texts or not isinstance(texts[0], str | type(None)):
        return [t or {} for t in texts]
    return json.loads("[" + ",".join(t or "{}" for t in texts) + "]")


def kamus_registri(unit: str, desa_ids: list[int], *, atribut: bool = True, ids: list[int] | None = None
                   ) -> list[tuple[int, str, object, str, str]]:
    """Stored values outside their code list or range: (record id, variable, value, rule, message).

    Core columns are screened by the database (plain column comparisons, one query). Attributes
    are JSON: decoding 216k of them costs seconds, so ``atribut=False`` skips them (the caller
    does that when the dictionary has not changed since the desa's last full check, because
    every write validates its attributes) and ``ids`` limits the check to some records.
    """
    from presisi.dictionary.validation import check_value

    spec = unit_spec(unit)
    model = MODELS[unit]
    fields = {f.name for f in model._meta.concrete_fields}
    checked = {k: v for k, v in spec.items() if v.tipe in (KODE, BILANGAN, DESIMAL) and (v.tipe != KODE or v.codes)}
    core = [k for k, v in checked.items() if k in fields and v.penyimpanan != ATRIBUT]
    qs = registry_queryset(unit, desa_ids)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    out = []
    screen = Q()
    for name in core:
        var = checked[name]
        bad = ~Q(**{f"{name}__in": sorted(var.codes)}) if var.tipe == KODE else Q(pk__in=[])
        if var.minimum is not None:
            bad |= Q(**{f"{name}__lt": var.minimum})
        if var.maximum is not None:
            bad |= Q(**{f"{name}__gt": var.maximum})
        screen |= Q(**{f"{name}__isnull": False}) & bad
    if core:
        for row in qs.filter(screen).values_list("id", *core):
            for name, value in zip(core, row[1:], strict=True):
                if value is not None and (rule := check_value(checked[name], value))[1] is not None:
                    out.append((row[0], name, value, "klasifikasi" if rule[1] == "tipe" else rule[1], rule[2]))
    if not atribut:
        return out
    attrs = {k: v for k, v in checked.items() if k not in core}
    rows = list(qs.values_list("id", Cast("atribut", TextField())))
    decoded = _decode_all([r[1] for r in rows])
    bad_pairs = _bad_pairs(attrs, decoded)
    if bad_pairs:
        for row, values in zip(rows, decoded, strict=True):
            for name, value in values.items():
                if (name, _hashable(value)) in bad_pairs:
                    _, rule, message = check_value(attrs[name], value)
                    out.append((row[0], name, value, "klasifikasi" if rule in ("tipe", None) else rule, message))
    return out


def kamus_sidik() -> str:
    """A fingerprint of every variable's type, code list and range: when it is unchanged since a
    desa's last full check, its stored attributes need no re-check."""
    from presisi.dictionary.validation import dictionary_spec

    items = sorted((u, k, v.tipe, tuple(sorted(v.codes)), v.minimum, v.maximum, v.pola)
                   for u, vars_ in dictionary_spec().items() for k, v in vars_.items())
    return hashlib.sha1(repr(items).encode()).hexdigest()


def _hashable(value):
    return value if isinstance(value, int | float | str | bool | type(None)) else str(value)


def _bad_pairs(checked: dict, decoded: list[dict]) -> set[tuple[str, object]]:
    """The distinct (variable, value) pairs that break the dictionary: counted in C, judged once each."""
    from presisi.dictionary.validation import check_value

    pairs = Counter(chain.from_iterable(d.items() for d in decoded)) if all(
        isinstance(v, int | float | str | bool | type(None)) for d in decoded[:1] for v in d.values()) else \
        Counter((k, _hashable(v)) for d in decoded for k, v in d.items())
    bad = set()
    for (name, value) in pairs:
        var = checked.get(name)
        if var is not None and value is not None and check_value(var, value)[1] is not None:
            bad.add((name, value))
    return bad


def keluarga_nomor(frame_keluarga: Frame) -> dict[int, str]:
    return dict(zip(frame_keluarga.objek_id.tolist(), frame_keluarga.text("no_kk").tolist(), strict=True))

