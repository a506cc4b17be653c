"""Sector integration models.

An agency (OPD) dataset (``DatasetSektor``) is described with Satu Data metadata and a
column mapping; data reaches it through a connector (``Konektor``: file upload, scheduled
pull, push) as versioned deliveries (``Pengiriman``) of source rows (``BarisSumber``).
Microdata rows are linked to registry people (``KandidatTautan`` keeps every candidate
pair with its per-field match weights; the outcome is on the row). People's decisions in
the review queue (``KeputusanTautan``) are keyed on the source record's identity, not on
the delivery, so the next delivery reuses them and a rerun never undoes them. Presisi,
not the linkage engine, owns person ids (``registry.Individu``) and the link history.
``Selisih`` is one item of "where the sources disagree"; ``Program`` and
``AturanKelayakan`` measure targeting; ``LapisanSpasial``/``FiturSpasial`` are agency
map layers (hazard zones, networks, protected areas).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.dictionary.models import UNIT_CHOICES, Sektor
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu

MIKRO, AGREGAT = "mikro", "agregat"
JENIS_DATASET_CHOICES = [
    (MIKRO, "Data mikro (satu baris per unit)"),
    (AGREGAT, "Agregat (satu nilai per desa × periode)"),
]

JADWAL_CHOICES = [
    ("bulanan", "Bulanan"),
    ("triwulanan", "Triwulanan"),
    ("semesteran", "Semesteran"),
    ("tahunan", "Tahunan"),
    ("tidak_tetap", "Tidak tetap"),
]

# Link outcome of one source row.
BELUM, TERTAUT, TINJAU, TANPA_PASANGAN = "belum", "tertaut", "tinjau", "tanpa_pasangan"
STATUS_TAUTAN_CHOICES = [
    (BELUM, "Belum ditautkan"),
    (TERTAUT, "Tertaut"),
    (TINJAU, "Perlu ditinjau"),
    (TANPA_PASANGAN, "Tanpa pasangan"),
]
# How a row came to its outcome.
METODE_NIK, METODE_PROBABILISTIK, METODE_KEPUTUSAN = "nik", "probabilistik", "keputusan"
METODE_CHOICES = [
    (METODE_NIK, "NIK sama"),
    (METODE_PROBABILISTIK, "Probabilistik"),
    (METODE_KEPUTUSAN, "Keputusan peninjau"),
]

TERIMA, TOLAK = "terima", "tolak"
KEPUTUSAN_CHOICES = [(TERIMA, "Diterima (orang yang sama)"), (TOLAK, "Ditolak (orang berbeda)")]


class DatasetSektor(models.Model):
    """An agency dataset in the catalogue (MS-Keg/MS-Var metadata + column mapping)."""

    kode = models.SlugField(max_length=60, unique=True)
    nama = models.CharField(max_length=200)
    sektor = models.ForeignKey(Sektor, on_delete=models.PROTECT, related_name="dataset")
    produsen = models.CharField("perangkat daerah produsen", max_length=200, blank=True)
    walidata = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", help_text="Walidata OPD yang bertanggung jawab.")
    unit = models.CharField("unit observasi", max_length=20, choices=UNIT_CHOICES)
    jenis = models.CharField(max_length=10, choices=JENIS_DATASET_CHOICES, default=MIKRO)
    jadwal = models.CharField("jadwal pemutakhiran", max_length=20, choices=JADWAL_CHOICES, default="tahunan")
    deskripsi = models.TextField(blank=True)
    # MS-Keg fields (judul kegiatan, tahun, cara pengumpulan, cakupan, …) and classification
    # versions used ({"klasifikasi": {"pendidikan": "2024"}}).
    metadata = models.JSONField(default=dict, blank=True)
    # {"kolom sumber": "field"}: fields are the person-list fields (nik, no_kk, nama, …) or
    # dictionary variable codes. Empty: the common person-list shape is read as it is.
    pemetaan_kolom = models.JSONField(default=dict, blank=True)
    # Program whose recipients this dataset lists (pkh, bpnt, pbi_jk, blt_dd, rtlh), if any.
    program = models.CharField(max_length=30, blank=True, db_index=True)
    aktif = models.BooleanField(default=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dataset sektoral"
        verbose_name_plural = "dataset sektoral"
        ordering = ["sektor__kode", "kode"]

    def __str__(self) -> str:
        return f"{self.kode} — {self.nama}"


class Konektor(models.Model):
    """One way in for a dataset: file upload, a scheduled pull from a REST endpoint, or push."""

    BERKAS, TARIK, DORONG = "berkas", "tarik", "dorong"
    JENIS_CHOICES = [(BERKAS, "Unggah berkas"), (TARIK, "Tarik terjadwal (REST)"), (DORONG, "Dorong lewat API")]

    dataset = models.ForeignKey(DatasetSektor, on_delete=models.CASCADE, related_name="konektor")
    nama = models.CharField(max_length=200, blank=True)
    jenis = models.CharField(max_length=10, choices=JENIS_CHOICES)
    url = models.URLField(max_length=500, blank=True)
    format = models.CharField(max_length=10, choices=[("json", "JSON"), ("csv", "CSV")], default="json")
    # Credentials (token, user:password, headers) encrypted at rest; never shown back.
    kredensial_terenkripsi = models.TextField(blank=True)
    interval_jam = models.PositiveIntegerField(default=24)
    aktif = models.BooleanField(default=True)
    terakhir_jalan = models.DateTimeField(null=True, blank=True)
    terakhir_status = models.CharField(max_length=300, blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "konektor"
        verbose_name_plural = "konektor"
        ordering = ["dataset", "id"]

    def __str__(self) -> str:
        return self.nama or f"{self.get_jenis_display()} — {self.dataset.kode}"


class Pengiriman(models.Model):
    """One versioned delivery of a dataset for a period (who, when, how, content hash)."""

    UNGGAH, TARIK, DORONG, CLI = "unggah", "tarik", "dorong", "cli"
    SUMBER_CHOICES = [(UNGGAH, "Unggah web"), (TARIK, "Tarik terjadwal"), (DORONG, "Dorong API"), (CLI, "CLI")]
    DITERIMA, DITOLAK = "diterima", "ditolak"
    STATUS_CHOICES = [(DITERIMA, "Diterima"), (DITOLAK, "Ditolak")]

    dataset = models.ForeignKey(DatasetSektor, on_delete=models.PROTECT, related_name="pengiriman")
    periode = models.ForeignKey(Periode, on_delete=models.PROTECT, related_name="+")
    versi = models.PositiveIntegerField()
    sumber = models.CharField(max_length=10, choices=SUMBER_CHOICES)
    konektor = models.ForeignKey(Konektor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    nama_berkas = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    jumlah_baris = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=DITERIMA)
    # Counts per outcome, findings summary, linkage run figures (seconds, engine version).
    ringkasan = models.JSONField(default=dict, blank=True)
    dikirim_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    dikirim_pada = models.DateTimeField(auto_now_add=True)
    ditautkan_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pengiriman data"
        verbose_name_plural = "pengiriman data"
        ordering = ["dataset", "periode", "-versi"]
        constraints = [models.UniqueConstraint(fields=["dataset", "periode", "versi"], name="pengiriman_versi_unik")]

    def __str__(self) -> str:
        return f"{self.dataset.kode} {self.periode.kode} v{self.versi}"


class BarisSumber(models.Model):
    """One row of a delivery, normalised; its link outcome to the registry."""

    pengiriman = models.ForeignKey(Pengiriman, on_delete=models.CASCADE, related_name="baris")
    # 1-based position among the data rows of the delivered file.
    baris = models.PositiveIntegerField()
    kode_desa = models.CharField(max_length=20, blank=True, db_index=True)  # as delivered
    desa = models.ForeignKey(Wilayah, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nik = models.CharField(max_length=16, blank=True, db_index=True)
    no_kk = models.CharField(max_length=16, blank=True)
    nama = models.CharField(max_length=150, blank=True)
    jenis_kelamin = models.PositiveSmallIntegerField(null=True, blank=True)
    tanggal_lahir = models.DateField(null=True, blank=True)
    nama_ayah = models.CharField(max_length=150, blank=True)
    nama_ibu = models.CharField(max_length=150, blank=True)
    alamat = models.CharField(max_length=300, blank=True)
    # Stable identity of the source record across deliveries (hash of its normalised
    # identifying fields): decisions are remembered under it.
    kunci = models.CharField(max_length=64, db_index=True)
    # Other mapped values ({variable code: value}); for aggregate datasets the desa's values.
    data = models.JSONField(default=dict, blank=True)
    status_tautan = models.CharField(max_length=15, choices=STATUS_TAUTAN_CHOICES, default=BELUM, db_index=True)
    metode = models.CharField(max_length=15, choices=METODE_CHOICES, blank=True)
    individu = models.ForeignKey(Individu, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text="Orang registri yang tertaut, atau kandidat terbaik bila perlu ditinjau.")
    skor = models.FloatField(null=True, blank=True, help_text="Peluang cocok (0–1) kandidat terbaik.")

    class Meta:
        verbose_name = "baris sumber"
        verbose_name_plural = "baris sumber"
        ordering = ["pengiriman", "baris"]
        constraints = [models.UniqueConstraint(fields=["pengiriman", "baris"], name="baris_sumber_unik")]
        indexes = [models.Index(fields=["pengiriman", "status_tautan"], name="baris_kirim_status_idx")]

    def __str__(self) -> str:
        return f"baris {self.baris} ({self.get_status_tautan_display()})"


class KandidatTautan(models.Model):
    """One candidate pair (source row × registry person) with its explanation."""

    baris = models.ForeignKey(BarisSumber, on_delete=models.CASCADE, related_name="kandidat")
    individu = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="+")
    probabilitas = models.FloatField()
    bobot_total = models.FloatField(help_text="Bobot kecocokan total (log2 Bayes factor, termasuk prior).")
    # [{"kolom": "nama_inti", "tingkat": "Jaro-Winkler ≥ 0.92", "bobot": 6.1}, …] in waterfall order.
    bobot = models.JSONField(default=list)
    peringkat = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = "kandidat tautan"
        verbose_name_plural = "kandidat tautan"
        ordering = ["baris", "peringkat"]
        constraints = [models.UniqueConstraint(fields=["baris", "individu"], name="kandidat_tautan_unik")]

    def __str__(self) -> str:
        return f"kandidat {self.peringkat} baris {self.baris_id} (p={self.probabilitas:.3f})"


class KeputusanTautan(models.Model):
    """A reviewer's decision on (source record identity × person), reused by every later run."""

    dataset = models.ForeignKey(DatasetSektor, on_delete=models.CASCADE, related_name="keputusan")
    kunci = models.CharField(max_length=64)
    individu = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="+")
    keputusan = models.CharField(max_length=10, choices=KEPUTUSAN_CHOICES)
    alasan = models.CharField(max_length=300, blank=True)
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                        related_name="+")
    diputuskan_pada = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "keputusan tautan"
        verbose_name_plural = "keputusan tautan"
        constraints = [models.UniqueConstraint(fields=["dataset", "kunci", "individu"],
                                               name="keputusan_tautan_unik")]
        indexes = [models.Index(fields=["dataset", "kunci"], name="keputusan_dataset_kunci_idx")]

    def __str__(self) -> str:
        return f"{self.get_keputusan_display()} {self.kunci[:8]}…"


