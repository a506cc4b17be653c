"""Shared model pieces: timestamps and the audit log every write goes through."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimestampedModel(models.Model):
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Who did what to which record, with the values before and after.

    Rows are only ever inserted: the log is the history of the registry. ``aksi`` is a
    dotted name such as ``registry.individu.dibuat`` or ``pdp.nik.dilihat`` (UU PDP
    processing log).
    """

    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    aksi = models.CharField(max_length=80)
    objek_tipe = models.CharField(max_length=60, blank=True)
    objek_id = models.CharField(max_length=40, blank=True)
    sebelum = models.JSONField(null=True, blank=True)
    sesudah = models.JSONField(null=True, blank=True)
    keterangan = models.TextField(blank=True)

    class Meta:
        verbose_name = "log audit"
        verbose_name_plural = "log audit"
        # Few indexes on purpose: the log takes a row for every write. Lookups go by object
        # (type + id) or by action prefix (``aksi LIKE 'pdp.%'``; the pattern opclass serves both
        # that and equality on PostgreSQL, and is ignored by SQLite).
        indexes = [models.Index(fields=["objek_tipe", "objek_id"], name="audit_objek_idx"),
                   models.Index(fields=["aksi"], name="audit_aksi_idx", opclasses=["varchar_pattern_ops"])]
        ordering = ["-waktu", "-id"]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.aksi} {self.objek_tipe}#{self.objek_id}"
