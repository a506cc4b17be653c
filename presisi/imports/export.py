"""A desa's current registry as a filled import template (to correct offline and send back).

Written with openpyxl's write-only mode (streaming), so a large desa fits in little memory;
re-importing the file unchanged reports every record ``tetap``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from presisi.core.exports import xlsx_row
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.imports import existing
from presisi.imports.columns import BANJAR, SHEET_NAMES, UNITS, Kolom, unit_columns
from presisi.regions.models import Wilayah
from presisi.registry.models import HIDUP

LOADERS = {INDIVIDU: existing.individu_desa, KELUARGA: existing.keluarga_desa,
           RUMAH_TANGGA: existing.rumah_tangga_desa, BANGUNAN: existing.bangunan_desa}


def _cell(col: Kolom, rec: dict[str, Any], banjar: dict[int, str]) -> Any:
    if col.tipe == BANJAR:
        return banjar.get(rec.get("banjar_id"), "")
    value = rec[col.kode] if col.kode in rec else rec["atribut"].get(col.kode)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def _active(unit: str, rec: dict[str, Any]) -> bool:
    return rec.get("status_dasar") == HIDUP if unit == INDIVIDU else rec.get("aktif", True)


def ekspor_desa_xlsx(*, desa: Wilayah) -> bytes:
    """Living people, active families, households and buildings of the desa in template layout."""
    banjar = {b.pk: b.kode.rsplit(".", 1)[-1] for b in Wilayah.objects.banjar().filter(induk=desa)}
    wb = Workbook(write_only=True)
    for unit in UNITS:
        cols = unit_columns(unit)
        ws = wb.create_sheet(SHEET_NAMES[unit])
        ws.append(xlsx_row(ws, [c.kode for c in cols]))
        ws.append(xlsx_row(ws, [c.label + (" *" if c.wajib else "") for c in cols]))
        for rec in LOADERS[unit](desa).values():
            if _active(unit, rec):
                ws.append(xlsx_row(ws, [_cell(c, rec, banjar) for c in cols]))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
