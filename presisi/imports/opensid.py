"""Reading an OpenSID population export: its column names and codes mapped to the dictionary
(mapping documented in ``opensid.yaml``). Families are formed from the people's rows."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from presisi.core.exceptions import Finding
from presisi.dictionary.models import INDIVIDU, KELUARGA
from presisi.imports.columns import columns_by_code
from presisi.imports.readers import Lembar
from presisi.imports.tables import Tabel, column_label, tabel_dari_lembar
from presisi.regions.models import Wilayah

MAPPING_FILE = Path(__file__).resolve().parent / "opensid.yaml"
STATUS_DASAR = "status_dasar"


@cache
def mapping() -> dict[str, Any]:
    with MAPPING_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


def is_opensid(lembar: Lembar) -> bool:
    headers = {_key(h) for h in lembar.header}
    return len(headers & set(mapping()["penanda"])) >= 3


def _translator(values: dict[Any, Any]):
    table = {str(k): v for k, v in values.items()}

    def translate(raw: Any) -> Any:
        if raw is None:
            return None
        key = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        return table.get(key, raw)

    return translate


def _header_map(lembar: Lembar, columns: dict[str, str], wanted: set[str]) -> dict[int, str]:
    out = {}
    for j, header in enumerate(lembar.header):
        code = columns.get(_key(header))
        if code is not None and code in wanted:
            out[j] = code
    return out


def tabel_opensid(lembar: Lembar, banjar: list[Wilayah]) -> tuple[dict[str, Tabel], list[Finding]]:
    """People and their families from one OpenSID export sheet."""
    cfg = mapping()
    people_cols = set(columns_by_code(INDIVIDU)) | {STATUS_DASAR, "banjar"}
    header_map = _header_map(lembar, cfg["kolom"], people_cols)
    translate = {cfg["kolom"][src]: _translator(vals) for src, vals in cfg["nilai"].items() if src in cfg["kolom"]}
    findings = _ignored(lembar, cfg)
    people = tabel_dari_lembar(lembar, INDIVIDU, banjar, header_map={j: c for j, c in header_map.items()
                                                                      if c not in (STATUS_DASAR, "banjar")},
                               translate=translate)
    _extra_column(lembar, people, header_map, STATUS_DASAR)
    families = _families(lembar, people, banjar, cfg)
    return {INDIVIDU: people, KELUARGA: families}, findings


def _ignored(lembar: Lembar, cfg: dict[str, Any]) -> list[Finding]:
    known = set(cfg["kolom"]) | set(cfg["kolom_keluarga"]) | set(cfg["abaikan"])
    ignored = [h for h in lembar.header if h and _key(h) in set(cfg["abaikan"])]
    unknown = [h for h in lembar.header if h and _key(h) not in known]
    out = []
    if ignored:
        out.append(Finding(rule="kolom_diabaikan", severity="info", column=", ".join(ignored[:20]),
                           message=f"{len(ignored)} kolom OpenSID tidak disimpan Presisi dan dilewati"))
    for h in unknown:
        out.append(Finding(rule="kolom_tidak_dikenal", severity="warning", column=column_label(lembar, h), value=h,
                           message="kolom ini tidak ada dalam pemetaan OpenSID → kamus Presisi dan dilewati"))
    return out


def _extra_column(lembar: Lembar, people: Tabel, header_map: dict[int, str], code: str) -> None:
    j = next((k for k, v in header_map.items() if v == code), None)
    if j is None:
        return
    values = []
    for row in lembar.rows:
        raw = row[j] if j < len(row) else None
        try:
            values.append(int(float(raw)) if raw not in (None, "") else None)
        except (TypeError, ValueError):
            values.append(None)
    people.nilai[code] = values


def _families(lembar: Lembar, people: Tabel, banjar: list[Wilayah], cfg: dict[str, Any]) -> Tabel:
    """One family per No. KK, with banjar and address from the head's row (else the first row)."""
    fam_map = _header_map(lembar, cfg["kolom_keluarga"], {"no_kk", "banjar", "alamat"})
    full = tabel_dari_lembar(lembar, KELUARGA, banjar, header_map=fam_map)
    if any(f.rule == "kolom_wajib_tidak_ada" for f in full.temuan):
        return full
    chosen: dict[str, int] = {}
    shdk = people.nilai.get("hubungan_keluarga", [None] * people.n)
    status = people.nilai.get(STATUS_DASAR, [None] * people.n)
    for i in range(full.n):
        no_kk = full.get("no_kk", i)
        if not no_kk or status[i] not in (None, 1):
            continue  # families are formed from living people only
        if no_kk not in chosen or shdk[i] == 1 and shdk[chosen[no_kk]] != 1:
            chosen[no_kk] = i
    rows = sorted(chosen.values())
    family = Tabel(unit=KELUARGA, lembar=full.lembar, baris=[full.baris[i] for i in rows],
                   nilai={k: [v[i] for i in rows] for k, v in full.nilai.items()}, kolom_berkas=full.kolom_berkas)
    # No. KK problems are already reported on the people's rows; keep the family's own (banjar).
    rows_kept = set(family.baris)
    banjar_col = full.kolom_berkas.get("banjar")
    family.temuan = [f for f in full.temuan if f.row is None or (f.row in rows_kept and f.column == banjar_col)]
    bad_rows = {f.row for f in family.temuan}
    family.ditolak = {k for k in range(family.n) if family.baris[k] in bad_rows}
    return family
