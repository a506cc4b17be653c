"""Backup and restore of the whole database through Django's model layer (SQLite and PostgreSQL).

An archive is a zip file:

- ``data/<table>.jsonl``: every row of one table, one canonical JSON array per line, in primary
  key order (code-point order for text keys on both engines);
- ``manifest.json``: per table its model, columns, row count and the SHA-256 of that file's bytes;
  plus the applied migrations, the app version, the engine and the creation time.

The per-table checksum is the SHA-256 of the canonical lines, so the same function computes it
from an archive member and from a live database (:func:`checksums_live`), and a backup taken on
SQLite restores on PostgreSQL and the other way round. Only Django's app registry is consulted:
every table of every installed, managed model (many-to-many tables included) is covered without
this module knowing any app.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.duration import duration_string

from presisi.core.exceptions import ApplicationError, Finding

FORMAT = "presisi-cadangan"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
READ_CHUNK = 2000
WRITE_BATCH = 1000


class BackupError(ApplicationError):
    """The archive or the target database is not fit for a restore; nothing has been written."""


# --- which tables ----------------------------------------------------------------------------


def backup_models() -> list[type[models.Model]]:
    """Every managed, concrete model with its own table (M2M tables included), sorted by table name."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.swapped:
            continue
        seen.setdefault(meta.db_table, model)
    return [seen[t] for t in sorted(seen)]


def _fields(model: type[models.Model]) -> list[models.Field]:
    # Local fields only: with multi-table inheritance the parent's columns live in the parent's table.
    return list(model._meta.local_concrete_fields)


# --- canonical rows ------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """A Python value from the model layer → a JSON value that the field's ``to_python`` reads back."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict | list):
        return value  # JSONField: already JSON
    return str(value)


def _line(row: tuple) -> bytes:
    return (json.dumps([_encode(v) for v in row], ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                       allow_nan=False) + "\n").encode("utf-8")


def _ordered(model: type[models.Model]) -> models.QuerySet:
    qs = model._base_manager.using(connection.alias).all()
    pk = model._meta.pk
    if connection.vendor == "postgresql" and isinstance(pk, models.CharField | models.TextField):
        # Code-point order, as SQLite's BINARY collation sorts: one checksum on both engines.
        return qs.order_by(Collate(pk.attname, "C"))
    return qs.order_by(pk.attname)


def _live_lines(model: type[models.Model]) -> Iterator[bytes]:
    attnames = [f.attname for f in _fields(model)]
    for row in _ordered(model).values_list(*attnames).iterator(chunk_size=READ_CHUNK):
        yield _line(row)


@dataclass
class TableSum:
    rows: int = 0
    sha256: str = ""


def _sum_lines(lines) -> TableSum:
    digest = hashlib.sha256()
    n = 0
    for line in lines:
        digest.update(line)
        n += 1
    return TableSum(rows=n, sha256=digest.hexdigest())


def checksums_live() -> dict[str, dict[str, Any]]:
    """Row count and checksum of every table, computed from the database as it is now."""
    out: dict[str, dict[str, Any]] = {}
    with transaction.atomic():
        for model in backup_models():
            s = _sum_lines(_live_lines(model))
            out[model._meta.db_table] = {"baris": s.rows, "sha256": s.sha256}
    return out


def _migrations() -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _app_version() -> str:
    try:
        return version("presisi")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


# --- backup --------------------------------------------------------------------------------