class PasanganGanda(models.Model):
    """A probable duplicate inside the registry (same person twice, temporary and real NIK)."""

    TERBUKA, BUKAN_GANDA, DIGABUNG = "terbuka", "bukan_ganda", "digabung"
    STATUS_CHOICES = [(TERBUKA, "Perlu ditinjau"), (BUKAN_GANDA, "Bukan orang yang sama"), (DIGABUNG, "Digabung")]

    individu_a = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="+")
    individu_b = models.ForeignKey(Individu, on_delete=models.CASCADE, related_name="+")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+",
                             help_text="Desa record A (cakupan peninjau).")
    probabilitas = models.FloatField()
    bobot_total = models.FloatField()
    bobot = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=STATUS_CHOICES, default=TERBUKA, db_index=True)
    # After a merge: the record kept (the other becomes status_dasar TIDAK_VALID with a pointer).
    dipertahankan = models.ForeignKey(Individu, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    diputuskan_pada = models.DateTimeField(null=True, blank=True)
    ditemukan_pada = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pasangan ganda"
        verbose_name_plural = "pasangan ganda"
        constraints = [models.UniqueConstraint(fields=["individu_a", "individu_b"], name="pasangan_ganda_unik"),
                       models.CheckConstraint(condition=models.Q(individu_a__lt=models.F("individu_b")),
                                              name="pasangan_ganda_urut")]

    def __str__(self) -> str:
        return f"ganda {self.individu_a_id}/{self.individu_b_id} ({self.get_status_display()})"


class Selisih(models.Model):
    """One item of "where the sources disagree", saying who must act."""

    TANPA_REGISTRI = "tanpa_registri"  # source row with no registry person
    MENINGGAL = "meninggal"  # listed by the agency, dead in the registry
    PINDAH = "pindah"  # listed by the agency, moved away in the registry
    ATRIBUT = "atribut"  # attribute conflict (both values kept)
    GANDA_SUMBER = "ganda_sumber"  # the same person twice in one delivery
    AGREGAT = "agregat"  # aggregate value differs from the registry's count beyond tolerance
    KATEGORI_CHOICES = [
        (TANPA_REGISTRI, "Tidak ada di registri"),
        (MENINGGAL, "Meninggal menurut registri"),
        (PINDAH, "Pindah/pergi menurut registri"),
        (ATRIBUT, "Nilai berbeda"),
        (GANDA_SUMBER, "Tercatat ganda di sumber"),
        (AGREGAT, "Agregat berbeda dari registri"),
    ]
    OPD, DESA = "opd", "desa"
    PIHAK_CHOICES = [(OPD, "Perangkat daerah (OPD)"), (DESA, "Operator desa")]

    pengiriman = models.ForeignKey(Pengiriman, on_delete=models.CASCADE, related_name="selisih")
    baris = models.ForeignKey(BarisSumber, null=True, blank=True, on_delete=models.CASCADE, related_name="selisih")
    desa = models.ForeignKey(Wilayah, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    individu = models.ForeignKey(Individu, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kategori = models.CharField(max_length=20, choices=KATEGORI_CHOICES, db_index=True)
    variabel = models.CharField(max_length=60, blank=True)
    nilai_sumber = models.CharField(max_length=300, blank=True)
    nilai_registri = models.CharField(max_length=300, blank=True)
    pihak = models.CharField("yang harus bertindak", max_length=10, choices=PIHAK_CHOICES)
    keterangan = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "selisih sumber"
        verbose_name_plural = "selisih sumber"
        ordering = ["pengiriman", "kategori", "id"]
        indexes = [models.Index(fields=["pengiriman", "desa"], name="selisih_kirim_desa_idx")]

    def __str__(self) -> str:
        return f"{self.get_kategori_display()} {self.variabel}".strip()


class Program(models.Model):
    """A social program whose targeting is measured (PKH, BPNT, PBI-JK, BLT-DD, RTLH)."""

    kode = models.SlugField(max_length=30, unique=True)
    nama = models.CharField(max_length=200)
    unit = models.CharField("unit sasaran", max_length=20, choices=UNIT_CHOICES)
    keterangan = models.TextField(blank=True)

    class Meta:
        verbose_name = "program"
        verbose_name_plural = "program"
        ordering = ["kode"]

    def __str__(self) -> str:
        return self.nama


class AturanKelayakan(models.Model):
    """A dated eligibility rule (indicator expression over the program's unit)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="aturan")
    ekspresi = models.TextField(help_text="Ekspresi indikator, mis. desil_dtsen <= 4.")
    berlaku_mulai = models.DateField()
    catatan = models.TextField(blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "aturan kelayakan"
        verbose_name_plural = "aturan kelayakan"
        ordering = ["program", "-berlaku_mulai", "-id"]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.ekspresi} (mulai {self.berlaku_mulai})"


class LapisanSpasial(models.Model):
    """An agency map layer: hazard zones, road/water networks, protected areas."""

    BAHAYA, JALAN, AIR, KAWASAN_LINDUNG, LAINNYA = "bahaya", "jalan", "air", "kawasan_lindung", "lainnya"
    JENIS_CHOICES = [
        (BAHAYA, "Zona bahaya bencana"),
        (JALAN, "Jaringan jalan"),
        (AIR, "Jaringan air"),
        (KAWASAN_LINDUNG, "Kawasan lindung"),
        (LAINNYA, "Lainnya"),
    ]

    kode = models.SlugField(max_length=60, unique=True)
    nama = models.CharField(max_length=200)
    jenis = models.CharField(max_length=20, choices=JENIS_CHOICES)
    # For hazard layers: tsunami, banjir, longsor, abrasi, gunung_api (InaRISK-style).
    bahaya = models.CharField(max_length=30, blank=True)
    sektor = models.ForeignKey(Sektor, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    produsen = models.CharField(max_length=200, blank=True)
    sumber = models.CharField(max_length=300, blank=True)
    versi = models.PositiveIntegerField(default=1)
    sha256 = models.CharField(max_length=64, blank=True)
    nama_berkas = models.CharField(max_length=255, blank=True)
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    diunggah_pada = models.DateTimeField(auto_now=True)
    ringkasan = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = "lapisan spasial"
        verbose_name_plural = "lapisan spasial"
        ordering = ["jenis", "kode"]

    def __str__(self) -> str:
        return self.nama


class FiturSpasial(models.Model):
    """One feature of a layer: GeoJSON geometry (WGS84), class and attributes, bbox for prefilter."""

    RENDAH, SEDANG, TINGGI = "rendah", "sedang", "tinggi"
    KELAS_CHOICES = [(RENDAH, "Rendah"), (SEDANG, "Sedang"), (TINGGI, "Tinggi")]

    lapisan = models.ForeignKey(LapisanSpasial, on_delete=models.CASCADE, related_name="fitur")
    urutan = models.PositiveIntegerField()
    geometri = models.JSONField()
    kelas = models.CharField(max_length=10, choices=KELAS_CHOICES, blank=True)
    atribut = models.JSONField(default=dict, blank=True)
    min_x = models.FloatField()
    min_y = models.FloatField()
    max_x = models.FloatField()
    max_y = models.FloatField()

    class Meta:
        verbose_name = "fitur spasial"
        verbose_name_plural = "fitur spasial"
        ordering = ["lapisan", "urutan"]

    def __str__(self) -> str:
        return f"fitur {self.urutan} ({self.kelas or '-'})"
