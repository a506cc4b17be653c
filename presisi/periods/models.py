"""Update periods and the per-desa lock record: the foundation every other app reads.

``Periode`` moved here from ``updates`` with its table unchanged (``updates_periode``), so
existing databases keep their rows. ``KunciDesa`` is how far a desa's data for a period is
frozen; the update workflow (``presisi.updates``, above the registry) writes it on every
submission status change, and registry writes (``locking.pastikan_dapat_diubah``) read it
without knowing anything about submissions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.core.models import TimestampedModel
from presisi.regions.models import Wilayah


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
    dibuka_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    ditutup_pada = models.DateTimeField(null=True, blank=True)
    ditutup_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        db_table = "updates_periode"  # the table predates this app; moving the model kept it
        verbose_name = "periode"
        verbose_name_plural = "periode"
        ordering = ["tanggal_referensi", "kode"]

    def __str__(self) -> str:
        return self.kode

    @property
    def dibuka(self) -> bool:
        return self.status == self.DIBUKA


class KunciDesa(models.Model):
    """How far one desa's data for one period is frozen (one row per period × desa).

    ``terbuka``: the desa edits its data; ``diperiksa``: submitted, a higher tier is checking
    it, read-only until returned; ``final``: approved/published, read-only until un-approved.
    ``status``/``keterangan`` keep the submission state that set the lock, for the message.
    """

    TERBUKA, DIPERIKSA, FINAL = "terbuka", "diperiksa", "final"
    TINGKAT_CHOICES = [(TERBUKA, "Terbuka"), (DIPERIKSA, "Sedang diperiksa"), (FINAL, "Final")]

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="kunci")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    tingkat = models.CharField(max_length=10, choices=TINGKAT_CHOICES, default=TERBUKA, db_index=True)
    status = models.CharField(max_length=20, blank=True, help_text="Status pengajuan yang menetapkan kunci.")
    keterangan = models.CharField(max_length=100, blank=True, help_text="Label status untuk pesan penolakan.")
    sejak = models.DateTimeField()
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")

    class Meta:
        verbose_name = "kunci data desa"
        verbose_name_plural = "kunci data desa"
        ordering = ["periode_id", "desa_id"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "desa"], name="kunci_desa_periode_desa_unik"),
            models.CheckConstraint(condition=models.Q(tingkat__in=["terbuka", "diperiksa", "final"]),
                                   name="kunci_desa_tingkat_sah"),
        ]

    def __str__(self) -> str:
        return f"{self.periode_id}/{self.desa_id}: {self.tingkat}"

    @property
    def terkunci(self) -> bool:
        return self.tingkat != self.TERBUKA
