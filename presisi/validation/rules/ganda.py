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
# A (birth date, sex) block up to this size has every pair compared (at most ~500,000 pairs).
MAKS_BLOK_PENUH = 1000
# Larger blocks are compared within name keys (the first 3 letters of each name word of 3+ letters);
# a key shared by more people than this is too common to block on (Wayan, Made…) and is skipped.
MAKS_SUBBLOK = 1000
# Pairs scored at once: memory stays bounded whatever the block sizes.
PASANGAN_PER_LANGKAH = 250_000


def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    if size > 64:  # only small blocks recur often enough to keep; big index arrays would pile up
        return np.triu_indices(size, 1)
    if size not in _TRIU:
        _TRIU[size] = np.triu_indices(size, 1)
    return _TRIU[size]


def _kunci_nama(nama: str) -> set[str]:
    return {w[:3] for w in default_process(str(nama or "")).split() if len(w) >= 3}


def _pasangan(key: np.ndarray, nama: np.ndarray,
              besar: list[tuple[int, int, int]]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Pairs (i, j) of records in the same block (``key``: birth day × sex), in chunks of at most
    about PASANGAN_PER_LANGKAH pairs. Blocks over MAKS_BLOK_PENUH are paired within name keys
    (a pair may come twice, once per shared key) and listed in ``besar`` as (key, people, people
    without a usable name key, i.e. compared with nobody)."""
    order = np.argsort(key, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(key[order])) + 1]
    sizes = np.diff(np.r_[starts, len(order)])
    small = sizes <= MAKS_BLOK_PENUH
    for size in np.unique(sizes[small & (sizes >= 2)]):
        a, b = _triu(int(size))
        bases = starts[small & (sizes == size)]
        step = max(1, PASANGAN_PER_LANGKAH // len(a))
        for k in range(0, len(bases), step):
            base = bases[k:k + step][:, None]
            yield order[(base + a).ravel()], order[(base + b).ravel()]
    for start, size in zip(starts[~small].tolist(), sizes[~small].tolist(), strict=True):
        members = order[start:start + size]
        groups: dict[str, list[int]] = {}
        for m in members.tolist():
            for k in _kunci_nama(nama[m]):
                groups.setdefault(k, []).append(m)
        usable = [np.array(g, dtype=np.int64) for g in groups.values() if 2 <= len(g) <= MAKS_SUBBLOK]
        compared = np.unique(np.concatenate(usable)) if usable else np.empty(0, np.int64)
        besar.append((int(key[members[0]]), size, size - len(compared)))
        left: list[np.ndarray] = []
        right: list[np.ndarray] = []
        pending = 0
        for g in usable:
            a, b = _triu(len(g))
            left.append(g[a])
            right.append(g[b])
            pending += len(a)
            if pending >= PASANGAN_PER_LANGKAH:
                yield np.concatenate(left), np.concatenate(right)
                left, right, pending = [], [], 0
        if left:
            yield np.concatenate(left), np.concatenate(right)


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
    key = day * 4 + sex  # same birth date and same sex
    besar: list[tuple[int, int, int]] = []
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for i, j in _pasangan(key, nama, besar):
        keep = ((src[i] >= 0) | (src[j] >= 0)) & ((nik[i] != nik[j]) | (nik[i] == ""))
        i, j = i[keep], j[keep]
        if len(i):
            name = _scores(nama[i], nama[j])
            close = name >= NAMA_MINIMUM
            found.append((i[close], j[close], name[close]))
    ktx.blok_besar += [(k // 4, k % 4, size, alone) for k, size, alone in besar]
    if not found:
        return
    i, j, name = (np.concatenate([f[n] for f in found]) for n in range(3))
    if besar:  # name-key blocking can pair two people once per shared key: keep each pair once
        _, first = np.unique(np.minimum(i, j) * len(key) + np.maximum(i, j), return_index=True)
        first.sort()
        i, j, name = i[first], j[first], name[first]
    if len(i) == 0:
        return
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
