"""Normalising an agency's rows to the common person-list shape.

The common shape ``nik,no_kk,nama,jenis_kelamin,tanggal_lahir,kode_desa,nama_desa,alamat,…`` is
read with no mapping: header names are compared case-, space- and punctuation-insensitively and
the usual aliases ("NO KK", "NAMA LENGKAP", "TGL LAHIR", "JK") are known. A dataset's
``pemetaan_kolom`` ({"kolom sumber": "field"}) names other headers; a field is a person-list field
or a dictionary variable code (kept in ``data``). Unmapped other columns are kept in ``data`` under
their normalised header, so nothing an agency sent is lost.

No cell can stop a delivery: every cell is read defensively; what cannot be read becomes a
finding (row = 1-based position among the data rows, column, value, rule, message in Bahasa
Indonesia) and the row goes on without that value. NIK/KK values in findings are masked.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding
from presisi.core.pdp import mask_nik
from presisi.imports.cells import bersihkan, parse_date
from presisi.regions.codes import normalize_code
from presisi.registry.identifiers import errors_only, kk_findings, nik_findings

PERINGATAN, GALAT = "warning", "error"

# Person-list fields, in the order of the common shape, with the column widths of BarisSumber.
FIELD_ORANG = ("nik", "no_kk", "nama", "jenis_kelamin", "tanggal_lahir", "kode_desa", "nama_desa", "alamat",
               "nama_ayah", "nama_ibu")
PANJANG = {"nama": 150, "alamat": 300, "nama_ayah": 150, "nama_ibu": 150, "kode_desa": 20, "nama_desa": 150}

_ALIAS_MENTAH: dict[str, tuple[str, ...]] = {
    "nik": ("nik", "no nik", "nomor nik", "nomor induk kependudukan", "nik ktp", "no ktp"),
    "no_kk": ("no kk", "nokk", "nomor kk", "no kartu keluarga", "nomor kartu keluarga", "kk", "nkk"),
    "nama": ("nama", "nama lengkap", "nama penerima", "nama anggota", "nama penduduk", "nama art"),
    "jenis_kelamin": ("jenis kelamin", "jk", "kelamin", "l/p", "lp", "sex", "gender", "jns kelamin"),
    "tanggal_lahir": ("tanggal lahir", "tgl lahir", "tgllahir", "tgl lhr", "tanggal lhr", "tgl. lahir"),
    "kode_desa": ("kode desa", "kd desa", "kode wilayah", "kode kelurahan", "kode desa/kelurahan", "kode desa kel"),
    "nama_desa": ("nama desa", "desa", "kelurahan", "desa/kelurahan", "desa kelurahan", "nama kelurahan"),
    "alamat": ("alamat", "alamat lengkap", "alamat rumah"),
    "nama_ayah": ("nama ayah", "ayah", "nama ayah kandung"),
    "nama_ibu": ("nama ibu", "ibu", "nama ibu kandung", "ibu kandung"),
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def kunci_kolom(header: Any) -> str:
    """A header as compared: lower case, every run of other characters one "_" (``"NO. KK "`` → ``no_kk``)."""
    text = bersihkan(str(header if header is not None else "")).strip().lower()
    return _NON_ALNUM.sub("_", text).strip("_")


ALIAS: dict[str, str] = {kunci_kolom(a): f for f, names in _ALIAS_MENTAH.items() for a in names}
ALIAS.update({kunci_kolom(a).replace("_", ""): f for f, names in _ALIAS_MENTAH.items() for a in names})

_JK = {"l": 1, "lk": 1, "laki": 1, "lakilaki": 1, "pria": 1, "1": 1, "m": 1,
       "p": 2, "pr": 2, "perempuan": 2, "wanita": 2, "2": 2, "f": 2, "w": 2}
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
_TAHUN_MIN = 1880
_ANGKA = re.compile(r"^-?(?:0|[1-9]\d{0,14})(?:\.\d{1,10})?$")


@dataclass
class BarisNormal:
    """One normalised row, ready for ``BarisSumber``."""

    baris: int
    nik: str = ""
    no_kk: str = ""
    nama: str = ""
    jenis_kelamin: int | None = None
    tanggal_lahir: dt.date | None = None
    kode_desa: str = ""
    nama_desa: str = ""
    alamat: str = ""
    nama_ayah: str = ""
    nama_ibu: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class HasilNormal:
    baris: list[BarisNormal]
    temuan: list[Finding]
    kolom: dict[str, str]  # source header → field (what was recognised, for the report)


# ---------------------------------------------------------------------------------------------- cells


def teks(value: Any) -> str:
    """Any cell as clean text: None → "", 12.0 → "12", dates ISO, invisible characters gone."""
    if isinstance(value, str) and value.isascii():
        return " ".join(value.split())
    if value is None or isinstance(value, bool):
        return "" if value is None else ("1" if value else "0")
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e18 else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    if not isinstance(value, str):
        value = str(value)
    return " ".join(bersihkan(value).split())


def nomor(value: Any) -> tuple[str, str | None]:
    """A NIK/KK cell as digits: spaces, a leading apostrophe (Excel text marker), a trailing ".0" and
    separators removed. Returns (digits or the cleaned text, problem rule or None)."""
    if isinstance(value, str) and len(value) == 16 and value.isdigit() and value.isascii():
        return value, None  # the usual case, at once
    if isinstance(value, bool):
        return "", "nomor_tipe"
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return teks(value), "nomor_tipe"
        if abs(value) >= 2**53:  # a 16-digit number stored as a float has lost its last digits
            return str(int(value)), "nomor_presisi"
        return str(int(value)), None
    text = teks(value).lstrip("'`’").strip()
    if _SCIENTIFIC.match(text.replace(" ", "")):
        return text, "nomor_ilmiah"
    if text.endswith(".0"):
        text = text[:-2]
    digits = re.sub(r"[\s.\-]", "", text)
    return (digits if digits.isdigit() or not digits else text), None


def jenis_kelamin(value: Any) -> int | None:
    """1 (laki-laki) or 2 (perempuan) from L/P, 1/2, LAKI-LAKI/PEREMPUAN …; None when not one of these."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if isinstance(value, float) and not (math.isfinite(value) and value.is_integer()):
            return None
        return int(value) if int(value) in (1, 2) else None
    return _JK.get(re.sub(r"[^a-z0-9]", "", teks(value).lower()))


