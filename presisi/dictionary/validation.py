"""Checking values against the dictionary: one record (forms, API) or whole columns (imports, synth).

The dictionary is read once into an in-memory spec and reused; ``clear_cache`` runs after
every dictionary change.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from presisi.core.exceptions import Finding
from presisi.core.i18n import BAHASA_INDONESIA, bahasa_aktif
from presisi.dictionary.models import BILANGAN, DESIMAL, KODE, TANGGAL, TEKS, Variabel


@dataclass(frozen=True)
class VarSpec:
    kode: str
    nama: str
    unit: str
    tipe: str
    penyimpanan: str
    codes: frozenset[int]
    labels: tuple[tuple[int, str], ...]
    minimum: float | None
    maximum: float | None
    pola: str | None
    wajib: bool
    # code labels in other languages ({"en": ((1, "Male"), ...)}), from the items' ``terjemahan``
    labels_lain: tuple[tuple[str, tuple[tuple[int, str], ...]], ...] = ()

    def pilihan(self) -> list[tuple[int, str]]:
        """Code labels in the active language (Indonesian where a label has no translation), for display.
        Findings keep the Indonesian ``labels``."""
        lang = bahasa_aktif()
        if lang != BAHASA_INDONESIA:
            for kode_bahasa, labels in self.labels_lain:
                if kode_bahasa == lang:
                    return list(labels)
        return list(self.labels)


def _labels_lain(items: list) -> tuple[tuple[str, tuple[tuple[int, str], ...]], ...]:
    langs = sorted({lang for i in items for lang in (i.terjemahan or {}) if isinstance(i.terjemahan[lang], dict)})
    return tuple((lang, tuple((i.kode, (i.terjemahan or {}).get(lang, {}).get("label") or i.label) for i in items))
                 for lang in langs)


@cache
def dictionary_spec() -> dict[str, dict[str, VarSpec]]:
    """unit → variable code → spec, for active variables."""
    spec: dict[str, dict[str, VarSpec]] = {}
    qs = Variabel.objects.filter(aktif=True).select_related("klasifikasi").prefetch_related("klasifikasi__item")
    for v in qs:
        items = list(v.klasifikasi.item.all()) if v.klasifikasi else []
        rules = v.aturan_validasi or {}
        spec.setdefault(v.unit, {})[v.kode] = VarSpec(
            kode=v.kode,
            nama=v.nama,
            unit=v.unit,
            tipe=v.tipe,
            penyimpanan=v.penyimpanan,
            codes=frozenset(i.kode for i in items),
            labels=tuple((i.kode, i.label) for i in items),
            minimum=rules.get("min"),
            maximum=rules.get("max"),
            pola=rules.get("pola"),
            wajib=bool(rules.get("wajib", False)),
            labels_lain=_labels_lain(items),
        )
    return spec


def clear_cache() -> None:
    dictionary_spec.cache_clear()


def unit_spec(unit: str) -> dict[str, VarSpec]:
    return dictionary_spec().get(unit, {})


def _coerce(spec: VarSpec, value: Any) -> tuple[Any, str | None]:
    """The value in its stored type, or a message saying why it does not fit."""
    if spec.tipe in (KODE, BILANGAN):
        if isinstance(value, bool):
            return None, "harus bilangan bulat"
        try:
            number = int(value) if not isinstance(value, float) or value.is_integer() else None
        except (TypeError, ValueError):
            number = None
        if number is None:
            return None, "harus bilangan bulat" if spec.tipe == BILANGAN else "harus kode angka"
        return number, None
    if spec.tipe == DESIMAL:
        try:
            return float(value), None
        except (TypeError, ValueError):
            return None, "harus bilangan desimal (gunakan titik sebagai pemisah desimal)"
    if spec.tipe == TANGGAL:
        if isinstance(value, dt.date):
            return value.isoformat(), None
        try:
            return dt.date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, "harus tanggal dengan format TTTT-BB-HH"
    return str(value), None


def check_value(spec: VarSpec, value: Any) -> tuple[Any, str | None, str | None]:
    """(stored value, rule code, message) — rule and message are None when the value is fine."""
    coerced, problem = _coerce(spec, value)
    if problem:
        return None, "tipe", problem
    if spec.tipe == KODE and coerced not in spec.codes:
        allowed = ", ".join(f"{k}={lbl}" for k, lbl in spec.labels[:12])
        more = " …" if len(spec.labels) > 12 else ""
        return None, "klasifikasi", f"kode tidak ada dalam klasifikasi {spec.nama} ({allowed}{more})"
    if spec.tipe in (BILANGAN, DESIMAL):
        if spec.minimum is not None and coerced < spec.minimum:
            return None, "rentang", f"{spec.nama} minimal {spec.minimum}"
        if spec.maximum is not None and coerced > spec.maximum:
            return None, "rentang", f"{spec.nama} maksimal {spec.maximum}"
    if spec.tipe == TEKS and spec.pola and not re.fullmatch(spec.pola, coerced):
        return None, "pola", f"{spec.nama} tidak sesuai format yang diwajibkan"
    return coerced, None, None


def validate_record(unit: str, values: dict[str, Any], *, row: int | None = None,
                    partial: bool = False) -> tuple[dict[str, Any], list[Finding]]:
    """Check one record's dictionary values; returns the cleaned values and the findings.

    Unknown variables are errors (nothing outside the dictionary is stored). Empty values
    (None or "") mean "not recorded" and are dropped unless the variable is required.
    """
    spec = unit_spec(unit)
    clean: dict[str, Any] = {}
    findings: list[Finding] = []
    for key, value in values.items():
        var = spec.get(key)
        if var is None:
            findings.append(Finding(rule="variabel_tidak_dikenal", row=row, column=key, value=value,
                                    message=f"variabel tidak ada dalam kamus data untuk unit {unit}"))
            continue
        if value is None or value == "":
            if var.wajib and not partial:
                findings.append(Finding(rule="wajib", row=row, column=key, message=f"{var.nama} wajib diisi"))
            continue
        stored, rule, message = check_value(var, value)
        if rule:
            findings.append(Finding(rule=rule, row=row, column=key, value=value, message=message))
        else:
            clean[key] = stored
    if not partial:
        for key, var in spec.items():
            if var.wajib and key not in values:
                findings.append(Finding(rule="wajib", row=row, column=key, message=f"{var.nama} wajib diisi"))
    return clean, findings


def validate_columns(unit: str, columns: dict[str, np.ndarray], *, first_row: int = 1,
                     limit: int = 1000) -> list[Finding]:
    """Vectorised check of whole columns (numpy arrays, NaN/-1 = missing) for bulk writes.

    Returns at most ``limit`` findings; row numbers start at ``first_row``.
    """
    spec = unit_spec(unit)
    findings: list[Finding] = []
    for key, col in columns.items():
        var = spec.get(key)
        if var is None:
            findings.append(Finding(rule="variabel_tidak_dikenal", column=key,
                                    message=f"variabel tidak ada dalam kamus data untuk unit {unit}"))
            continue
        arr = np.asarray(col)
        if var.tipe in (KODE, BILANGAN, DESIMAL):
            values = arr.astype(float)
            present = ~np.isnan(values)
            if var.tipe == KODE:
                bad = present & ~np.isin(values, np.fromiter(var.codes, dtype=float))
                rule = "klasifikasi"
            else:
                bad = np.zeros_like(present)
                if var.minimum is not None:
                    bad |= present & (values < var.minimum)
                if var.maximum is not None:
                    bad |= present & (values > var.maximum)
                rule = "rentang"
            for idx in np.flatnonzero(bad)[: max(0, limit - len(findings))]:
                findings.append(Finding(rule=rule, row=first_row + int(idx), column=key, value=values[idx].item(),
                                        message=f"nilai tidak sah untuk {var.nama}"))
        if len(findings) >= limit:
            break
    return findings


def label_for(unit: str, kode_variabel: str, value: Any) -> str:
    var = unit_spec(unit).get(kode_variabel)
    if var is None or var.tipe != KODE:
        return "" if value is None else str(value)
    return dict(var.labels).get(value, str(value))


def label_tampil(unit: str, kode_variabel: str, value: Any) -> str:
    """``label_for`` in the reader's language, for pages (findings and stored texts keep ``label_for``)."""
    var = unit_spec(unit).get(kode_variabel)
    if var is None or var.tipe != KODE:
        return "" if value is None else str(value)
    return dict(var.pilihan()).get(value, str(value))
