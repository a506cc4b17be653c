"""Indicator definitions (Satu Data MS-Ind metadata + expressions), parameters, snapshots and the fact table."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.core.models import TimestampedModel
from presisi.dictionary.models import Sektor
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah


class Parameter(models.Model):
    """A dated threshold or norm (poverty line, floor-area norm…): configuration, not code."""

    kode = models.SlugField(max_length=60)
    nama = models.CharField(max_length=200)
    nilai = models.FloatField()
    satuan = models.CharField(max_length=60, blank=True)
    dasar = models.CharField("dasar/sumber", max_length=300, blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)
    berlaku_dari = models.DateField()

    class Meta:
        verbose_name = "parameter"
        verbose_name_plural = "parameter"
        ordering = ["kode", "-berlaku_dari"]
        constraints = [models.UniqueConstraint(fields=["kode", "berlaku_dari"], name="parameter_kode_tanggal_unik")]

    def __str__(self) -> str:
        return f"{self.kode} = {self.nilai} ({self.berlaku_dari})"


class Indikator(TimestampedModel):
    RASIO, KOMPOSIT = "rasio", "komposit"
    # values written by another app through ``indicators.eksternal`` (e.g. spatial exposure), not by the engine
    EKSTERNAL = "eksternal"
    NAIK, TURUN = "naik", "turun"

    kode = models.SlugField(max_length=80, unique=True)
    nama = models.CharField(max_length=200)
    tema = models.CharField(max_length=40, db_index=True)
    jenis = models.CharField(max_length=10, choices=[(RASIO, "Rasio"), (KOMPOSIT, "Komposit"),
                                                             (EKSTERNAL, "Eksternal")], default=RASIO)
    unit = models.CharField(max_length=20, blank=True)
    pembilang = models.TextField(blank=True)
    penyebut = models.TextField(blank=True)
    skala = models.FloatField(default=100)
    # Constant parts of numerator/denominator (e.g. a denominator of "1" for counts): added once per
    # region at value time, never summed up the hierarchy.
    konstanta_pembilang = models.FloatField(default=0)
    konstanta_penyebut = models.FloatField(default=0)
    satuan = models.CharField(max_length=80, blank=True)
    desimal = models.PositiveSmallIntegerField(default=1)
    # blank = descriptive (no better/worse direction), e.g. sex ratio or household size
    arah = models.CharField(max_length=5, blank=True,
                            choices=[(NAIK, "Makin tinggi makin baik"), (TURUN, "Makin rendah makin baik")])
    # MS-Ind metadata
    konsep = models.TextField(blank=True)
    definisi = models.TextField(blank=True)
    interpretasi = models.TextField(blank=True)
    metode = models.TextField("metode/rumus", blank=True)
    ukuran = models.CharField(max_length=100, blank=True)
    klasifikasi_penyajian = models.CharField(max_length=300, blank=True)
    kegiatan = models.CharField("kegiatan penghasil", max_length=300, blank=True)
    level_estimasi = models.CharField(max_length=20, default="banjar")
    akses_publik = models.BooleanField(default=True)
    disagregasi = models.JSONField(default=list, blank=True)
    variabel_pembangun = models.JSONField(default=dict, blank=True)
    komponen = models.JSONField(default=list, blank=True, help_text="Komponen indikator komposit.")
    dimensi = models.JSONField(default=dict, blank=True)
    kelas = models.JSONField(default=list, blank=True, help_text="Batas kelas status (komposit).")
    sdgs_desa = models.PositiveSmallIntegerField(null=True, blank=True)
    referensi = models.CharField(max_length=300, blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)
    walidata = models.ForeignKey(Sektor, null=True, blank=True, on_delete=models.PROTECT)
    versi = models.CharField(max_length=20, blank=True)
    standar = models.BooleanField(default=False, help_text="Bagian dari set standar (YAML).")
    aktif = models.BooleanField(default=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikator"
        ordering = ["tema", "kode"]

    def __str__(self) -> str:
        return self.nama


class Snapshot(models.Model):
    """The state of one desa's analytic rows for one period; frozen after final approval."""

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE)
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    beku = models.BooleanField(default=False)
    dibangun_pada = models.DateTimeField()
    jumlah_individu = models.PositiveIntegerField(default=0)
    # Fingerprint of the registry rows the snapshot was built from; equal → nothing to rebuild.
    sidik = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "snapshot periode"
        verbose_name_plural = "snapshot periode"
        constraints = [models.UniqueConstraint(fields=["periode", "desa"], name="snapshot_periode_desa_unik")]

    def __str__(self) -> str:
        return f"{self.periode_id}/{self.desa_id}{' (beku)' if self.beku else ''}"


class NilaiIndikator(models.Model):
    """Fact table: indicator × region × period × disaggregation → numerator, denominator, value."""

    # Column order used by the engine's bulk writes.
    KOLOM_FAKTA = ("periode_id", "indikator_id", "wilayah_id", "kedalaman", "disagregasi", "pembilang", "penyebut",
                   "nilai", "kelas", "dihitung_pada")

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE)
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE)
    wilayah = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    kedalaman = models.PositiveSmallIntegerField()
    disagregasi = models.CharField(max_length=40, default="total")
    pembilang = models.FloatField()
    penyebut = models.FloatField()
    nilai = models.FloatField(null=True)
    kelas = models.CharField(max_length=40, blank=True)
    dihitung_pada = models.DateTimeField()

    class Meta:
        verbose_name = "nilai indikator"
        verbose_name_plural = "nilai indikator"
        constraints = [models.UniqueConstraint(fields=["periode", "indikator", "wilayah", "disagregasi"],
                                               name="nilai_indikator_unik")]
        indexes = [models.Index(fields=["periode", "indikator", "kedalaman"], name="nilai_periode_ind_level_idx"),
                   models.Index(fields=["periode", "wilayah"], name="nilai_periode_wilayah_idx")]

    def __str__(self) -> str:
        return f"{self.indikator_id}@{self.wilayah_id} {self.disagregasi}: {self.nilai}"