def tanggal(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial or text TTTT-BB-HH, HH-BB-TTTT, HH/BB/TTTT."""
    try:
        parsed = parse_date(value)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed


def nilai_json(value: Any) -> Any:
    """A cell as a JSON-safe value for ``data``: numbers stay numbers, text is cleaned, dates ISO."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dict | list):
        return teks(value)[:500]
    text = teks(value)
    if _ANGKA.match(text):
        # a plain number in a CSV/JSON text cell is a number (aggregate values); "007" stays a code
        return float(text) if "." in text else int(text)
    return text[:500] if text else None


# ---------------------------------------------------------------------------------------------- columns


def peta_kolom(header: Sequence[Any], pemetaan: dict[str, str] | None) -> dict[int, str]:
    """Column index → field (person field, or a variable code / normalised header for ``data``)."""
    mapping = {kunci_kolom(k): str(v).strip() for k, v in (pemetaan or {}).items() if str(v or "").strip()}
    out: dict[int, str] = {}
    used: set[str] = set()
    for j, raw in enumerate(header):
        key = kunci_kolom(raw)
        if not key:
            continue
        target = mapping.get(key) or ALIAS.get(key) or ALIAS.get(key.replace("_", "")) or f"data:{key}"
        if target in FIELD_ORANG and target in used:
            target = f"data:{key}"  # a second column for the same field keeps its value in data
        out[j] = target
        used.add(target)
    return out


def _field_target(target: str) -> tuple[str, str]:
    """("orang", field) or ("data", key)."""
    if target.startswith("data:"):
        return "data", target[5:]
    if target in FIELD_ORANG:
        return "orang", target
    return "data", target


# ---------------------------------------------------------------------------------------------- rows


class _Pembaca:
    """Normalises one row after another; caches conversions of repeated raw values."""

    def __init__(self, header: Sequence[Any], pemetaan: dict[str, str] | None) -> None:
        self.header = [teks(h) for h in header]
        self.peta = peta_kolom(header, pemetaan)
        self.temuan: list[Finding] = []
        self._jk: dict[Any, int | None] = {}
        self._tgl: dict[Any, dt.date | None] = {}
        self.hari_ini = dt.date.today()
        self._kk: dict[str, list[Finding]] = {}  # KK numbers repeat within a family: checked once
        self._kode: dict[str, str] = {}
        # resolved once per column, not once per cell
        self.kolom = [(j, *_field_target(t)) for j, t in self.peta.items()]
        self.nama_kolom = {name: self.header[j] for j, kind, name in self.kolom if kind == "orang"}

    def _f(self, baris: int, j: int, value: Any, rule: str, message: str, severity: str = PERINGATAN) -> None:
        self.temuan.append(Finding(rule=rule, message=message, row=baris, column=self.header[j] if j >= 0 else None,
                                   value=value, severity=severity))

    def baris(self, nomor_baris: int, row: Sequence[Any]) -> BarisNormal:
        out = BarisNormal(baris=nomor_baris)
        n = len(row)
        for j, kind, name in self.kolom:
            raw = row[j] if j < n else None
            if raw is None or raw == "":
                continue
            try:
                self._sel(out, j, kind, name, raw)
            except Exception as exc:  # noqa: BLE001 — a cell never stops a delivery
                self._f(nomor_baris, j, teks(type(raw).__name__), "sel_tak_terbaca",
                        f"sel tidak dapat dibaca ({type(exc).__name__}); nilainya diabaikan")
        self._silang(out)
        return out

    def _sel(self, out: BarisNormal, j: int, kind: str, name: str, raw: Any) -> None:
        if kind == "data":
            value = nilai_json(raw)
            if value not in (None, ""):
                out.data[name] = value
            return
        if name in ("nik", "no_kk"):
            self._nomor(out, j, name, raw)
        elif name == "jenis_kelamin":
            self._jenis_kelamin(out, j, raw)
        elif name == "tanggal_lahir":
            self._tanggal(out, j, raw)
        elif name == "kode_desa":
            text = teks(raw)
            if text not in self._kode:
                self._kode[text] = normalize_code(text)[: PANJANG["kode_desa"]]
            out.kode_desa = self._kode[text]
        else:
            text = teks(raw)
            limit = PANJANG[name]
            if len(text) > limit:
                self._f(out.baris, j, text, "teks_terlalu_panjang", f"lebih dari {limit} karakter; dipotong")
                text = text[:limit]
            setattr(out, name, text)

    def _nomor(self, out: BarisNormal, j: int, name: str, raw: Any) -> None:
        label = "NIK" if name == "nik" else "No. KK"
        digits, problem = nomor(raw)
        if not digits:
            return
        shown = mask_nik(digits)
        if problem == "nomor_ilmiah":
            self._f(out.baris, j, shown, "nomor_ilmiah", f"{label} tertulis dalam notasi ilmiah (digit terakhir "
                    "hilang); format kolom sebagai Teks di Excel; dikosongkan")
            return
        if problem == "nomor_presisi":
            self._f(out.baris, j, shown, "nomor_presisi", f"{label} tersimpan sebagai angka desimal dan kehilangan "
                    "digit terakhir; format kolom sebagai Teks; dikosongkan")
            return
        if problem is not None or not digits.isdigit() or len(digits) != 16:
            self._f(out.baris, j, shown, f"{name}_format", f"{label} harus 16 digit angka; dikosongkan")
            return
        setattr(out, name, digits)

    def _jenis_kelamin(self, out: BarisNormal, j: int, raw: Any) -> None:
        if raw is None or raw == "":
            return
        key = raw if isinstance(raw, str | int | float) and not isinstance(raw, bool) else repr(raw)[:40]
        if key not in self._jk:
            self._jk[key] = jenis_kelamin(raw)
        value = self._jk[key]
        if value is None:
            if teks(raw):
                self._f(out.baris, j, teks(raw), "jenis_kelamin",
                        "jenis kelamin harus L/P, 1/2 atau LAKI-LAKI/PEREMPUAN; dikosongkan")
            return
        out.jenis_kelamin = value

    def _tanggal(self, out: BarisNormal, j: int, raw: Any) -> None:
        if raw is None or raw == "":
            return
        key = raw if isinstance(raw, str | int | float | dt.date) and not isinstance(raw, bool) else repr(raw)[:40]
        if key not in self._tgl:
            self._tgl[key] = tanggal(raw)
        value = self._tgl[key]
        if value is None:
            if teks(raw):
                self._f(out.baris, j, teks(raw), "tanggal_lahir",
                        "tanggal lahir harus TTTT-BB-HH, HH-BB-TTTT atau HH/BB/TTTT; dikosongkan")
            return
        if value > self.hari_ini or value.year < _TAHUN_MIN:
            self._f(out.baris, j, value.isoformat(), "tanggal_lahir_rentang",
                    f"tanggal lahir di luar rentang {_TAHUN_MIN}–hari ini; dikosongkan")
            return
        out.tanggal_lahir = value

    def _silang(self, out: BarisNormal) -> None:
        """NIK/KK rules (registry.identifiers): a breach empties the number so linkage still tries."""
        if out.nik:
            findings = nik_findings(out.nik, jenis_kelamin=out.jenis_kelamin, tanggal_lahir=out.tanggal_lahir,
                                    row=out.baris, column=self._kolom("nik"))
            for f in findings:
                tail = "; dikosongkan" if f.severity == GALAT else ""
                self.temuan.append(Finding(rule=f.rule, message=f.message + tail, row=out.baris, column=f.column,
                                           value=mask_nik(out.nik), severity=PERINGATAN))
            if errors_only(findings):
                out.nik = ""
        if out.no_kk:
            findings = self._kk.get(out.no_kk)
            if findings is None:
                findings = self._kk[out.no_kk] = kk_findings(out.no_kk, column=self._kolom("no_kk"))
            for f in findings:
                tail = "; dikosongkan" if f.severity == GALAT else ""
                self.temuan.append(Finding(rule=f.rule, message=f.message + tail, row=out.baris, column=f.column,
                                           value=mask_nik(out.no_kk), severity=PERINGATAN))
            if errors_only(findings):
                out.no_kk = ""

    def _kolom(self, name: str) -> str:
        return self.nama_kolom.get(name, name)


def normalisasi(header: Sequence[Any], rows: Iterable[Sequence[Any]], *,
                pemetaan: dict[str, str] | None = None) -> HasilNormal:
    """Every data row (numbered 1, 2, … in order) in the common shape, with the findings."""
    pembaca = _Pembaca(header, pemetaan)
    # a None row keeps its number but is not read (a JSON item that was no object: already a finding)
    out = [pembaca.baris(i, row if isinstance(row, list | tuple) else [row])
           for i, row in enumerate(rows, start=1) if row is not None]
    kolom = {pembaca.header[j]: t.removeprefix("data:") for j, t in pembaca.peta.items()}
    return HasilNormal(baris=out, temuan=pembaca.temuan, kolom=kolom)


def dari_objek(items: list[Any]) -> tuple[list[str], list[list[Any] | None], list[Finding]]:
    """JSON objects as a header and rows (keys in first-seen order); an item that is no object is a finding."""
    header: list[str] = []
    seen: set[str] = set()
    findings: list[Finding] = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            findings.append(Finding(rule="baris_bukan_objek", row=i, value=teks(type(item).__name__),
                                    message="setiap baris data JSON harus objek {\"kolom\": nilai}; baris diabaikan",
                                    severity=PERINGATAN))
            continue
        for key in item:
            k = str(key)
            if k not in seen:
                seen.add(k)
                header.append(k)
    rows = [[item.get(k) for k in header] if isinstance(item, dict) else None for item in items]
    return header, rows, findings