def backup_create(*, directory: Path) -> dict[str, Any]:
    """Write a new archive of the whole database into ``directory``; returns its path and manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.now().astimezone(dt.UTC)
    path = directory / f"presisi-cadangan-{created:%Y%m%dT%H%M%SZ}.zip"
    partial = path.with_suffix(".zip.part")
    tables: list[dict[str, Any]] = []
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for every table, while writers go on.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        migrations = _migrations()
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for model in backup_models():
                table = model._meta.db_table
                member = f"data/{table}.jsonl"
                digest = hashlib.sha256()
                n = 0
                with zf.open(member, "w", force_zip64=True) as out:
                    for line in _live_lines(model):
                        out.write(line)
                        digest.update(line)
                        n += 1
                tables.append({"tabel": table, "model": model._meta.label, "berkas": member,
                               "kolom": [f.column for f in _fields(model)], "baris": n,
                               "sha256": digest.hexdigest()})
            manifest = {"format": FORMAT, "versi_format": FORMAT_VERSION, "versi_aplikasi": _app_version(),
                        "dibuat": created.isoformat(), "mesin": connection.vendor, "migrasi": migrations,
                        "tabel": tables}
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    partial.replace(path)
    return {"berkas": str(path), "tabel": len(tables), "baris": sum(t["baris"] for t in tables),
            "manifest": manifest}


# --- reading and verifying an archive ----------------------------------------------------------


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupError(f"Berkas cadangan tidak ditemukan: {path}") from exc
    except zipfile.BadZipFile as exc:
        raise BackupError(f"Berkas cadangan rusak atau bukan arsip zip: {path}") from exc


def manifest_read(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as exc:
        raise BackupError("Arsip tidak memuat manifest.json: bukan cadangan Presisi.") from exc
    except ValueError as exc:
        raise BackupError("manifest.json rusak (bukan JSON).") from exc
    if manifest.get("format") != FORMAT or manifest.get("versi_format") != FORMAT_VERSION:
        raise BackupError(f"Format arsip tidak dikenal: {manifest.get('format')} v{manifest.get('versi_format')}.")
    return manifest


def _archive_lines(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with zf.open(member) as fh:
        yield from fh


def archive_verify(path: Path) -> dict[str, Any]:
    """Check every table file of an archive against its manifest; raise with every mismatch found."""
    with _open(path) as zf:
        manifest = manifest_read(zf)
        names = set(zf.namelist())
        findings: list[Finding] = []
        for entry in manifest["tabel"]:
            if entry["berkas"] not in names:
                findings.append(Finding(rule="berkas_hilang", column=entry["tabel"], message="berkas tabel tidak ada"))
                continue
            try:
                s = _sum_lines(_archive_lines(zf, entry["berkas"]))
            except (zipfile.BadZipFile, OSError, EOFError) as exc:  # a damaged member fails its CRC
                findings.append(Finding(rule="berkas_rusak", column=entry["tabel"], message=f"tidak terbaca: {exc}"))
                continue
            if s.rows != entry["baris"]:
                findings.append(Finding(rule="jumlah_baris", column=entry["tabel"], value=s.rows,
                                        message=f"manifest mencatat {entry['baris']} baris"))
            if s.sha256 != entry["sha256"]:
                findings.append(Finding(rule="checksum", column=entry["tabel"], value=s.sha256[:16],
                                        message=f"checksum berbeda dari manifest ({entry['sha256'][:16]}…)"))
    if findings:
        raise BackupError("Arsip cadangan tidak cocok dengan manifest-nya (rusak atau diubah): "
                          "pemulihan ditolak, basis data tidak disentuh.", findings)
    return manifest


def compare(manifest: dict[str, Any], live: dict[str, dict[str, Any]]) -> list[Finding]:
    """Differences between a manifest and live checksums, one finding per table."""
    findings: list[Finding] = []
    expected = {t["tabel"]: t for t in manifest["tabel"]}
    for table in sorted(set(expected) | set(live)):
        want, have = expected.get(table), live.get(table)
        if want is None:
            findings.append(Finding(rule="tabel_tambahan", column=table, value=have["baris"],
                                    message="tabel ada di basis data, tidak ada di manifest"))
        elif have is None:
            findings.append(Finding(rule="tabel_hilang", column=table,
                                    message="tabel manifest tidak ada di basis data"))
        elif (have["baris"], have["sha256"]) != (want["baris"], want["sha256"]):
            findings.append(Finding(rule="checksum", column=table, value=have["baris"],
                                    message=f"berbeda dari manifest ({want['baris']} baris, "
                                            f"checksum {want['sha256'][:16]}…)"))
    return findings


def database_check(path: Path) -> dict[str, Any]:
    """Compare the live database with an archive's manifest (or a bare manifest.json)."""
    if path.suffix == ".json":
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackupError(f"Manifest tidak terbaca: {exc}") from exc
    else:
        with _open(path) as zf:
            manifest = manifest_read(zf)
    findings = compare(manifest, checksums_live())
    return {"cocok": not findings, "tabel": len(manifest["tabel"]), "temuan": [str(f) for f in findings],
            "findings": findings}


