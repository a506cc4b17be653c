"""Update periods (pemutakhiran berkala). The rest of the update cycle builds on these."""

from __future__ import annotations

from django.db import models

from presisi.core.models import TimestampedModel


class Periode(TimestampedModel):
    """An update period such as ``2026-S2``; its reference date fixes ages and the snapshot."""

    DIBUKA, DITUTUP = "dibuka", "ditutup"
    STATUS_CHOICES = [(DIBUKA, "Dibuka"), (DITUTUP, "Ditutup")]

    kode = models.CharField(max_length=20, unique=True)
    nama = models.CharField(max_length=100, blank=True)
    tanggal_mulai = models.DateField()
    tanggal_referensi = models.DateField(help_text="Tanggal acuan umur dan keadaan data periode ini.")
    tenggat = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=DIBUKA)

    class Meta:
        verbose_name = "periode"
        verbose_name_plural = "periode"
        ordering = ["tanggal_referensi", "kode"]

    def __str__(self) -> str:
        return self.kode
