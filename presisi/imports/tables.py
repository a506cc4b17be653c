"""From a sheet of raw cells to a table of clean values per unit, with row-level findings.

Used by both formats: the template maps header cells to dictionary codes directly; the
OpenSID reader passes its own header mapping and value translations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presisi.core.exceptions import Finding
from presisi.core.text import normalize_name
from presisi.imports.cells import KOSONGKAN, bersihkan, converter_for
from presisi.imports.columns import SHEET_NAMES, Kolom, columns_by_code
from presisi.imports.readers import Lembar
from presisi.regions.models import Wilayah


@dataclass
class Tabel:
    """One unit's rows from a file: clean values per column (None = empty) and their row numbers."""

    unit: str
    lembar: str
    baris: list[int]
    nilai: dict[str, list[Any]]
    kolom_berkas: dict[str, str]  # column code → how findings name it ("Individu!nik")
    temuan: list[Finding] = field(default_factory=list)
    ditolak: set[int] = field(default_factory=set)  # indexes of rows with an error
    # column code → indexes of rows whose cell holds the clear marker "-": the only way a file
    # erases a stored value (a blank cell keeps it); the value itself is None in ``nilai``
    kosongkan: dict[str, set[int]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.baris)

    def get(self, kode: str, i: int) -> Any:
        col = self.nilai.get(kode)
        return None if col is None else col[i]

    def error(self, i: int | None, rule: str, kode: str, value: Any, message: str) -> None:
        self.temuan.append(Finding(rule=rule, message=message, row=self.baris[i] if i is not None else None,
                                   column=self.kolom_berkas.get(kode, kode), value=_show(value)))
        if i is not None:
            self.ditolak.add(i)


def _show(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str):
        return value
    return str(value)


def column_label(lembar: Lembar, header: str) -> str:
    return header if lembar.nama == "CSV" else f"{lembar.nama}!{header}"


def match_header(header: str, columns: dict[str, Kolom]) -> str | None:
    """A header cell → column code: the code itself, or its Indonesian label (with or without *)."""
    text = header.strip().lower().rstrip("*").strip()
    if text in columns:
        return text
    by_label = {normalize_name(c.label): c.kode for c in columns.values()}
    return by_label.get(normalize_name(text))


def tabel_dari_lembar(lembar: Lembar, unit: str, banjar: list[Wilayah], *,
                      header_map: dict[int, str] | None = None,
                      translate: dict[str, Callable[[Any], Any]] | None = None) -> Tabel:
    """Clean one sheet. ``header_map`` (column index → code) overrides header matching, and
    ``translate`` maps a raw cell to the dictionary's value first (OpenSID's own codes)."""
    columns = columns_by_code(unit)
    tabel = Tabel(unit=unit, lembar=lembar.nama, baris=list(lembar.nomor), nilai={}, kolom_berkas={})
    positions: dict[str, int] = {}
    for j, header in enumerate(lembar.header):
        if not header:
            continue
        code = header_map.get(j) if header_map is not None else match_header(header, columns)
        if code is None:
            if header_map is None:
                tabel.temuan.append(Finding(
                    rule="kolom_tidak_dikenal", column=column_label(lembar, header), value=header,
                    message=f"kolom tidak dikenal untuk lembar {SHEET_NAMES[unit]}; pakai kode kolom dari templat "
                            f"(mis. {', '.join(list(columns)[:6])}, …)"))
            continue
        if code in positions:
            tabel.temuan.append(Finding(rule="kolom_ganda", column=column_label(lembar, header), value=header,
                                        message=f"kolom {code} muncul dua kali"))
            continue
        positions[code] = j
        tabel.kolom_berkas[code] = column_label(lembar, header)
    missing = [c for c in columns.values() if c.wajib and c.kode not in positions]
    for col in missing:
        tabel.temuan.append(Finding(rule="kolom_wajib_tidak_ada", column=col.kode, value=None,
                                    message=f"kolom wajib '{col.kode}' ({col.label}) tidak ada di lembar "
                                            f"{SHEET_NAMES[unit]}"))
    if missing or any(f.rule == "kolom_ganda" for f in tabel.temuan):
        return tabel
    _skip_label_row(lembar, positions, columns, tabel)
    by_column = _transpose(lembar.rows)
    for code, j in positions.items():
        raws = list(by_column[j]) if j < len(by_column) else [row[j] if j < len(row) else None for row in lembar.rows]
        _convert_column(lembar, tabel, columns[code], j, raws, banjar, (translate or {}).get(code))
    return tabel


