"""What every rule gets (a Frame and a Konteks) and gives back (Hits)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from presisi.regions.known import KodeWilayah
from presisi.validation.frames import Frame

DESA_LEVEL = -1  # idx of a finding about the whole desa rather than one record


@dataclass
class Hit:
    """Records of a frame that break one rule. ``params`` fill the rule's message template."""

    aturan: str
    idx: np.ndarray
    kolom: str
    nilai: Sequence[Any] | None = None
    params: dict[str, Sequence[Any]] = field(default_factory=dict)
    desa_id: int | None = None  # for desa-level hits (idx = [DESA_LEVEL])
    pesan: Sequence[str] | None = None  # a ready message per record (dictionary rules)


@dataclass
class Kandidat:
    """Registry people outside the frame that duplicates are searched among."""

    nik: np.ndarray
    nama: np.ndarray
    tanggal_lahir: np.ndarray
    nama_ayah: np.ndarray
    nama_ibu: np.ndarray
    keterangan: list[str]  # "NIK … nama di desa …" for the message
    jenis_kelamin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


@dataclass
class Konteks:
    tanggal_referensi: dt.date
    hari_ini: dt.date
    kecamatan_dikenal: set[str]
    kabupaten_desa: dict[int, str]  # desa id → undotted regency code ("5105")
    desa_nama: dict[int, str] = field(default_factory=dict)
    jumlah_sebelumnya: dict[int, tuple[int, str]] = field(default_factory=dict)  # desa id → (people, period)
    kandidat: Kandidat | None = None
    terdaftar_lain: dict[str, dict[str, str]] = field(default_factory=dict)  # unit → key → "where"
    mode: str = "registri"  # or "impor"
    # registry mode: dictionary violations found by the database, unit → (idx, variable, value, rule, message)
    kamus_registri: dict[str, list[tuple[int, str, Any, str, str]]] | None = None
    kode_wilayah: KodeWilayah | None = None  # known region codes for NIK/KK; None = the shipped Bali list
    # person id → reason of each identity correction of the period (registry.individu.koreksi_identitas)
    koreksi_identitas: dict[int, str] = field(default_factory=dict)
    # (birth day as days since 1970, sex code, people, people compared by no name key) of each
    # (birth date, sex) block too large to compare pair by pair (kemungkinan_ganda); the import reports them
    blok_besar: list[tuple[int, int, int, int]] = field(default_factory=list)


RuleFn = Callable[[Frame, Konteks], Iterator[Hit]]


@dataclass(frozen=True)
class RuleDef:
    unit: str | None  # None = every unit (dictionary rules)
    codes: tuple[str, ...]
    fn: RuleFn


RULES: list[RuleDef] = []


def rule(unit: str | None, *codes: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        RULES.append(RuleDef(unit=unit, codes=codes, fn=fn))
        return fn

    return register


def where(mask: np.ndarray) -> np.ndarray:
    return np.flatnonzero(mask)
