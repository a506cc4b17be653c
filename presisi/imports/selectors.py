"""Reads of import jobs (scope-checked) and the findings workbook."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from presisi.accounts.access import filter_by_scope, in_scope
from presisi.core.exceptions import PermissionDenied
from presisi.imports.models import Impor

SEVERITY_LABEL = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}
FINDING_COLUMNS = [("row", "Baris"), ("column", "Kolom"), ("value", "Nilai"), ("rule", "Aturan"),
                   ("severity", "Tingkat"), ("message", "Pesan")]


def impor_list(*, user) -> QuerySet[Impor]:
    return filter_by_scope(Impor.objects.select_related("desa", "periode", "pengguna"), user).defer("isi")


def impor_get(*, user, impor_id: int) -> Impor:
    impor = Impor.objects.select_related("desa", "periode", "pengguna").defer("isi").get(pk=impor_id)
    if user is not None and not in_scope(user, impor.desa.kode):
        raise PermissionDenied("Impor ini di luar cakupan Anda.")
    return impor


def impor_dict(impor: Impor, *, temuan: bool = True) -> dict[str, Any]:
    out = {
        "id": impor.pk, "desa": impor.desa.kode, "periode": impor.periode.kode, "nama_berkas": impor.nama_berkas,
        "sha256": impor.sha256, "ukuran": impor.ukuran, "format": impor.format, "dry_run": impor.dry_run,
        "status": impor.status, "progres": impor.progres, "pesan_progres": impor.pesan_progres,
        "hasil": impor.hasil, "jumlah_temuan": impor.jumlah_temuan, "jumlah_error": impor.jumlah_error,
        "jumlah_warning": impor.jumlah_warning, "ringkasan": impor.ringkasan,
        "dibuat": impor.dibuat.isoformat(), "selesai": impor.selesai.isoformat() if impor.selesai else None,
    }
    if temuan:
        out["temuan"] = impor.temuan
    return out


def total_unit(jobs: list[Impor]) -> dict[str, dict[str, int]]:
    """Counts per unit summed over several jobs (a batch of desa files)."""
    out: dict[str, dict[str, int]] = {}
    for impor in jobs:
        for unit, counts in ((impor.ringkasan or {}).get("unit") or {}).items():
            into = out.setdefault(unit, {})
            for key, value in counts.items():
                into[key] = into.get(key, 0) + value
    return out


def temuan_xlsx(*, impor: Impor) -> bytes:
    """The job's findings as a workbook the operator can sort and filter (one row per finding)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Temuan"
    ws.append([label for _, label in FINDING_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for f in impor.temuan:
        ws.append([SEVERITY_LABEL.get(f.get("severity"), f.get("severity")) if key == "severity" else
                   _cell(f.get(key)) for key, _ in FINDING_COLUMNS])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for letter, width in zip("ABCDEF", (8, 24, 22, 22, 12, 90), strict=True):
        ws.column_dimensions[letter].width = width
    info = wb.create_sheet("Ringkasan")
    summary = impor.ringkasan or {}
    for key, value in (("Berkas", impor.nama_berkas), ("Desa", impor.desa.kode), ("Periode", impor.periode.kode),
                       ("Hasil", impor.get_hasil_display()), ("Pesan", summary.get("pesan", "")),
                       ("Jumlah temuan", impor.jumlah_temuan),
                       ("Temuan dalam berkas ini", len(impor.temuan))):
        info.append([key, value])
    for unit, counts in (summary.get("unit") or {}).items():
        info.append([unit, ", ".join(f"{k} {v}" for k, v in counts.items())])
    missing = summary.get("tidak_ada_di_berkas") or []
    if missing:
        ws_m = wb.create_sheet("Tidak ada di berkas")
        ws_m.append(["NIK", "Nama", "No. KK", "Tindakan"])
        for m in missing:
            ws_m.append([m.get("nik"), m.get("nama"), m.get("no_kk"),
                         "catat peristiwa (mati/pindah) bila sudah tidak tinggal di desa"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return "'" + value  # never write a formula back into a spreadsheet
    return value
