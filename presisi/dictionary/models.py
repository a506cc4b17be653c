"""The data dictionary (kamus data): Satu Data Indonesia MS-Var metadata and code lists.

The dictionary drives forms, imports, validation, the API and the indicators: a value
is stored only if its variable exists here for that unit of observation and fits its
type, range and code list.
"""

from __future__ import annotations

from django.db import models

INDIVIDU, KELUARGA, RUMAH_TANGGA, BANGUNAN, DESA = "individu", "keluarga", "rumah_tangga", "bangunan", "desa"
UNIT_CHOICES = [
    (INDIVIDU, "Individu"),
    (KELUARGA, "Keluarga"),
    (RUMAH_TANGGA, "Rumah tangga"),
    (BANGUNAN, "Bangunan"),
    (DESA, "Desa/kelurahan"),
]

KODE, BILANGAN, DESIMAL, TEKS, TANGGAL = "kode", "bilangan", "desimal", "teks", "tanggal"
TIPE_CHOICES = [
    (KODE, "Kode (klasifikasi)"),
    (BILANGAN, "Bilangan bulat"),
    (DESIMAL, "Bilangan desimal"),
    (TEKS, "Teks"),
    (TANGGAL, "Tanggal"),
]

KOLOM, ATRIBUT = "kolom", "atribut"
SISTEM_RUJUKAN_REGISTRI = "registri"


class Sektor(models.Model):
    """An agency sector whose data steward (walidata) owns variables and indicators."""

    kode = models.SlugField(max_length=40, unique=True)
    nama = models.CharField(max_length=200)
    opd = models.CharField("perangkat daerah", max_length=200, blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "sektor"
        verbose_name_plural = "sektor"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.nama


class Klasifikasi(models.Model):
    """A versioned code list. A new version is a new row; old versions stay readable."""

    kode = models.SlugField(max_length=60)
    versi = models.CharField(max_length=20)
    nama = models.CharField(max_length=200)
    sumber = models.CharField(max_length=300, blank=True)
    keterangan = models.TextField(blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "klasifikasi"
        verbose_name_plural = "klasifikasi"
        ordering = ["kode", "-versi"]
        constraints = [models.UniqueConstraint(fields=["kode", "versi"], name="klasifikasi_kode_versi_unik")]

    def __str__(self) -> str:
        return f"{self.nama} (v{self.versi})"


class KlasifikasiItem(models.Model):
    klasifikasi = models.ForeignKey(Klasifikasi, on_delete=models.CASCADE, related_name="item")
    kode = models.IntegerField()
    label = models.CharField(max_length=200)
    keterangan = models.CharField(max_length=300, blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "item klasifikasi"
        verbose_name_plural = "item klasifikasi"
        ordering = ["klasifikasi", "urutan", "kode"]
        constraints = [models.UniqueConstraint(fields=["klasifikasi", "kode"], name="klasifikasi_item_unik")]

    def __str__(self) -> str:
        return f"{self.kode} {self.label}"


class Variabel(models.Model):
    """One variable with the MS-Var metadata fields of Satu Data Indonesia."""

    kode = models.SlugField(max_length=60, unique=True)
    nama = models.CharField(max_length=200)
    alias = models.CharField(max_length=200, blank=True)
    domain = models.CharField(max_length=40, db_index=True)
    unit = models.CharField("unit observasi", max_length=20, choices=UNIT_CHOICES, db_index=True)
    tipe = models.CharField("tipe data", max_length=10, choices=TIPE_CHOICES)
    klasifikasi = models.ForeignKey(Klasifikasi, null=True, blank=True, on_delete=models.PROTECT)
    penyimpanan = models.CharField(max_length=10, choices=[(KOLOM, "Kolom inti"), (ATRIBUT, "Atribut")],
                                   default=ATRIBUT)
    walidata = models.ForeignKey(Sektor, null=True, blank=True, on_delete=models.PROTECT)
    kegiatan = models.CharField("kegiatan penghasil", max_length=200, blank=True)
    konsep = models.TextField(blank=True)
    definisi = models.TextField(blank=True)
    referensi_pemilihan = models.CharField(max_length=300, blank=True)
    referensi_waktu = models.CharField(max_length=200, blank=True)
    ukuran = models.CharField(max_length=100, blank=True)
    satuan = models.CharField(max_length=60, blank=True)
    # {"min": .., "max": .., "pola": "regex", "wajib": bool}
    aturan_validasi = models.JSONField(default=dict, blank=True)
    kalimat_pertanyaan = models.TextField(blank=True)
    # {"en": {field: text}}: English beside the Indonesian texts, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(default=dict, blank=True)
    akses_publik = models.BooleanField("akses publik (agregat)", default=True)
    data_pribadi_spesifik = models.BooleanField(default=False, help_text="UU PDP Ps. 4: kesehatan, anak, keuangan.")
    # Which source is authoritative for this variable when an agency list and the registry disagree:
    # "registri" (the village registry; the agency must fix its list) or a sector/dataset code (that
    # agency is right; the desa must update the registry). Read by integration's discrepancy report.
    sistem_rujukan = models.CharField("sistem rujukan", max_length=60, default=SISTEM_RUJUKAN_REGISTRI,
                                      help_text="registri, atau kode sektor/dataset yang menjadi rujukan.")
    versi = models.CharField(max_length=20)
    aktif = models.BooleanField(default=True)
    urutan = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "variabel"
        verbose_name_plural = "variabel"
        ordering = ["unit", "urutan", "kode"]

    def __str__(self) -> str:
        return f"{self.kode} ({self.get_unit_display()})"
