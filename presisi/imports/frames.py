"""Frames over an import's resulting records (file rows first, then the rest of the desa), so
the validation rules see each family and the desa as they will be after the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from presisi.dictionary.models import INDIVIDU, TEKS
from presisi.dictionary.validation import unit_spec
from presisi.imports.columns import KEY
from presisi.imports.plan import RencanaUnit
from presisi.validation.frames import Frame, age_years, column_from_values, factorize
from presisi.validation.registry_frames import LABEL


def frame_dari_rencana(plan: RencanaUnit, *, desa_id: int, ref: dt.date,
                       konteks: list[dict[str, Any]] | None = None) -> tuple[Frame, list[int]]:
    """(frame, table row index of each frame row; -1 for registry context rows)."""
    rows = [(i, t) for i, t in enumerate(plan.target) if t is not None]
    records = [t for _, t in rows] + list(konteks or [])
    index = [i for i, _ in rows] + [-1] * len(konteks or [])
    n = len(records)
    spec = unit_spec(plan.unit)
    names = set().union(*(r.keys() for r in records), *(r["atribut"].keys() for r in records)) if records else set()
    cols: dict[str, np.ndarray] = {}
    for name in names:
        if name in ("atribut", "id", "status_dasar", "banjar_id", "aktif", "banjar_adat_id"):
            continue
        tipe = spec[name].tipe if name in spec else ("desimal" if name in ("lat", "lng") else TEKS)
        values = [r[name] if name in r else r["atribut"].get(name) for r in records]
        cols[name] = column_from_values(tipe, values)
    key = KEY[plan.unit]
    if key not in cols:
        cols[key] = np.array([r.get(key, "") for r in records], dtype=object)
    if plan.unit == INDIVIDU:
        cols["_keluarga"] = factorize(np.array([r.get("no_kk") or "" for r in records], dtype=object)).astype(float)
        cols["umur"] = age_years(cols.get("tanggal_lahir", np.full(n, np.datetime64("NaT"))), ref)
    baris = np.array([plan.tabel.baris[i] if i >= 0 else 0 for i in index], dtype=np.int64)
    objek = np.array([(plan.existing.get(r[key]) or {}).get("id", 0) or r.get("id", 0) or 0 for r in records],
                     dtype=np.int64)
    prefix = LABEL[plan.unit]  # the same labels as frames read from the registry
    labels = [f"{prefix} {r.get(key)} {r.get('nama', '')}" if plan.unit == INDIVIDU else f"{prefix} {r.get(key)}"
              for r in records]
    return Frame(unit=plan.unit, n=n, cols=cols, objek_id=objek, baris=baris,
                 desa_id=np.full(n, desa_id, dtype=np.int64), label=labels,
                 kolom_berkas=dict(plan.tabel.kolom_berkas)), index
