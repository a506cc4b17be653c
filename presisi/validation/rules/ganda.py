"""Duplicates: the same key twice (NIK, No. KK, household/building code), within a file or
against the registry, and people who are probably the same person under two numbers."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cpdist
from rapidfuzz.utils import default_process

from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.validation.frames import Frame
from presisi.validation.rules.base import Hit, Konteks, rule

AMBANG_GANDA = 90.0
# With both parents scoring 100 a name must still score (90 − 40) / 0.6 ≈ 83.3 to reach the threshold.
NAMA_MINIMUM = (AMBANG_GANDA - 40.0) / 0.6


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


def _pool(frame: Frame, ktx: Konteks):
    """Frame people plus registry candidates: (birth day, name, father, mother, nik, source)."""
    birth = frame.dates("tanggal_lahir")
    ok = np.flatnonzero(~np.isnat(birth))
    sex = np.nan_to_num(frame.num("jenis_kelamin"), nan=0).astype(np.int64)
    parts = [(birth[ok].astype(np.int64), frame.text("nama")[ok], frame.text("nama_ayah")[ok],
              frame.text("nama_ibu")[ok], frame.text("nik")[ok], ok, sex[ok])]
    k = ktx.kandidat
    if k is not None and len(k.nik):
        kok = np.flatnonzero(~np.isnat(k.tanggal_lahir))
        parts.append((k.tanggal_lahir[kok].astype(np.int64), k.nama[kok], k.nama_ayah[kok], k.nama_ibu[kok],
                      k.nik[kok], -1 - kok, k.jenis_kelamin[kok]))  # negative source = candidate -1-i
    day = np.concatenate([p[0] for p in parts]).astype(np.int64)
    texts = [np.concatenate([np.asarray(p[i], dtype=object) for p in parts]) for i in (1, 2, 3, 4)]
    src = np.concatenate([np.asarray(p[5], dtype=np.int64) for p in parts])
    sexes = np.concatenate([np.asarray(p[6], dtype=np.int64) for p in parts])
    return day, texts[0], texts[1], texts[2], texts[3], src, sexes


_TRIU: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _block_pairs(day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (i, j), i before j, of records born on the same day (vectorised per block size)."""
    order = np.argsort(day, kind="stable")
    bounds = np.flatnonzero(np.diff(day[order])) + 1
    starts = np.r_[0, bounds]
    sizes = np.diff(np.r_[starts, len(order)])
    left, right = [], []
    for size in np.unique(sizes[sizes >= 2]):
        if size not in _TRIU:
            _TRIU[size] = np.triu_indices(int(size), 1)
        a, b = _TRIU[size]
        base = starts[sizes == size][:, None]
        left.append(order[(base + a).ravel()])
        right.append(order[(base + b).ravel()])
    if not left:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(left), np.concatenate(right)


def _scores(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return cpdist(list(a), list(b), scorer=fuzz.token_sort_ratio, processor=default_process, dtype=np.float32)


def _target(frame: Frame, a: int, b: int) -> tuple[int, int]:
    """Which of a pair the finding goes on: a frame record (not a candidate), preferably a file
    row, else the later record; the other is named in the message."""
    if a >= 0 and b >= 0 and (frame.baris[a] > 0) != (frame.baris[b] > 0):
        return (a, b) if frame.baris[a] > 0 else (b, a)
    return max(a, b), min(a, b)


@rule(INDIVIDU, "kemungkinan_ganda")
def kemungkinan_ganda(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    """Same birth date, and name + parents' names scoring ≥ 90: 0.6 × name + 0.2 × each parent
    present on both records (rapidfuzz token sort ratio), scored pair by pair in C."""
    day, nama, ayah, ibu, nik, src, sex = _pool(frame, ktx)
    i, j = _block_pairs(day * 4 + sex)  # same birth date and same sex
    keep = ((src[i] >= 0) | (src[j] >= 0)) & ((nik[i] != nik[j]) | (nik[i] == ""))
    i, j = i[keep], j[keep]
    if len(i) == 0:
        return
    name = _scores(nama[i], nama[j])
    close = name >= NAMA_MINIMUM
    i, j, name = i[close], j[close], name[close]
    total, weight = 0.6 * name.astype(float), np.full(len(i), 0.6)
    for col in (ayah, ibu):
        both = (col[i] != "") & (col[j] != "")
        total += np.where(both, 0.2 * _scores(col[i], col[j]), 0.0)
        weight += np.where(both, 0.2, 0.0)
    score = total / weight
    hit = np.flatnonzero(score >= AMBANG_GANDA)
    out_idx, other, scores = [], [], []
    for k in hit:
        target, partner = _target(frame, int(src[i[k]]), int(src[j[k]]))
        out_idx.append(target)
        other.append(row_ref(frame, partner) if partner >= 0 else ktx.kandidat.keterangan[-1 - partner])
        scores.append(f"{score[k]:.0f}")
    idx = np.array(out_idx, dtype=np.int64)
    yield Hit("kemungkinan_ganda", idx, "nama", [frame.text("nama")[x] for x in idx],
              {"lainnya": other, "skor": scores})
