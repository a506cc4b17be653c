"""Reads of import jobs (scope-checked) and the findings workbook."""

from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from openpyxl import Workbook

from presisi.accounts.access import filter_by_scope, in_scope
from presisi.accounts.pdp import tampilan_pribadi
from presisi.core.exports import LembarXlsx, xlsx_row
from presisi.core.pdp import EKSPOR, LIHAT, TampilanPribadi
from presisi.imports.models import Impor
from presisi.registry.models import Individu

SEVERITY_LABEL = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}
FINDING_COLUMNS = [("row", "Baris"), ("column", "Kolom"), ("value", "Nilai"), ("rule", "Aturan"),
                   ("severity", "Tingkat"), ("message", "Pesan")]


def impor_list(*, user) -> QuerySet[Impor]:
    return filter_by_scope(Impor.objects.select_related("desa", "periode", "pengguna"), user).defer("isi")


def impor_get(*, user, impor_id: int) -> Impor:
    try:
        impor = Impor.objects.select_related("desa", "periode", "pengguna").defer("isi").get(pk=impor_id)
    except OverflowError as exc:  # an id beyond the database's integers names no job
        raise Impor.DoesNotExist(impor_id) from exc
    if user is not None and not in_scope(user, impor.desa.kode):
        # outside the scope a job answers like one that does not exist (404): no id is confirmed
        raise Impor.DoesNotExist(impor_id)
    return impor


def tampilan_impor(user, impor: Impor, *, request=None, kanal: str = "web") -> TampilanPribadi:
    """The PDP door for one job: its desa decides whether the user may see person-level data."""
    return tampilan_pribadi(user, impor.desa.kode, request=request, kanal=kanal)


def impor_dict(impor: Impor, *, tampilan: TampilanPribadi, temuan: bool = True) -> dict[str, Any]:
    """A job for the API. Personal identifiers pass ``tampilan`` (the PDP door): the residents
    missing from the file are resolved (and logged) only with ``temuan``, for roles with
    person-level access; other roles get counts only."""
    summary = dict(impor.ringkasan or {})
    summary["tidak_ada_di_berkas"] = tidak_ada_baris(impor, tampilan, tujuan="API impor") if temuan else []
    out = {
        "id": impor.pk, "desa": impor.desa.kode, "periode": impor.periode.kode, "nama_berkas": impor.nama_berkas,
        "sha256": impor.sha256, "ukuran": impor.ukuran, "format": impor.format, "dry_run": impor.dry_run,
        "status": impor.status, "progres": impor.progres, "pesan_progres": impor.pesan_progres,
        "hasil": impor.hasil, "jumlah_temuan": impor.jumlah_temuan, "jumlah_error": impor.jumlah_error,
        "jumlah_warning": impor.jumlah_warning, "ringkasan": summary,
        "dibuat": impor.dibuat.isoformat(), "selesai": impor.selesai.isoformat() if impor.selesai else None,
    }
    if temuan:
        out["temuan"] = temuan_tampil(impor, tampilan, tujuan="API impor")
        if not tampilan.boleh:
            out["rekap_temuan"] = rekap_temuan(impor.temuan)
    return out


def temuan_tampil(impor: Impor, tampilan: TampilanPribadi, *, tujuan: str,
                  batas: int | None = None) -> list[dict[str, Any]]:
    """The job's findings as ``tampilan`` may show them: none (counts only, ``rekap_temuan``) for roles
    without person-level access; values and messages with every NIK/KK masked unless full was asked
    (then logged)."""
    if not tampilan.boleh:
        return []
    rows = impor.temuan if batas is None else impor.temuan[:batas]
    out = [{**f, "value": tampilan.teks(f.get("value")), "message": tampilan.teks(f.get("message"))} for f in rows]
    if tampilan.penuh and out:
        tampilan.catat(aksi=LIHAT, objek_tipe="imports.impor", objek_ids=[impor.pk], tujuan=tujuan, jumlah=len(out))
    return out