def _transpose(rows: list[list[Any]]) -> list[tuple[Any, ...]]:
    """Columns of a rectangular sheet in one pass (a workbook's rows all have the sheet's width);
    ragged rows (CSV) are read cell by cell instead."""
    width = len(rows[0]) if rows else 0
    return list(zip(*rows, strict=True)) if all(len(r) == width for r in rows) else []


def _skip_label_row(lembar: Lembar, positions: dict[str, int], columns: dict[str, Kolom], tabel: Tabel) -> None:
    """Row 2 of the template repeats the labels; drop it when it does."""
    if not lembar.rows:
        return
    first = lembar.rows[0]
    labels = [normalize_name(str(first[j]).rstrip(" *")) if j < len(first) and first[j] is not None else ""
              for j in positions.values()]
    expected = [normalize_name(columns[c].label) for c in positions]
    same = sum(1 for a, b in zip(labels, expected, strict=True) if a and a == b)
    if same and same >= max(1, len([x for x in labels if x]) // 2):
        lembar.rows.pop(0)
        lembar.nomor.pop(0)
        tabel.baris.pop(0)


def _convert_column(lembar: Lembar, tabel: Tabel, col: Kolom, j: int, raws: list[Any], banjar: list[Wilayah],
                    translate: Callable[[Any], Any] | None) -> None:
    convert = converter_for(col, banjar)
    # True == 1 would share a dict slot with 1 in the fast path: such columns go cell by cell below
    if not lembar.kolom_rumus and translate is None and bool not in set(map(type, raws)):
        tabel.nilai[col.kode] = _convert_fast(tabel, col, raws, convert)
        return
    out: list[Any] = []
    formulas = lembar.kolom_rumus
    for i, raw in enumerate(raws):
        if formulas and j in formulas.get(tabel.baris[i], ()):
            tabel.error(i, "rumus", col.kode, raw, "sel berisi rumus; isi nilainya saja (salin → tempel nilai)")
            out.append(None)
            continue
        if translate is not None:
            try:
                raw = translate(raw)
            except Exception as exc:  # an OpenSID code table meeting an odd cell: a finding
                tabel.error(i, "galat_sel", col.kode, raw, f"nilai sel tidak dapat dibaca ({type(exc).__name__})")
                out.append(None)
                continue
        kind = _kind(raw)
        if kind is not None:
            _empty(tabel, col, i, kind)
            out.append(None)
            continue
        value, rule, message = convert(raw)
        if rule is not None:
            tabel.error(i, rule, col.kode, raw, message)
        out.append(value)
    tabel.nilai[col.kode] = out


def _kind(raw: Any) -> str | None:
    """"" for an empty cell (None, spaces, invisible characters), KOSONGKAN for the clear marker,
    None for a cell with a value."""
    if raw is None:
        return ""
    if raw.__class__ is str:
        text = raw.strip()
        if not text or not text.isascii() and not bersihkan(text).strip():
            return ""
        if text == KOSONGKAN:
            return KOSONGKAN
    return None


def _empty(tabel: Tabel, col: Kolom, i: int, kind: str) -> None:
    """A blank cell or the clear marker: required columns need a value; a marker is remembered."""
    if col.wajib:
        tabel.error(i, "wajib", col.kode, None if kind == "" else kind, f"{col.label} wajib diisi")
    elif kind == KOSONGKAN:
        tabel.kosongkan.setdefault(col.kode, set()).add(i)


def _convert_fast(tabel: Tabel, col: Kolom, raws: list[Any], convert) -> list[Any]:
    """The common case (no formulas, no translation): each distinct cell value is converted once
    (a column holds few distinct codes, numbers and dates), errors collected afterwards."""
    kinds = {raw: _kind(raw) for raw in set(raws)}
    done = {raw: None if kind is not None else convert(raw) for raw, kind in kinds.items()}
    bad = {raw for raw, res in done.items() if (res[1] is not None if res is not None else col.wajib)}
    markers = {raw for raw, kind in kinds.items() if kind == KOSONGKAN}
    if bad or markers:
        for i, raw in enumerate(raws):
            if raw in bad or raw in markers:
                res = done[raw]
                if res is None:
                    _empty(tabel, col, i, kinds[raw])
                else:
                    tabel.error(i, res[1], col.kode, raw, res[2])
    value = {raw: None if res is None else res[0] for raw, res in done.items()}
    return [value[raw] for raw in raws]
