"""Duplicates: the same key twice (NIK, No. KK, household/building code), within a file or
against the registry, and people who are probably the same person under two numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.validation.frames import Frame
from presisi.validation.rules.base import Hit, Konteks, rule

AMBANG_GANDA = 90.0
_NOT_LETTER = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def row_ref(frame: Frame, i: int) -> str:
    """How a message names another record: its file row, or its identity in the registry."""
    if frame.baris[i] > 0:
        return f"baris {int(frame.baris[i])}"
    return frame.label[i] if frame.label else f"rekaman #{int(frame.objek_id[i])}"


def _key_duplicates(frame: Frame, ktx: Konteks, *, var: str, code: str, unit: str) -> Iterator[Hit]:
    keys = frame.text(var)
    if frame.n == 0:
        return
    idx_out, other = [], []
    first: dict[str, int] = {}
    elsewhere = ktx.terdaftar_lain.get(unit, {})
    for i, key in enumerate(keys):
        if not key:
            continue
        if key in first:
            idx_out.append(i)
            other.append(f"sama dengan {row_ref(frame, first[key])}")
        else:
            first[key] = i
            if key in elsewhere:
                idx_out.append(i)
                other.append(f"sudah terdaftar di {elsewhere[key]}")
    idx = np.array(idx_out, dtype=np.int64)
    yield Hit(code, idx, var, [keys[i] for i in idx], {"lainnya": other})


@rule(INDIVIDU, "nik_ganda")
def nik_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    yield from _key_duplicates(frame, ktx, var="nik", code="nik_ganda", unit=INDIVIDU)


@rule(KELUARGA, "kk_ganda")
def kk_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    yield from _key_duplicates(frame, ktx, var="no_kk", code="kk_ganda", unit=KELUARGA)


@rule(RUMAH_TANGGA, "kode_ganda_rumah_tangga")
def rt_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    yield from _key_duplicates(frame, ktx, var="kode_rumah_tangga", code="kode_ganda_rumah_tangga",
                               unit=RUMAH_TANGGA)


@rule(BANGUNAN, "kode_ganda_bangunan")
def bangunan_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    yield from _key_duplicates(frame, ktx, var="kode_bangunan", code="kode_ganda_bangunan", unit=BANGUNAN)


def normalize_person_name(name: str) -> str:
    text = _NOT_LETTER.sub(" ", (name or "").lower())
    return _SPACES.sub(" ", text).strip()


def _pool(frame: Frame, ktx: Konteks):
    """Frame people plus registry candidates, as (birth day, name, father, mother, nik, source)."""
    birth = frame.dates("tanggal_lahir")
    ok = np.flatnonzero(~np.isnat(birth))
    parts = [(birth[ok].astype(np.int64), frame.text("nama")[ok], frame.text("nama_ayah")[ok],
              frame.text("nama_ibu")[ok], frame.text("nik")[ok], ok)]
    k = ktx.kandidat
    if k is not None and len(k.nik):
        kb = k.tanggal_lahir
        kok = np.flatnonzero(~np.isnat(kb))
        parts.append((kb[kok].astype(np.int64), k.nama[kok], k.nama_ayah[kok], k.nama_ibu[kok], k.nik[kok],
                      -1 - kok))  # negative source = candidate -1-i
    cat = [np.concatenate([np.asarray(p[i], dtype=object if i else np.int64) for p in parts]) for i in range(6)]
    return cat[0].astype(np.int64), cat[1], cat[2], cat[3], cat[4], cat[5].astype(np.int64)


def _score(a: tuple[str, str, str], b: tuple[str, str, str]) -> float:
    name = fuzz.token_sort_ratio(a[0], b[0])
    weights, total = 0.6, 0.6 * name
    for x, y in ((a[1], b[1]), (a[2], b[2])):
        if x and y:
            weights += 0.2
            total += 0.2 * fuzz.token_sort_ratio(x, y)
    return total / weights


def _target(frame: Frame, a: int, b: int) -> tuple[int, int]:
    """Which of a pair the finding goes on: a frame record (not a candidate), preferably a file
    row, else the later record; the other is named in the message."""
    if a >= 0 and b >= 0 and (frame.baris[a] > 0) != (frame.baris[b] > 0):
        return (a, b) if frame.baris[a] > 0 else (b, a)
    return max(a, b), min(a, b)


@rule(INDIVIDU, "kemungkinan_ganda")
def kemungkinan_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    """Same birth date, and name + parents' names scoring ≥ 90 (rapidfuzz token sort ratio)."""
    day, nama, ayah, ibu, nik, src = _pool(frame, ktx)
    if len(day) < 2:
        return
    order = np.argsort(day, kind="stable")
    day_sorted = day[order]
    bounds = np.flatnonzero(np.diff(day_sorted)) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(order)]
    big = (ends - starts) >= 2
    normal: dict[int, tuple[str, str, str]] = {}
    out_idx, other, scores = [], [], []
    for s, e in zip(starts[big], ends[big], strict=True):
        rows = order[s:e]
        if (src[rows] < 0).all():
            continue
        names = [normalize_person_name(nama[r]) for r in rows]
        close = cdist(names, names, scorer=fuzz.token_sort_ratio, score_cutoff=80, dtype=np.uint8)
        for a, b in zip(*np.nonzero(np.triu(close, 1)), strict=True):
            ra, rb = rows[a], rows[b]
            if nik[ra] and nik[ra] == nik[rb]:
                continue  # the same number twice is nik_ganda, not a probable duplicate
            for r in (ra, rb):
                if r not in normal:
                    normal[r] = (names[a] if r == ra else names[b], normalize_person_name(ayah[r]),
                                 normalize_person_name(ibu[r]))
            score = _score(normal[ra], normal[rb])
            if score < AMBANG_GANDA:
                continue
            target, partner = _target(frame, int(src[ra]), int(src[rb]))
            out_idx.append(target)
            other.append(row_ref(frame, partner) if partner >= 0 else ktx.kandidat.keterangan[-1 - partner])
            scores.append(f"{score:.0f}")
    idx = np.array(out_idx, dtype=np.int64)
    yield Hit("kemungkinan_ganda", idx, "nama", [frame.text("nama")[i] for i in idx],
              {"lainnya": other, "skor": scores})