def rekap_temuan(temuan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings counted per rule, severity and column: what a role without person-level access sees."""
    counts: dict[tuple[str, str, str], int] = {}
    for f in temuan:
        key = (f.get("rule") or "", f.get("severity") or "", f.get("column") or "")
        counts[key] = counts.get(key, 0) + 1
    return [{"rule": r, "severity": s, "column": c, "jumlah": n} for (r, s, c), n in sorted(counts.items())]


def tidak_ada_baris(impor: Impor, tampilan: TampilanPribadi, *, tujuan: str,
                    aksi: str = LIHAT) -> list[dict[str, Any]]:
    """Registered residents missing from the job's file, read from the registry now (the job stores
    only ids and masked NIKs) and shown through ``tampilan``; one PDP log row when any is shown.
    Roles without person-level access in the job's desa get an empty list (the count is in the summary)."""
    stored = (impor.ringkasan or {}).get("tidak_ada_di_berkas") or []
    if not stored or not tampilan.boleh:
        return []
    ids = [m["id"] for m in stored if m.get("id")]
    # jobs stored before ids were kept carry the full NIK instead
    niks = [m["nik"] for m in stored if not m.get("id") and m.get("nik") and "*" not in m["nik"]]
    people = {p.pk: p for p in Individu.objects.filter(desa_id=impor.desa_id).filter(pk__in=ids)
              .select_related("keluarga")}
    people.update({p.pk: p for p in Individu.objects.filter(desa_id=impor.desa_id, nik__in=niks)
                   .select_related("keluarga")} if niks else {})
    rows = [{"id": p.pk, "nik": tampilan.nik(p.nik), "nama": p.nama,
             "no_kk": tampilan.kk(p.keluarga.no_kk) if p.keluarga_id else ""} for p in people.values()]
    if rows:
        tampilan.catat(aksi=aksi, objek_tipe=Individu._meta.label_lower, objek_ids=list(people), tujuan=tujuan)
    return rows


def total_unit(jobs: list[Impor]) -> dict[str, dict[str, int]]:
    """Counts per unit summed over several jobs (a batch of desa files)."""
    out: dict[str, dict[str, int]] = {}
    for impor in jobs:
        for unit, counts in ((impor.ringkasan or {}).get("unit") or {}).items():
            into = out.setdefault(unit, {})
            for key, value in counts.items():
                into[key] = into.get(key, 0) + value
    return out


def temuan_xlsx(*, impor: Impor, tampilan: TampilanPribadi) -> bytes:
    """The job's findings as a workbook the operator can sort and filter (one row per finding).

    Through the PDP door: roles without person-level access in the job's desa get counts per rule
    only (no row of any person); others get findings with masked NIK/KK (full when asked) and the
    residents missing from the file, which is logged as an export."""
    wb = Workbook()
    ws = wb.active
    if tampilan.boleh:
        ws.title = "Temuan"
        lembar = LembarXlsx(ws, [label for _, label in FINDING_COLUMNS], lebar=(8, 24, 22, 22, 12, 90))
        for f in temuan_tampil(impor, tampilan, tujuan="unduh temuan impor"):
            lembar.tambah([SEVERITY_LABEL.get(f.get("severity"), f.get("severity")) if key == "severity"
                           else f.get(key) for key, _ in FINDING_COLUMNS])
    else:
        ws.title = "Rekap temuan"
        lembar = LembarXlsx(ws, ["Aturan", "Tingkat", "Kolom", "Jumlah"], lebar=(28, 12, 24, 10))
        for r in rekap_temuan(impor.temuan):
            lembar.tambah([r["rule"], SEVERITY_LABEL.get(r["severity"], r["severity"]), r["column"], r["jumlah"]])
    lembar.tutup()
    info = wb.create_sheet("Ringkasan")
    summary = impor.ringkasan or {}
    for key, value in (("Berkas", impor.nama_berkas), ("Desa", impor.desa.kode), ("Periode", impor.periode.kode),
                       ("Hasil", impor.get_hasil_display()), ("Pesan", summary.get("pesan", "")),
                       ("Jumlah temuan", impor.jumlah_temuan),
                       ("Temuan dalam berkas ini", len(impor.temuan)),
                       ("Penduduk terdaftar tidak ada di berkas", summary.get("jumlah_tidak_ada_di_berkas") or 0)):
        info.append(xlsx_row(info, [key, value]))
    for unit, counts in (summary.get("unit") or {}).items():
        info.append(xlsx_row(info, [unit, ", ".join(f"{k} {v}" for k, v in counts.items())]))
    missing = tidak_ada_baris(impor, tampilan, tujuan="unduh temuan impor", aksi=EKSPOR)
    if missing:
        tidak_ada = LembarXlsx(wb.create_sheet("Tidak ada di berkas"), ["NIK", "Nama", "No. KK", "Tindakan"])
        for m in missing:
            tidak_ada.tambah([m["nik"], m["nama"], m["no_kk"],
                              "catat peristiwa (mati/pindah) bila sudah tidak tinggal di desa"])
        tidak_ada.tutup()
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

