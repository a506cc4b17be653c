"""Validation rules (built-in and steward-written conditions) and the findings they produce.

A ``Temuan`` belongs to one desa × period × record. ``error`` findings block approval;
``warning`` findings need a written justification. Re-running the rules replaces the open
findings of a desa × period and keeps the justification of every warning that still occurs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.core.models import TimestampedModel
from presisi.dictionary.models import BANGUNAN, INDIVIDU, KELUARGA, RUMAH_TANGGA
from presisi.regions.models import Wilayah

ERROR, WARNING = "error", "warning"
KEPARAHAN_CHOICES = [(ERROR, "Kesalahan (menolak)"), (WARNING, "Peringatan (perlu justifikasi)")]
UNIT_ATURAN_CHOICES = [
    (INDIVIDU, "Individu"),
    (KELUARGA, "Keluarga"),
    (RUMAH_TANGGA, "Rumah tangga"),
    (BANGUNAN, "Bangunan"),
]


class AturanValidasi(TimestampedModel):
    """One rule. ``bawaan`` rules are implemented in code (``presisi.validation.rules``);
    ``kondisi`` rules are a VIOLATION condition written by a data steward."""

    BAWAAN, KONDISI = "bawaan", "kondisi"
    JENIS_CHOICES = [(BAWAAN, "Bawaan (kode program)"), (KONDISI, "Kondisi (ditulis walidata)")]

    kode = models.SlugField(max_length=60, unique=True)
    nama = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, choices=UNIT_ATURAN_CHOICES)
    keparahan = models.CharField("tingkat keparahan", max_length=10, choices=KEPARAHAN_CHOICES)
    pesan = models.TextField(help_text="Templat pesan berbahasa Indonesia; boleh memakai {nilai}, {kolom}, {umur}.")
    jenis = models.CharField(max_length=10, choices=JENIS_CHOICES, default=KONDISI)
    kondisi = models.TextField(blank=True, help_text="Kondisi PELANGGARAN, mis. umur < 15 and status_kawin == 2.")
    kolom = models.CharField(max_length=60, blank=True, help_text="Kolom yang disebut dalam temuan.")
    terkunci = models.BooleanField(
        default=False, help_text="Aturan struktural: selalu aktif dan selalu menolak (mis. format NIK).")
    aktif = models.BooleanField(default=True)
    keterangan = models.TextField(blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = "aturan validasi"
        verbose_name_plural = "aturan validasi"
        ordering = ["unit", "kode"]
        constraints = [
            models.CheckConstraint(condition=models.Q(jenis="bawaan") | ~models.Q(kondisi=""),
                                   name="aturan_kondisi_wajib_diisi"),
        ]

    def __str__(self) -> str:
        return f"{self.kode} ({self.get_keparahan_display()})"


class Temuan(TimestampedModel):
    """One rule breach in one record of a desa in a period."""

    TERBUKA, DIJUSTIFIKASI, SELESAI = "terbuka", "dijustifikasi", "selesai"
    STATUS_CHOICES = [(TERBUKA, "Terbuka"), (DIJUSTIFIKASI, "Dijustifikasi"), (SELESAI, "Selesai")]

    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey("periods.Periode", on_delete=models.PROTECT, related_name="temuan")
    aturan = models.ForeignKey(AturanValidasi, on_delete=models.PROTECT, related_name="temuan")
    unit = models.CharField(max_length=20, choices=UNIT_ATURAN_CHOICES)
    objek_id = models.BigIntegerField(null=True, blank=True, help_text="id rekaman registri; kosong = tingkat desa.")
    baris = models.PositiveIntegerField(null=True, blank=True, help_text="Baris berkas impor, bila dari impor.")
    label = models.CharField(max_length=200, blank=True, help_text="Penanda rekaman untuk manusia (NIK/No. KK, nama).")
    kolom = models.CharField(max_length=80, blank=True)
    nilai = models.CharField(max_length=200, blank=True)
    pesan = models.TextField()
    keparahan = models.CharField(max_length=10, choices=KEPARAHAN_CHOICES)
    status = models.CharField(max_length=15, choices=STATUS_CHOICES, default=TERBUKA, db_index=True)
    justifikasi = models.TextField(blank=True)
    dijustifikasi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    dijustifikasi_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "temuan validasi"
        verbose_name_plural = "temuan validasi"
        ordering = ["desa", "periode", "-keparahan", "aturan", "objek_id"]
        indexes = [models.Index(fields=["desa", "periode", "status"], name="temuan_desa_periode_idx")]

    def __str__(self) -> str:
        return f"{self.aturan.kode} {self.unit}#{self.objek_id or '-'} {self.kolom}"


class RekapValidasi(models.Model):
    """The last validation run of a desa in a period: counts, and the population the outlier
    rule of the next period compares against."""

    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    periode = models.ForeignKey("periods.Periode", on_delete=models.PROTECT, related_name="+")
    jumlah_individu = models.PositiveIntegerField(default=0)
    jumlah_keluarga = models.PositiveIntegerField(default=0)
    jumlah_error = models.PositiveIntegerField(default=0)
    jumlah_warning = models.PositiveIntegerField(default=0)
    warning_belum_dijustifikasi = models.PositiveIntegerField(default=0)
    kamus_sidik = models.CharField(max_length=40, blank=True,
                                   help_text="Sidik kamus data saat nilai tersimpan terakhir diperiksa penuh.")
    dijalankan_pada = models.DateTimeField(auto_now=True)
    dijalankan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "rekap validasi"
        verbose_name_plural = "rekap validasi"
        constraints = [models.UniqueConstraint(fields=["desa", "periode"], name="rekap_validasi_unik")]

    def __str__(self) -> str:
        return f"{self.desa_id}/{self.periode_id}: {self.jumlah_error} error, {self.jumlah_warning} warning"
