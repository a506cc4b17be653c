"""Consistency of a person's own values and of a family card (codes.md §6), over whole columns."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from presisi.dictionary.models import INDIVIDU
from presisi.dictionary.validation import label_for
from presisi.validation.frames import Frame
from presisi.validation.rules.base import Hit, Konteks, rule, where

SLTA = 5
KAWIN_PERNAH = (2, 3, 4)
TIDAK_BEKERJA = (1, 2, 3)  # belum/tidak bekerja, mengurus rumah tangga, pelajar/mahasiswa
KEPALA, SUAMI, ISTRI, ANAK = 1, 2, 3, 4
HAMIL = 1
MIN_SELISIH = 12.0
DAYS_PER_YEAR = 365.2425


def _labels(var: str, values: np.ndarray) -> list[str]:
    return [label_for(INDIVIDU, var, int(v)) for v in values]


def _ages(frame: Frame, idx: np.ndarray) -> list[int]:
    return [int(a) for a in frame.num("umur")[idx]]


@rule(INDIVIDU, "umur_pendidikan", "umur_kawin", "umur_bekerja")
def umur_rules(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    umur = frame.num("umur")
    for code, var, bad in (
        ("umur_pendidikan", "pendidikan", (umur < 15) & (frame.num("pendidikan") >= SLTA)),
        ("umur_kawin", "status_kawin", (umur < 16) & np.isin(frame.num("status_kawin"), KAWIN_PERNAH)),
        ("umur_bekerja", "pekerjaan",
         (umur < 10) & ~np.isnan(frame.num("pekerjaan")) & ~np.isin(frame.num("pekerjaan"), TIDAK_BEKERJA)),
    ):
        idx = where(bad)
        values = frame.num(var)[idx]
        yield Hit(code, idx, var, [int(v) for v in values], {"umur": _ages(frame, idx), "label": _labels(var, values)})


@rule(INDIVIDU, "hamil_tidak_wajar")
def hamil_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    hamil = frame.num("hamil") == HAMIL
    umur = frame.num("umur")
    male = frame.num("jenis_kelamin") == 1
    bad = hamil & (male | (umur < 10) | (umur > 54))
    idx = where(bad)
    reasons = ["laki-laki" if male[i] else f"umur {int(umur[i])} tahun" for i in idx]
    yield Hit("hamil_tidak_wajar", idx, "hamil", [HAMIL] * len(idx), {"alasan": reasons})


def _family_groups(frame: Frame) -> tuple[np.ndarray, np.ndarray]:
    """Rows sorted by family key, and the start of each family in that order."""
    fam = frame.num("_keluarga").astype(np.int64) if "_keluarga" in frame.cols else np.zeros(frame.n, np.int64)
    order = np.argsort(fam, kind="stable")
    starts = np.r_[0, np.flatnonzero(np.diff(fam[order])) + 1] if frame.n else np.empty(0, np.int64)
    return order, starts


@rule(INDIVIDU, "kepala_keluarga_tunggal")
def kepala_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    if frame.n == 0 or "_keluarga" not in frame.cols:
        return
    fam = frame.num("_keluarga").astype(np.int64)
    head = frame.num("hubungan_keluarga") == KEPALA
    n_fam = int(fam.max()) + 1
    heads = np.bincount(fam, weights=head, minlength=n_fam).astype(int)
    bad_fam = (heads != 1) & (np.bincount(fam, minlength=n_fam) > 0)
    # Report on the heads of a card with several, or on the first member of a card with none.
    first = np.full(n_fam, -1)
    first[fam[::-1]] = np.arange(frame.n)[::-1]
    # Prefer a member from the file, so that an import's finding names a file row.
    from_file = where(frame.baris > 0)
    first[fam[from_file][::-1]] = from_file[::-1]
    many = where(bad_fam[fam] & head)
    none = first[where(bad_fam & (heads == 0))]
    none = none[none >= 0]
    idx = np.concatenate([many, none]).astype(np.int64)
    no_kk = frame.text("no_kk")
    yield Hit("kepala_keluarga_tunggal", idx, "hubungan_keluarga", [int(x) if not np.isnan(x) else "" for x in
                                                                     frame.num("hubungan_keluarga")[idx]],
              {"no_kk": list(no_kk[idx]), "jumlah": [int(heads[fam[i]]) for i in idx]})


@rule(INDIVIDU, "selisih_umur_anak")
def selisih_rule(frame: Frame, ktx: Konteks) -> Iterator[Hit]:
    if frame.n == 0 or "_keluarga" not in frame.cols:
        return
    fam = frame.num("_keluarga").astype(np.int64)
    shdk = frame.num("hubungan_keluarga")
    birth = frame.dates("tanggal_lahir")
    days = np.where(np.isnat(birth), 0, birth.astype(np.int64))
    n_fam = int(fam.max()) + 1
    names = frame.text("nama")
    for role, who in ((KEPALA, "kepala keluarga"), ((SUAMI, ISTRI), "suami/istri kepala keluarga")):
        is_role = np.isin(shdk, role) & ~np.isnat(birth)
        parent = np.full(n_fam, -1)
        rows = where(is_role)
        parent[fam[rows]] = rows  # the last one when several (polygamy is rare; a warning anyway)
        child = where((shdk == ANAK) & ~np.isnat(birth) & (parent[fam] >= 0))
        p = parent[fam[child]]
        gap = (days[child] - days[p]) / DAYS_PER_YEAR
        bad = gap < MIN_SELISIH
        idx = child[bad]
        yield Hit("selisih_umur_anak", idx, "tanggal_lahir", [str(x) for x in birth[idx]],
                  {"selisih": [f"{g:.1f}" for g in gap[bad]], "terhadap": [who] * len(idx),
                   "lainnya": [f"{names[j]}, lahir {birth[j]}" for j in p[bad]]})
