"""Running the active rules over a Frame: hits → violations with their messages.

The catalogue of built-in rules lives in ``aturan_bawaan.yaml`` (codes, severities, messages);
the database row of each rule decides whether it is active and may reword its message or
change its severity, except for locked (structural) rules, which always run as errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from presisi.validation.frames import Frame
from presisi.validation.kondisi import Kondisi, kondisi_evaluasi, kondisi_periksa
from presisi.validation.models import ERROR, AturanValidasi
from presisi.validation.rules import DESA_LEVEL, RULES, Hit, Konteks

CATALOGUE = Path(__file__).resolve().parent / "aturan_bawaan.yaml"


@cache
def bawaan_catalogue() -> dict[str, dict[str, Any]]:
    with CATALOGUE.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    return {item["kode"]: item for item in doc["aturan"]}


@dataclass(frozen=True)
class AturanAktif:
    kode: str
    unit: str
    keparahan: str
    pesan: str
    kolom: str
    kondisi: Kondisi | None
    id: int | None


@dataclass
class Pelanggaran:
    """One record (idx in the frame, or DESA_LEVEL) breaking one rule."""

    aturan: str
    keparahan: str
    idx: int
    kolom: str
    nilai: Any
    pesan: str
    desa_id: int


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def format_pesan(template: str, values: dict[str, Any]) -> str:
    """The message with its placeholders filled; unknown placeholders stay as written."""
    try:
        return template.format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return template


def aturan_aktif(unit: str) -> dict[str, AturanAktif]:
    """Active rules for ``unit`` (dictionary rules apply to every unit), keyed by code."""
    catalogue = bawaan_catalogue()
    rows = {a.kode: a for a in AturanValidasi.objects.all()}
    out: dict[str, AturanAktif] = {}
    for kode, item in catalogue.items():
        row = rows.get(kode)
        locked = bool(item.get("terkunci"))
        if row is not None and not row.aktif and not locked:
            continue
        keparahan = ERROR if locked else (row.keparahan if row else item["keparahan"])
        out[kode] = AturanAktif(kode=kode, unit=item["unit"], keparahan=keparahan,
                                pesan=row.pesan if row and row.pesan else item["pesan"],
                                kolom=item.get("kolom", ""), kondisi=None, id=row.pk if row else None)
    for row in rows.values():
        if row.jenis != AturanValidasi.KONDISI or not row.aktif or row.unit != unit:
            continue
        kondisi, _ = kondisi_periksa(row.kondisi, row.unit)
        if kondisi is None:
            continue  # checked on save; a dictionary change can break it later: skip, do not crash
        out[row.kode] = AturanAktif(kode=row.kode, unit=row.unit, keparahan=row.keparahan, pesan=row.pesan,
                                    kolom=row.kolom or sorted(kondisi.variabel or {""})[0], kondisi=kondisi,
                                    id=row.pk)
    return out


def jalankan(frame: Frame, ktx: Konteks, aturan: dict[str, AturanAktif]) -> list[Pelanggaran]:
    """Every violation of the active rules in ``frame`` (one pass per rule, whole columns)."""
    out: list[Pelanggaran] = []
    for definition in RULES:
        if definition.unit not in (None, frame.unit) or not any(c in aturan for c in definition.codes):
            continue
        for hit in definition.fn(frame, ktx):
            rule = aturan.get(hit.aturan)
            if rule is not None and len(hit.idx):
                out.extend(_expand(hit, rule, frame))
    for rule in aturan.values():
        if rule.kondisi is not None and rule.unit == frame.unit:
            idx = np.flatnonzero(kondisi_evaluasi(rule.kondisi, frame))
            values = _values(frame, rule.kolom, idx)
            out.extend(_expand(Hit(rule.kode, idx, rule.kolom, values), rule, frame))
    return out


def _values(frame: Frame, kolom: str, idx: np.ndarray) -> list[Any]:
    col = frame.cols.get(kolom)
    if col is None:
        return [""] * len(idx)
    picked = col[idx]
    if col.dtype.kind == "f":
        return ["" if np.isnan(v) else (int(v) if float(v).is_integer() else float(v)) for v in picked]
    if col.dtype.kind == "M":
        return ["" if np.isnat(v) else str(v) for v in picked]
    return list(picked)


def _expand(hit: Hit, rule: AturanAktif, frame: Frame) -> list[Pelanggaran]:
    umur = frame.cols.get("umur")
    out = []
    for k, i in enumerate(hit.idx.tolist()):
        nilai = hit.nilai[k] if hit.nilai is not None else ""
        values = {key: seq[k] for key, seq in hit.params.items()}
        values.setdefault("nilai", nilai)
        values.setdefault("kolom", hit.kolom)
        if umur is not None and i != DESA_LEVEL and not np.isnan(umur[i]):
            values.setdefault("umur", int(umur[i]))
        if hit.pesan is not None:
            values["pesan_kamus"] = hit.pesan[k]
        desa_id = hit.desa_id if i == DESA_LEVEL else int(frame.desa_id[i])
        out.append(Pelanggaran(aturan=rule.kode, keparahan=rule.keparahan, idx=i, kolom=hit.kolom,
                               nilai=nilai, pesan=format_pesan(rule.pesan, values), desa_id=desa_id))
    return out