# --- restore -------------------------------------------------------------------------------


def _schema_findings(manifest: dict[str, Any]) -> list[Finding]:
    findings: list[Finding] = []
    current = _migrations()
    if current != manifest["migrasi"]:
        have = {(a, n) for a, ns in current.items() for n in ns}
        want = {(a, n) for a, ns in manifest["migrasi"].items() for n in ns}
        for app, name in sorted(want - have)[:20]:
            findings.append(Finding(rule="migrasi", column=app, value=name, message="ada di cadangan, belum di sini"))
        for app, name in sorted(have - want)[:20]:
            findings.append(Finding(rule="migrasi", column=app, value=name, message="ada di sini, tidak di cadangan"))
    models_by_table = {m._meta.db_table: m for m in backup_models()}
    for entry in manifest["tabel"]:
        model = models_by_table.get(entry["tabel"])
        if model is None:
            findings.append(Finding(rule="tabel_hilang", column=entry["tabel"],
                                    message="tidak ada model untuk tabel ini"))
        elif [f.column for f in _fields(model)] != entry["kolom"]:
            findings.append(Finding(rule="kolom", column=entry["tabel"], message="kolom tabel berbeda dari cadangan"))
    for table in sorted(set(models_by_table) - {t["tabel"] for t in manifest["tabel"]}):
        findings.append(Finding(rule="tabel_tambahan", column=table, message="tabel tidak ada di cadangan"))
    return findings


def _user_count() -> int:
    from django.contrib.auth import get_user_model

    return get_user_model()._base_manager.count()


def _insert(model: type[models.Model], lines: Iterator[bytes]) -> int:
    fields = _fields(model)
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    n = 0
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for line in lines:
            values = json.loads(line)
            batch.append([f.get_db_prep_save(f.to_python(v), connection)
                          for f, v in zip(fields, values, strict=True)])
            if len(batch) >= WRITE_BATCH:
                cursor.executemany(sql, batch)
                n += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            n += len(batch)
    return n


def backup_restore(path: Path, *, replace: bool = False) -> dict[str, Any]:
    """Restore an archive into this (migrated) database, all or nothing.

    Order: the archive is verified against its manifest, the schema against the archive's, and the
    database for emptiness, before anything is written; then, in one transaction, every table is
    emptied and refilled and its row count and checksum compared with the manifest again.
    """
    manifest = archive_verify(path)
    findings = _schema_findings(manifest)
    if findings:
        raise BackupError("Skema basis data ini tidak sama dengan skema cadangan: jalankan `presisi migrate` "
                          "pada versi aplikasi yang sama (" + manifest["versi_aplikasi"] + ") lalu ulangi.", findings)
    users = _user_count()
    if users and not replace:
        raise BackupError(f"Basis data tujuan sudah berisi {users} pengguna: pulihkan hanya ke basis data baru yang "
                          "sudah dimigrasi (presisi migrate), atau tambahkan --timpa untuk mengganti seluruh isinya.")
    models_by_table = {m._meta.db_table: m for m in backup_models()}
    restored: dict[str, int] = {}
    with _open(path) as zf, transaction.atomic():
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            # Foreign keys are DEFERRABLE INITIALLY DEFERRED on both engines: checked at commit.
            for table in reversed(sorted(models_by_table)):
                cursor.execute(f"DELETE FROM {qn(table)}")
        for entry in manifest["tabel"]:
            restored[entry["tabel"]] = _insert(models_by_table[entry["tabel"]], _archive_lines(zf, entry["berkas"]))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(models_by_table.values())):
                    cursor.execute(sql)
        mismatches = compare(manifest, checksums_live())
        if mismatches:
            raise BackupError("Hasil pemulihan tidak sama dengan manifest: dibatalkan, basis data tidak diubah.",
                              mismatches)
        try:
            connection.check_constraints()
        except IntegrityError as exc:
            raise BackupError(f"Cadangan melanggar kunci asing: dibatalkan, basis data tidak diubah ({exc}).") from exc
    ContentType.objects.clear_cache()
    return {"berkas": str(path), "tabel": len(restored), "baris": sum(restored.values()),
            "dibuat": manifest["dibuat"], "mesin_asal": manifest["mesin"]}
