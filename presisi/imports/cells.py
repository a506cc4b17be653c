"""Turning one raw cell into a dictionary value: codes, numbers, dates, text, banjar.

Each converter caches by raw value, so a column of 200,000 cells with a few dozen distinct
codes costs a few dozen conversions. A converter returns (value, rule, message); rule and
message are None when the cell is fine, and value None means "empty".
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from presisi.core.text import normalize_name
from presisi.dictionary.models import BILANGAN, DESIMAL, KODE, TANGGAL
from presisi.imports.columns import BANJAR, BANJAR_ADAT, Kolom
from presisi.regions.models import Wilayah
from presisi.regions.selectors_adat import banjar_adat_untuk_desa

Result = tuple[Any, str | None, str | None]
Converter = Callable[[Any], Result]

# Abbreviations operators and OpenSID use (codes.md §7: the importer also accepts BK/K/CH/CM).
ALIASES: dict[str, dict[str, int]] = {
    "status_kawin": {"bk": 1, "belumkawin": 1, "k": 2, "kawin": 2, "ch": 3, "ceraihidup": 3, "cm": 4,
                     "ceraimati": 4},
    "jenis_kelamin": {"l": 1, "lk": 1, "lakilaki": 1, "p": 2, "pr": 2, "perempuan": 2},
}
_LEADING_CODE = re.compile(r"^\s*(\d+)(?:\s*[-–.:)]\s*.*|\s+\D.*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_YMD = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
# Characters pasted from phones, PDFs and web pages: invisible ones go, unusual spaces become spaces.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"), None)
KOSONGKAN = "-"  # the explicit "clear this stored value" marker (a blank cell never erases)


def bersihkan(text: str) -> str:
    """Zero-width characters removed, NBSP and other spaces → ' ', digits of any script (Arabic-Indic,
    full-width, Devanagari…) → ASCII digits, so that a NIK pasted from a phone reads as typed."""
    if text.isascii():
        return text
    out = []
    for ch in text.translate(_INVISIBLE):
        if not ch.isascii():
            digit = unicodedata.decimal(ch, None)
            if digit is not None:
                ch = str(digit)
            elif ch.isspace():
                ch = " "
        out.append(ch)
    return "".join(out)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes | bytearray):
        value = value.decode("utf-8", "replace")
    return bersihkan(str(value)).strip()


def _code_converter(col: Kolom) -> Converter:
    var = col.var
    by_label = {normalize_name(label): kode for kode, label in var.labels}
    by_label.update(ALIASES.get(col.kode, {}))
    allowed = ", ".join(f"{k}={lbl}" for k, lbl in var.labels[:12]) + (" …" if len(var.labels) > 12 else "")

    def convert(raw: Any) -> Result:
        if isinstance(raw, bool):
            return None, "tipe", f"{var.nama} harus kode angka"
        if isinstance(raw, int | float):
            if isinstance(raw, float) and not raw.is_integer():
                return None, "tipe", f"{var.nama} harus kode angka bulat"
            code = int(raw)
        else:
            text = _text(raw)
            match = _LEADING_CODE.match(text)
            if match:
                code = int(match.group(1))
            elif normalize_name(text) in by_label:
                code = by_label[normalize_name(text)]
            else:
                return None, "klasifikasi", f"'{text}' tidak ada dalam klasifikasi {var.nama} ({allowed})"
        if code not in var.codes:
            return None, "klasifikasi", f"kode {code} tidak ada dalam klasifikasi {var.nama} ({allowed})"
        return code, None, None

    return convert


def _number_converter(col: Kolom) -> Converter:
    var = col.var
    integer = col.tipe == BILANGAN
    name = var.nama if var else col.label

    def convert(raw: Any) -> Result:
        if isinstance(raw, bool):
            return None, "tipe", f"{name} harus angka"
        try:
            if isinstance(raw, int | float):
                number = float(raw)
            else:
                text = _text(raw).replace(" ", "")
                if "," in text and "." not in text:
                    text = text.replace(",", ".")  # Indonesian decimal comma
                number = float(text)
        except (ValueError, OverflowError):
            return None, "tipe", f"{name} harus angka{' bulat' if integer else ''}"
        if not math.isfinite(number):
            return None, "tipe", f"{name} harus angka yang terhingga"
        if integer and not number.is_integer():
            return None, "tipe", f"{name} harus bilangan bulat"
        if var is not None and var.minimum is not None and number < var.minimum:
            return None, "rentang", f"{name} minimal {var.minimum}"
        if var is not None and var.maximum is not None and number > var.maximum:
            return None, "rentang", f"{name} maksimal {var.maximum}"
        return (int(number) if integer else number), None, None

    return convert


def parse_date(raw: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial day number (also as text) or text in
    TTTT-BB-HH, HH-BB-TTTT or HH/BB/TTTT; None when it is none of these."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return _EXCEL_EPOCH + dt.timedelta(days=int(raw)) if 1 < raw < 80000 else None  # Excel serial
    text = _text(raw)
    if text.isdigit() and len(text) == 5:
        return _EXCEL_EPOCH + dt.timedelta(days=int(text))  # a serial exported as text (CSV)
    for pattern, order in ((_YMD, (0, 1, 2)), (_DMY, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(match.group(i + 1)) for i in range(3)]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


def _date_converter(col: Kolom) -> Converter:
    name = col.var.nama if col.var else col.label

    def convert(raw: Any) -> Result:
        value = parse_date(raw)
        if value is None:
            return None, "tipe", f"{name} harus tanggal TTTT-BB-HH (mis. 1980-03-12) atau HH-BB-TTTT"
        if value > dt.date.today():
            return None, "rentang", f"{name} tidak boleh setelah hari ini"
        if value.year < 1880:
            return None, "rentang", f"{name} sebelum tahun 1880"
        return value, None, None

    return convert


def _text_converter(col: Kolom) -> Converter:
    pola = re.compile(col.var.pola) if col.var is not None and col.var.pola else None
    name = col.var.nama if col.var else col.label
    sixteen = col.kode in ("nik", "no_kk")

    def convert(raw: Any) -> Result:
        if sixteen and isinstance(raw, float) and math.isfinite(raw) and raw >= 1e15:
            text = str(int(raw))
            if text.endswith("0"):
                return None, "angka_excel", (f"{name} tersimpan sebagai angka di Excel sehingga digit ke-16 hilang "
                                             "(menjadi 0); format kolom sebagai Teks lalu ketik ulang")
            return text, None, None
        text = _text(raw)
        if sixteen:
            text = text.replace(" ", "").replace("'", "")
            if _SCIENTIFIC.match(text):
                return None, "angka_excel", (f"{name} tertulis sebagai angka ilmiah ({text}) sehingga digitnya "
                                             "hilang; format kolom sebagai Teks lalu ketik ulang 16 digitnya")
        if pola is not None and not pola.fullmatch(text):
            # a NIK or No. KK says what its format is
            return None, "pola", (f"{name} harus 16 digit angka" if sixteen
                                  else f"{name} tidak sesuai format yang diwajibkan")
        return text, None, None

    return convert


def _banjar_converter(banjar: list[Wilayah]) -> Converter:
    by_serial = {b.kode.rsplit(".", 1)[-1].lstrip("0"): b.pk for b in banjar}
    by_code = {b.kode: b.pk for b in banjar}
    by_name = {normalize_name(b.nama): b.pk for b in banjar}
    known = ", ".join(f"{b.kode.rsplit('.', 1)[-1]} {b.nama}" for b in banjar) or "(desa ini belum punya banjar)"

    def convert(raw: Any) -> Result:
        text = _text(raw)
        first = text.split(" ", 1)[0].split("-", 1)[0].strip()
        for key, table in ((text, by_code), (first, by_code), (first.lstrip("0"), by_serial),
                           (normalize_name(text), by_name)):
            if key and key in table:
                return table[key], None, None
        if " - " in text and normalize_name(text.split(" - ", 1)[1]) in by_name:
            return by_name[normalize_name(text.split(" - ", 1)[1])], None, None
        return None, "banjar_tidak_dikenal", f"banjar '{text}' tidak ada di desa ini (pilihan: {known})"

    return convert


def _banjar_adat_converter(banjar: list[Wilayah]) -> Converter:
    """A banjar adat by code or name, among the banjar adat of the desa adat mapped to the file's desa
    (the desa is the parent of its banjar dinas)."""
    choices = banjar_adat_untuk_desa(banjar[0].induk_id) if banjar else []
    by_code = {b.kode: b.pk for b in choices}
    by_name: dict[str, list[int]] = {}
    for b in choices:
        by_name.setdefault(normalize_name(b.nama), []).append(b.pk)
    known = ", ".join(f"{b.kode} {b.nama}" for b in choices) or "(belum ada desa adat yang dipetakan ke desa ini)"

    def convert(raw: Any) -> Result:
        text = _text(raw)
        first = text.split(" ", 1)[0].strip()
        for key in (text, first):
            if key in by_code:
                return by_code[key], None, None
        found = by_name.get(normalize_name(text), [])
        if len(found) == 1:
            return found[0], None, None
        if found:
            return None, "banjar_adat_ganda", (f"nama banjar adat '{text}' ada di lebih dari satu desa adat; "
                                               "pakai kodenya")
        return None, "banjar_adat_tidak_dikenal", (f"banjar adat '{text}' tidak ada di desa adat desa ini "
                                                   f"(pilihan: {known})")

    return convert


def converter_for(col: Kolom, banjar: list[Wilayah]) -> Converter:
    if col.tipe == BANJAR:
        inner = _banjar_converter(banjar)
    elif col.tipe == BANJAR_ADAT:
        inner = _banjar_adat_converter(banjar)
    elif col.tipe == KODE and col.var is not None:
        inner = _code_converter(col)
    elif col.tipe in (BILANGAN, DESIMAL):
        inner = _number_converter(col)
    elif col.tipe == TANGGAL:
        inner = _date_converter(col)
    else:
        return _guarded(_text_converter(col))  # mostly distinct values: caching would only cost memory
    inner = _guarded(inner)
    cache: dict[Any, Result] = {}

    def cached(raw: Any) -> Result:
        # 1, 1.0 and "1" may share a cache entry only when they convert alike: bools never do
        key = raw if raw.__class__ is not bool else ("bool", raw)
        try:
            hit = cache.get(key)
        except TypeError:  # an unhashable cell value
            return inner(raw)
        if hit is None:
            hit = cache[key] = inner(raw)
        return hit

    return cached


def _guarded(inner: Converter) -> Converter:
    """Whatever a cell holds, a value or a finding: an unexpected error is the cell's finding."""

    def convert(raw: Any) -> Result:
        try:
            return inner(raw)
        except Exception as exc:
            return None, "galat_sel", f"nilai sel tidak dapat dibaca ({type(exc).__name__}); ketik ulang nilainya"

    return convert
