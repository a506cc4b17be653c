"""Writing the audit trail. Services call these after a write, inside its transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from presisi.core.models import AuditLog


def audit_log(
    *,
    aksi: str,
    objek: models.Model | None = None,
    pengguna: Any = None,
    sebelum: dict | None = None,
    sesudah: dict | None = None,
    keterangan: str = "",
) -> AuditLog:
    user = pengguna if getattr(pengguna, "is_authenticated", False) else None
    return AuditLog.objects.create(
        aksi=aksi,
        objek_tipe=objek._meta.label_lower if objek is not None else "",
        objek_id=str(objek.pk) if objek is not None else "",
        pengguna=user,
        sebelum=sebelum,
        sesudah=sesudah,
        keterangan=keterangan,
    )


def audit_log_bulk(*, aksi: str, objek_tipe: str, objek_ids: Iterable[Any], pengguna: Any = None,
                   keterangan: str = "") -> int:
    """One audit row per object for bulk writes, inserted in batches."""
    user = pengguna if getattr(pengguna, "is_authenticated", False) else None
    rows = [
        AuditLog(aksi=aksi, objek_tipe=objek_tipe, objek_id=str(i), pengguna=user, keterangan=keterangan)
        for i in objek_ids
    ]
    AuditLog.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def model_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """A JSON-safe dict of a model's concrete field values, for the before/after columns."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        value = getattr(obj, f.attname)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[f.attname] = value
    return out
