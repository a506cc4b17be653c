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
