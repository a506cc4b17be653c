"""Import jobs: who sent which file for which desa and period, its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.core.models import TimestampedModel
from presisi.regions.models import Wilayah


class Impor(TimestampedModel):
    ANTRI, BERJALAN, SELESAI, GAGAL = "antri", "berjalan", "selesai", "gagal"
    STATUS_CHOICES = [(ANTRI, "Dalam antrean"), (BERJALAN, "Sedang diproses"), (SELESAI, "Selesai"),
                      (GAGAL, "Gagal (galat sistem)")]
    DITERIMA, DITOLAK, UJI = "diterima", "ditolak", "uji"
    HASIL_CHOICES = [(DITERIMA, "Diterima dan disimpan"), (DITOLAK, "Ditolak, tidak ada yang disimpan"),
                     (UJI, "Uji coba, tidak ada yang disimpan")]
    TEMPLATE, OPENSID = "template", "opensid"
    FORMAT_CHOICES = [(TEMPLATE, "Templat Presisi"), (OPENSID, "Ekspor penduduk OpenSID")]

    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey("periods.Periode", on_delete=models.PROTECT, related_name="+")
    nama_berkas = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    ukuran = models.PositiveBigIntegerField(default=0)
    format = models.CharField(max_length=10, choices=FORMAT_CHOICES, blank=True,
                              help_text="Kosong saat diunggah = dikenali otomatis.")
    dry_run = models.BooleanField("uji coba", default=False)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=ANTRI, db_index=True)
    progres = models.PositiveSmallIntegerField(default=0)
    pesan_progres = models.CharField(max_length=200, blank=True)
    hasil = models.CharField(max_length=10, choices=HASIL_CHOICES, blank=True)
    ringkasan = models.JSONField(default=dict, blank=True)
    temuan = models.JSONField(default=list, blank=True, help_text="Temuan per baris (dibatasi jumlahnya).")
    jumlah_temuan = models.PositiveIntegerField(default=0)
    jumlah_error = models.PositiveIntegerField(default=0)
    jumlah_warning = models.PositiveIntegerField(default=0)
    # The upload is kept only until it is processed (UU PDP: no copies of personal data at rest).
    isi = models.BinaryField(null=True, blank=True, editable=False)
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "impor"
        verbose_name_plural = "impor"
        ordering = ["-dibuat", "-id"]

    def __str__(self) -> str:
        return f"Impor #{self.pk} {self.nama_berkas} ({self.get_status_display()})"

    @property
    def berjalan(self) -> bool:
        return self.status in (self.ANTRI, self.BERJALAN)
