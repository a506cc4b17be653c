"""The precision village registry: keluarga (KK), rumah tangga, individu (NIK), bangunan, aset desa.

Identity and core fields are columns; everything else is a dictionary variable stored in
``atribut`` and validated against the dictionary on every write. Nothing is deleted:
life events change ``status_dasar`` and leave a Peristiwa row; writes leave audit rows.
Each record carries its banjar and desa so that scope filters and indicator scans need
no joins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.core.models import TimestampedModel
from presisi.regions.models import Wilayah, WilayahAdat

HIDUP, MATI, PINDAH, HILANG, PERGI, TIDAK_VALID = 1, 2, 3, 4, 6, 9
KEPALA_KELUARGA = 1
LAKI_LAKI, PEREMPUAN = 1, 2


class RegionalRecord(TimestampedModel):
    banjar = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    atribut = models.JSONField(default=dict, blank=True)
    sintetis = models.BooleanField(default=False)
    # Optimistic locking: every write moves the version on (``services.versi.kunci_versi``, the import's
    # bulk update); a form or API write carrying an older version is refused. The database default
    # lets raw bulk inserts (import COPY, synthetic data) leave the column out.
    versi = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


class Bangunan(RegionalRecord):
    kode = models.CharField(max_length=24, unique=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "bangunan"
        verbose_name_plural = "bangunan"

    def __str__(self) -> str:
        return self.kode


class RumahTangga(RegionalRecord):
    """A household: the people who share a dwelling and meals (not the same unit as the KK)."""

    kode = models.CharField(max_length=24, unique=True)
    bangunan = models.ForeignKey(Bangunan, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="rumah_tangga")
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "rumah tangga"
        verbose_name_plural = "rumah tangga"

    def __str__(self) -> str:
        return self.kode


class Keluarga(RegionalRecord):
    no_kk = models.CharField("No. KK", max_length=16, unique=True)
    no_kk_sementara = models.BooleanField(default=False)
    no_kk_sebelumnya = models.CharField(max_length=16, blank=True)
    alamat = models.CharField(max_length=300, blank=True)
    aktif = models.BooleanField(default=True)
    # Bali: the family's banjar adat (krama), a customary unit that does not nest in the banjar dinas.
    banjar_adat = models.ForeignKey(WilayahAdat, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="keluarga", limit_choices_to={"tingkat": "banjar_adat"})

    class Meta:
        verbose_name = "keluarga"
        verbose_name_plural = "keluarga"

    def __str__(self) -> str:
        return self.no_kk


class Individu(RegionalRecord):
    # The desa index is the first column of individu_desa_status_idx: a second one on desa alone
    # would only slow down every insert (imports write a whole desa at a time).
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+", db_index=False)
    nik = models.CharField("NIK", max_length=16, unique=True)
    nik_sementara = models.BooleanField(default=False, help_text="Nomor sementara: belum ber-NIK.")
    nama = models.CharField(max_length=150)
    jenis_kelamin = models.PositiveSmallIntegerField()
    tempat_lahir = models.CharField(max_length=100, blank=True)
    tanggal_lahir = models.DateField(db_index=True)
    agama = models.PositiveSmallIntegerField(null=True, blank=True)
    status_kawin = models.PositiveSmallIntegerField(null=True, blank=True)
    hubungan_keluarga = models.PositiveSmallIntegerField()
    pendidikan = models.PositiveSmallIntegerField(null=True, blank=True)
    pekerjaan = models.PositiveSmallIntegerField(null=True, blank=True)
    kewarganegaraan = models.PositiveSmallIntegerField(default=1)
    status_dasar = models.PositiveSmallIntegerField(default=HIDUP)  # indexed with desa (Meta.indexes)
    nama_ayah = models.CharField(max_length=150, blank=True)
    nama_ibu = models.CharField(max_length=150, blank=True)
    keluarga = models.ForeignKey(Keluarga, on_delete=models.PROTECT, related_name="anggota")
    rumah_tangga = models.ForeignKey(RumahTangga, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="anggota")
    hubungan_rumah_tangga = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "individu"
        verbose_name_plural = "individu"
        indexes = [models.Index(fields=["desa", "status_dasar"], name="individu_desa_status_idx"),
                   models.Index(fields=["nama", "tanggal_lahir"], name="individu_nama_lahir_idx")]
        constraints = [
            # One living head per family card (codes.md §6 rule 1); enforced by the database too.
            models.UniqueConstraint(
                fields=["keluarga"],
                condition=models.Q(hubungan_keluarga=KEPALA_KELUARGA, status_dasar=HIDUP),
                name="satu_kepala_keluarga_hidup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nama} ({self.nik[:6]}…)"


class Peristiwa(models.Model):
    """A life event: birth, death, move out, disappearance, move in, departure (codes.md §7)."""

    LAHIR, MATI, PINDAH_KELUAR, HILANG, PINDAH_MASUK, PERGI, PINDAH_KK = 1, 2, 3, 4, 5, 6, 7
    JENIS_CHOICES = [(LAHIR, "Lahir"), (MATI, "Mati"), (PINDAH_KELUAR, "Pindah Keluar"), (HILANG, "Hilang"),
                     (PINDAH_MASUK, "Pindah Masuk (datang)"), (PERGI, "Pergi"),
                     # moving to another family card in the desa; data holds dari_no_kk / ke_no_kk
                     (PINDAH_KK, "Pindah KK")]
    individu = models.ForeignKey(Individu, on_delete=models.PROTECT, related_name="peristiwa")
    jenis = models.PositiveSmallIntegerField(choices=JENIS_CHOICES)
    tanggal = models.DateField()
    keterangan = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    dicatat_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "peristiwa"
        verbose_name_plural = "peristiwa"
        ordering = ["tanggal", "id"]

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.tanggal} #{self.individu_id}"


class DataDesa(TimestampedModel):
    """Desa-level dictionary variables (facilities, potential, hazards) for one period."""

    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="data_desa")
    periode = models.CharField(max_length=20)
    atribut = models.JSONField(default=dict, blank=True)
    sintetis = models.BooleanField(default=False)

    class Meta:
        verbose_name = "data desa"
        verbose_name_plural = "data desa"
        constraints = [models.UniqueConstraint(fields=["desa", "periode"], name="data_desa_unik")]


class AsetDesa(TimestampedModel):
    """A village asset (land, building, road, vehicle…) with its location and condition."""

    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="aset")
    banjar = models.ForeignKey(Wilayah, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    jenis = models.PositiveSmallIntegerField(help_text="Klasifikasi jenis_aset_desa")
    nama = models.CharField(max_length=200)
    kondisi = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Klasifikasi kondisi_bangunan")
    tahun_perolehan = models.PositiveSmallIntegerField(null=True, blank=True)
    nilai_rupiah = models.BigIntegerField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    aktif = models.BooleanField(default=True)
    sintetis = models.BooleanField(default=False)

    class Meta:
        verbose_name = "aset desa"
        verbose_name_plural = "aset desa"

    def __str__(self) -> str:
        return self.nama
