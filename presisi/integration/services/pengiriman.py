"""Receiving a delivery of a sector dataset: versioned, atomic, idempotent, dry-runnable.

``pengiriman_terima`` is the one entry for every way in (web upload, CLI, push API, scheduled pull):
parse (CSV/XLSX through ``imports.readers`` with its size limits; JSON as a list of objects or
``{"data": [...]}``) → normalise (``normal.normalisasi``) → resolve each row's desa → compute the
record identity (``kunci.kunci_baris``) → write the delivery and its rows in one transaction with
one bulk insert (COPY on PostgreSQL). The same bytes for the same dataset and period return the
delivery already stored (``baru=False``, nothing written); new content is version n+1. A dry run
does everything but the write and reports the same findings.

Rows are numbered 1, 2, … among the data rows of the delivered file (``baris``); findings name that
number. A bad NIK is a warning (the number is emptied, linkage still tries on the other fields);
only file-level problems and, for aggregate datasets, rows without a known desa or a desa twice are
errors, and any error refuses the whole delivery (nothing written).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from presisi.accounts.access import user_scope_code
from presisi.core.audit import audit_log
from presisi.core.db import bulk_insert
from presisi.core.exceptions import Finding, PermissionDenied, ValidationFailed
from presisi.core.text import normalize_name
from presisi.dictionary.models import BANGUNAN
from presisi.dictionary.models import DESA as DESA_UNIT
from presisi.imports import limits
from presisi.imports.readers import baca_berkas
from presisi.integration import normal
from presisi.integration import selectors as sel
from presisi.integration.kunci import kunci_baris
from presisi.integration.models import AGREGAT, BELUM, BarisSumber, DatasetSektor, Konektor, Pengiriman
from presisi.integration.services.tautan import hasil_terdahulu
from presisi.integration.tasks import antrekan_tautan
from presisi.periods.models import Periode
from presisi.periods.selectors import periode_get
from presisi.regions.models import Wilayah

AKSI_PENGIRIMAN_DITERIMA = "integration.pengiriman.diterima"
GALAT, PERINGATAN = normal.GALAT, normal.PERINGATAN
# findings kept with a stored delivery (the report page); the counts always cover all of them
TEMUAN_DISIMPAN = 2000
# microdata whose unit is no person (PU buildings, desa facilities): rows are placed by desa, not by person
UNIT_TANPA_ORANG = (BANGUNAN, DESA_UNIT)

KOLOM_BARIS = ("pengiriman_id", "baris", "kode_desa", "desa_id", "nik", "no_kk", "nama", "jenis_kelamin",
               "tanggal_lahir", "nama_ayah", "nama_ibu", "alamat", "kunci", "data", "status_tautan", "metode",
               "individu_id", "skor")


@dataclass
class HasilPengiriman:
    """What a delivery did (or, in a dry run, would do)."""

    pengiriman: Pengiriman | None
    versi: int
    baru: bool
    jumlah_baris: int
    temuan: list[Finding] = field(default_factory=list)
    jumlah: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    sha256: str = ""
    kolom: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pengiriman": self.pengiriman.pk if self.pengiriman else None, "versi": self.versi, "baru": self.baru,
            "dry_run": self.dry_run, "sha256": self.sha256, "jumlah_baris": self.jumlah_baris, "jumlah": self.jumlah,
            "kolom": self.kolom, "temuan": [f.as_dict() for f in self.temuan],
        }


# ---------------------------------------------------------------------------------------------- parsing


def _fatal(message: str, rule: str, value: Any = None) -> ValidationFailed:
    return ValidationFailed(message, [Finding(rule=rule, message=message, value=value)])


def _json(data: bytes) -> tuple[list[Any], list[Any], list[Finding]]:
    if len(data) > limits.maks_byte():
        raise _fatal(f"berkas {len(data) / 1e6:.1f} MB melebihi batas {limits.maks_byte() / 1e6:.0f} MB",
                     "berkas_terlalu_besar")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _fatal("JSON bukan UTF-8", "json_rusak") from exc
    except json.JSONDecodeError as exc:
        raise _fatal(f"JSON tidak sah: {exc.msg} (baris {exc.lineno}, kolom {exc.colno})", "json_rusak") from exc
    except RecursionError as exc:
        raise _fatal("JSON terlalu bersarang", "json_rusak") from exc
    items = doc.get("data") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise _fatal("JSON harus daftar objek [{...}, …] atau {\"data\": [{...}, …]}", "json_bentuk")
    if len(items) > limits.maks_baris():
        raise _fatal(f"lebih dari {limits.maks_baris()} baris data; pecah per desa", "baris_terlalu_banyak")
    header, rows, findings = normal.dari_objek(items)
    return header, rows, findings


def baca(data: bytes, nama_berkas: str) -> tuple[list[Any], list[Any], list[Finding]]:
    """Header, data rows and file-level findings of CSV, XLSX or JSON bytes (refusal: ValidationFailed)."""
    head = data[:64].lstrip()
    if nama_berkas.lower().endswith(".json") or head.startswith((b"[", b"{")):
        header, rows, findings = _json(data)
    else:
        berkas = baca_berkas(data, nama_berkas)
        if berkas.ditolak:
            raise ValidationFailed("Berkas tidak dapat dibaca.", berkas.temuan)
        sheet = next((s for s in berkas.lembar if s.rows), None)
        if sheet is None:
            raise _fatal("berkas tidak berisi baris data", "berkas_kosong")
        header, rows, findings = sheet.header, sheet.rows, list(berkas.temuan)
        others = [s.nama for s in berkas.lembar if s is not sheet and s.rows]
        if others:
            findings.append(Finding(rule="lembar_lain", severity=PERINGATAN, value=", ".join(others)[:100],
                                    message=f"hanya lembar '{sheet.nama}' yang dibaca; lembar lain diabaikan"))
    if not rows:
        raise _fatal("tidak ada baris data", "berkas_kosong")
    return header, rows, findings


# ---------------------------------------------------------------------------------------------- desa


class _Desa:
    """Resolves a row's desa: by Kemendagri code (dotted or undotted), by BPS code, else by name within
    the dataset's region (``metadata.cakupan_wilayah``) or the delivering user's scope."""

    def __init__(self, dataset: DatasetSektor, oleh) -> None:
        qs = Wilayah.objects.desa_kelurahan().only("id", "kode", "kode_bps", "nama")
        self.kode = {}
        self.bps = {}
        self.nama: dict[str, list[int]] = {}
        region = str((dataset.metadata or {}).get("cakupan_wilayah") or "").strip()
        if not region or not Wilayah.objects.filter(kode=region).exists():
            region = user_scope_code(oleh) or "" if oleh is not None else ""
        for w in qs.values("id", "kode", "kode_bps", "nama"):
            self.kode[w["kode"]] = w["id"]
            if w["kode_bps"]:
                self.bps[w["kode_bps"].replace(".", "")] = w["id"]
            if not region or w["kode"].startswith(region + ".") or w["kode"] == region:
                self.nama.setdefault(normalize_name(w["nama"]), []).append(w["id"])

    def cari(self, row: normal.BarisNormal, temuan: list[Finding], *, agregat: bool) -> int | None:
        severity = GALAT if agregat else PERINGATAN
        if row.kode_desa:
            found = self.kode.get(row.kode_desa) or self.bps.get(row.kode_desa.replace(".", ""))
            if found:
                return found
            if not row.nama_desa:
                temuan.append(Finding(rule="desa_tidak_dikenal", row=row.baris, column="kode_desa",
                                      value=row.kode_desa, severity=severity,
                                      message="kode desa tidak ada dalam daftar wilayah"))
                return None
        if row.nama_desa:
            ids = self.nama.get(normalize_name(row.nama_desa), [])
            if len(ids) == 1:
                return ids[0]
            temuan.append(Finding(rule="desa_tidak_dikenal" if not ids else "desa_ambigu", row=row.baris,
                                  column="nama_desa", value=row.nama_desa, severity=severity,
                                  message="nama desa tidak ditemukan di wilayah dataset" if not ids else
                                  "nama desa dipakai lebih dari satu desa; isi kode desa"))
            return None
        if agregat:
            temuan.append(Finding(rule="desa_kosong", row=row.baris, column="kode_desa", severity=GALAT,
                                  message="dataset agregat: setiap baris harus punya kode desa atau nama desa"))
        return None


# ---------------------------------------------------------------------------------------------- checks


def _periksa_kolom(dataset: DatasetSektor, hasil: normal.HasilNormal) -> None:
    fields = set(hasil.kolom.values())
    if dataset.jenis == AGREGAT or dataset.unit in UNIT_TANPA_ORANG:
        if not fields & {"kode_desa", "nama_desa"}:
            raise _kolom(f"dataset {dataset.get_jenis_display().lower()} unit {dataset.unit} membutuhkan kolom "
                         "kode_desa atau nama_desa", hasil)
    elif not fields & {"nik", "nama", "no_kk"}:
        raise _kolom("data mikro membutuhkan kolom nik, no_kk atau nama (atau pemetaan kolom dataset)", hasil)


def _kolom(message: str, hasil: normal.HasilNormal) -> ValidationFailed:
    seen = ", ".join(hasil.kolom)[:300]
    return ValidationFailed("Kolom berkas tidak dikenali.", [Finding(rule="kolom_wajib", value=seen, message=(
        f"{message}; kolom yang ada: {seen or '(tidak ada)'}"))])


def _ganda_desa(rows: list[normal.BarisNormal], desa: list[int | None], temuan: list[Finding]) -> None:
    seen: dict[int, int] = {}
    for row, d in zip(rows, desa, strict=True):
        if d is None:
            continue
        if d in seen:
            temuan.append(Finding(rule="desa_ganda", row=row.baris, column="kode_desa",
                                  value=row.kode_desa or row.nama_desa, severity=GALAT,
                                  message=f"dataset agregat: desa ini sudah ada di baris {seen[d]}"))
        else:
            seen[d] = row.baris


def _jumlah(rows: list[normal.BarisNormal], desa: list[int | None], temuan: list[Finding]) -> dict[str, int]:
    per = Counter(f.severity for f in temuan)
    return {
        "baris": len(rows), "galat": per.get(GALAT, 0), "peringatan": per.get(PERINGATAN, 0),
        "baris_bertemuan": len({f.row for f in temuan if f.row is not None}),
        "dengan_nik": sum(1 for r in rows if r.nik), "tanpa_nik": sum(1 for r in rows if not r.nik),
        "desa_dikenali": sum(1 for d in desa if d is not None),
        "desa_tidak_dikenali": sum(1 for d in desa if d is None),
    }


# ---------------------------------------------------------------------------------------------- the service


def _boleh(oleh, dataset: DatasetSektor) -> None:
    # oleh None: the server itself (CLI on the server, the scheduled pull task)
    if oleh is not None and not sel.boleh_kelola(oleh, dataset):
        raise PermissionDenied("Hanya walidata sektor dataset ini dan admin yang dapat mengirim data.")
    if not dataset.aktif:
        raise ValidationFailed("Dataset tidak aktif.", [Finding(rule="dataset_nonaktif", value=dataset.kode,
                                                               message="dataset dinonaktifkan; aktifkan dahulu")])


def _sudah_ada(dataset: DatasetSektor, periode: Periode, sha: str) -> Pengiriman | None:
    return (Pengiriman.objects.filter(dataset=dataset, periode=periode, sha256=sha, status=Pengiriman.DITERIMA)
            .order_by("-versi").first())


def _hasil_lama(p: Pengiriman) -> HasilPengiriman:
    ring = p.ringkasan or {}
    temuan = [Finding(**f) for f in ring.get("temuan", []) if isinstance(f, dict)]
    return HasilPengiriman(pengiriman=p, versi=p.versi, baru=False, jumlah_baris=p.jumlah_baris, temuan=temuan,
                           jumlah=ring.get("jumlah", {}), sha256=p.sha256, kolom=ring.get("kolom", {}))


def pengiriman_terima(dataset: DatasetSektor, periode: Periode | str, data: bytes, nama_berkas: str = "", *,
                      oleh, sumber: str, dry_run: bool = False, konektor: Konektor | None = None,
                      tautkan: bool = True) -> HasilPengiriman:
    """Receive one delivery of ``dataset`` for ``periode`` (see the module docstring).

    A new microdata delivery is queued for record linkage after it commits (``tautkan=False``: the
    caller links it itself, e.g. the demo and the benchmarks)."""
    _boleh(oleh, dataset)
    if not isinstance(periode, Periode):
        periode = periode_get(periode)
    if sumber not in dict(Pengiriman.SUMBER_CHOICES):
        raise ValueError(f"sumber tidak dikenal: {sumber}")
    sha = hashlib.sha256(data or b"").hexdigest()
    existing = _sudah_ada(dataset, periode, sha)
    if existing is not None:
        return _hasil_lama(existing)
    header, raw_rows, temuan = baca(data or b"", nama_berkas or "")
    hasil = normal.normalisasi(header, raw_rows, pemetaan=dataset.pemetaan_kolom)
    _periksa_kolom(dataset, hasil)
    temuan += hasil.temuan
    agregat = dataset.jenis == AGREGAT
    resolver = _Desa(dataset, oleh)
    desa = [resolver.cari(row, temuan, agregat=agregat) for row in hasil.baris]
    if agregat:
        _ganda_desa(hasil.baris, desa, temuan)
    temuan.sort(key=lambda f: (f.row or 0))
    jumlah = _jumlah(hasil.baris, desa, temuan)
    if jumlah["galat"]:
        raise ValidationFailed(f"Pengiriman ditolak: {jumlah['galat']} kesalahan; tidak ada data yang disimpan.",
                               temuan, extra={"jumlah": jumlah})
    berikut = (Pengiriman.objects.filter(dataset=dataset, periode=periode).aggregate(m=Max("versi"))["m"] or 0) + 1
    if dry_run:
        return HasilPengiriman(pengiriman=None, versi=berikut, baru=True, jumlah_baris=len(hasil.baris),
                               temuan=temuan, jumlah=jumlah, dry_run=True, sha256=sha, kolom=hasil.kolom)
    out = _tulis(dataset, periode, hasil, desa, temuan, jumlah, sha=sha, nama_berkas=nama_berkas, oleh=oleh,
                 sumber=sumber, konektor=konektor)
    if tautkan and out.baru and out.pengiriman is not None and dataset.jenis != AGREGAT:
        antrekan_tautan(out.pengiriman.pk)
    return out


@transaction.atomic
def _tulis(dataset: DatasetSektor, periode: Periode, hasil: normal.HasilNormal, desa: list[int | None],
           temuan: list[Finding], jumlah: dict[str, int], *, sha: str, nama_berkas: str, oleh, sumber: str,
           konektor: Konektor | None) -> HasilPengiriman:
    # one writer per dataset at a time: versions are numbered under the dataset row's lock
    DatasetSektor.objects.select_for_update().filter(pk=dataset.pk).first()
    existing = _sudah_ada(dataset, periode, sha)
    if existing is not None:  # the same content arrived meanwhile
        return _hasil_lama(existing)
    versi = (Pengiriman.objects.filter(dataset=dataset, periode=periode).aggregate(m=Max("versi"))["m"] or 0) + 1
    p = Pengiriman.objects.create(
        dataset=dataset, periode=periode, versi=versi, sumber=sumber, konektor=konektor,
        nama_berkas=(nama_berkas or "")[:255], sha256=sha, jumlah_baris=len(hasil.baris), status=Pengiriman.DITERIMA,
        dikirim_oleh=oleh if getattr(oleh, "is_authenticated", False) else None,
        ringkasan={"jumlah": jumlah, "kolom": hasil.kolom, "temuan_total": len(temuan),
                   "temuan": [f.as_dict() for f in temuan[:TEMUAN_DISIMPAN]]},
    )
    # built before the insert starts: on PostgreSQL the insert is a COPY, and the remembered outcomes are
    # read with queries that cannot run on the connection while a COPY is in progress
    rows = list(_baris_db(p.pk, dataset, hasil.baris, desa))
    bulk_insert(BarisSumber._meta.db_table, KOLOM_BARIS, rows)
    audit_log(aksi=AKSI_PENGIRIMAN_DITERIMA, objek=p, pengguna=oleh, sesudah={
        "dataset": dataset.kode, "periode": periode.kode, "versi": versi, "sha256": sha, "sumber": sumber,
        "jumlah_baris": len(hasil.baris), "nama_berkas": p.nama_berkas, "konektor": konektor.pk if konektor else None})
    return HasilPengiriman(pengiriman=p, versi=versi, baru=True, jumlah_baris=len(hasil.baris), temuan=temuan,
                           jumlah=jumlah, sha256=sha, kolom=hasil.kolom)


def _baris_db(pengiriman_id: int, dataset: DatasetSektor, rows: list[normal.BarisNormal], desa: list[int | None]):
    """Database-ready tuples in ``KOLOM_BARIS`` order (JSON as text, dates ISO).

    Rows go in with their record's remembered link outcome (reviewers' decisions, earlier deliveries
    of the dataset): the linkage run then rewrites only what changed, so a re-delivered list is linked
    without touching its rows again."""
    kunci = [kunci_baris(nik=row.nik, no_kk=row.no_kk, nama=row.nama, jenis_kelamin=row.jenis_kelamin,
                         tanggal_lahir=row.tanggal_lahir, kode_desa=row.kode_desa) for row in rows]
    ingat = hasil_terdahulu(dataset.pk, kunci) if dataset.jenis != AGREGAT else {}
    for row, d, k in zip(rows, desa, kunci, strict=True):
        status, metode, individu, skor = ingat.get(k, (BELUM, "", None, None))
        yield (pengiriman_id, row.baris, row.kode_desa, d, row.nik, row.no_kk, row.nama, row.jenis_kelamin,
               row.tanggal_lahir.isoformat() if row.tanggal_lahir else None, row.nama_ayah, row.nama_ibu, row.alamat,
               k, json.dumps(row.data, ensure_ascii=False) if row.data else "{}", status, metode, individu, skor)
