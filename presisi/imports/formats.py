"""Which format a file is in, and its sheets as unit tables."""

from __future__ import annotations

from presisi.core.exceptions import Finding
from presisi.core.text import normalize_name
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports.columns import SHEET_NAMES, columns_by_code
from presisi.imports.opensid import is_opensid, tabel_opensid
from presisi.imports.readers import Berkas, Lembar
from presisi.imports.tables import Tabel, match_header, tabel_dari_lembar
from presisi.regions.models import Wilayah

TEMPLATE, OPENSID = "template", "opensid"
_BY_SHEET = {normalize_name(name): unit for unit, name in SHEET_NAMES.items()}


def deteksi_format(doc: Berkas) -> str:
    return OPENSID if any(is_opensid(s) for s in doc.lembar) else TEMPLATE


def unit_dari_kolom(lembar: Lembar) -> str | None:
    """A CSV (or a lone sheet) holds one unit, recognised by its key columns."""
    codes = set()
    for unit in (INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN):
        cols = columns_by_code(unit)
        codes |= {c for h in lembar.header if h and (c := match_header(h, cols))}
    if "nik" in codes:
        return INDIVIDU
    if "kode_rumah_tangga" in codes:
        return RUMAH_TANGGA
    if "kode_bangunan" in codes:
        return BANGUNAN
    if "no_kk" in codes:
        return KELUARGA
    return None


def _template_tables(doc: Berkas, banjar: list[Wilayah]) -> tuple[dict[str, Tabel], list[Finding]]:
    tables: dict[str, Tabel] = {}
    findings: list[Finding] = []
    named = [(s, _BY_SHEET.get(normalize_name(s.nama))) for s in doc.lembar]
    sheets = [(s, u) for s, u in named if u is not None]
    if not sheets and len(doc.lembar) == 1:
        sheets = [(doc.lembar[0], unit_dari_kolom(doc.lembar[0]))]
    if not sheets or any(u is None for _, u in sheets):
        where = "kolom" if doc.jenis == "csv" else "lembar"
        findings.append(Finding(
            rule="format_tidak_dikenal", column=", ".join(s.nama for s in doc.lembar)[:200],
            message=f"{where} berkas tidak dikenali: gunakan templat Presisi (lembar Keluarga, Individu, Rumah Tangga, "
                    "Bangunan; baris 1 berisi kode kolom) atau ekspor penduduk OpenSID"))
        return tables, findings
    for sheet, unit in sheets:
        if unit in tables:
            findings.append(Finding(rule="lembar_ganda", column=sheet.nama, message=f"lembar {unit} ada dua kali"))
            continue
        tabel = tabel_dari_lembar(sheet, unit, banjar)
        if tabel.n or any(f.row is None for f in tabel.temuan):
            tables[unit] = tabel
    return tables, findings


def _opensid_tables(doc: Berkas, banjar: list[Wilayah]) -> tuple[dict[str, Tabel], list[Finding]]:
    sheet = next((s for s in doc.lembar if is_opensid(s)), doc.lembar[0])
    return tabel_opensid(sheet, banjar)


def baca_tabel(doc: Berkas, format: str | None, banjar: list[Wilayah]) -> tuple[str, dict[str, Tabel],
                                                                                 list[Finding]]:
    """(format, unit → table, findings about the file or its columns). Row findings stay in the tables."""
    fmt = format or deteksi_format(doc)
    tables, findings = (_opensid_tables if fmt == OPENSID else _template_tables)(doc, banjar)
    for tabel in tables.values():
        findings += [f for f in tabel.temuan if f.row is None]
        tabel.temuan = [f for f in tabel.temuan if f.row is not None]
    if not findings and not any(t.n for t in tables.values()):
        findings.append(Finding(rule="berkas_kosong", message="berkas tidak berisi baris data"))
    return fmt, tables, findings
