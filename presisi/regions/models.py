"""The Kemendagri region hierarchy: provinsi → kabupaten/kota → kecamatan → desa/kelurahan → banjar."""

from __future__ import annotations

from django.db import models

from presisi.regions.codes import BANJAR, DESA, KECAMATAN, KELURAHAN, TINGKAT_CHOICES


class WilayahQuerySet(models.QuerySet):
    def within(self, kode: str) -> WilayahQuerySet:
        """The region ``kode`` and everything below it (codes are hierarchical prefixes)."""
        return self.filter(models.Q(kode=kode) | models.Q(kode__startswith=kode + "."))

    def desa_kelurahan(self) -> WilayahQuerySet:
        return self.filter(tingkat__in=[DESA, KELURAHAN])

    def kecamatan(self) -> WilayahQuerySet:
        return self.filter(tingkat=KECAMATAN)

    def banjar(self) -> WilayahQuerySet:
        return self.filter(tingkat=BANJAR)


class Wilayah(models.Model):
    kode = models.CharField("kode Kemendagri", max_length=20, unique=True)
    nama = models.CharField(max_length=120)
    tingkat = models.CharField(max_length=12, choices=TINGKAT_CHOICES, db_index=True)
    kedalaman = models.PositiveSmallIntegerField(db_index=True)
    induk = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak")
    kode_bps = models.CharField("kode BPS", max_length=20, blank=True, db_index=True)
    kode_pos = models.CharField(max_length=5, blank=True)
    # Label point (inside the polygon when boundaries are loaded); maps fall back to it.
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    luas_km2 = models.FloatField(null=True, blank=True)
    # GeoJSON geometry (MultiPolygon, WGS84). Kept as JSON so both engines store it
    # without PostGIS/SpatiaLite; shapely does the geometry work.
    geometri = models.JSONField(null=True, blank=True)
    sintetis = models.BooleanField(default=False, help_text="Dibuat oleh generator data sintetis.")

    objects = WilayahQuerySet.as_manager()

    class Meta:
        verbose_name = "wilayah"
        verbose_name_plural = "wilayah"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.get_tingkat_display()} {self.nama}"

    @property
    def nama_lengkap(self) -> str:
        return f"{self.get_tingkat_display()} {self.nama}"

    def leluhur(self) -> list[Wilayah]:
        """Ancestors from the top down, found by code prefix (one query)."""
        parts = self.kode.split(".")
        codes = [".".join(parts[: i + 1]) for i in range(len(parts) - 1)]
        by_code = {w.kode: w for w in Wilayah.objects.filter(kode__in=codes).defer("geometri")}
        return [by_code[c] for c in codes if c in by_code]


class KodeBPS(models.Model):
    """Crosswalk between Kemendagri and BPS codes, with a validity period (codes.md §2)."""

    wilayah = models.ForeignKey(Wilayah, on_delete=models.CASCADE, related_name="kode_bps_riwayat")
    kode_bps = models.CharField(max_length=20, db_index=True)
    berlaku_dari = models.DateField(null=True, blank=True)
    berlaku_sampai = models.DateField(null=True, blank=True)
    sumber = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "padanan kode BPS"
        verbose_name_plural = "padanan kode BPS"
        constraints = [
            models.UniqueConstraint(fields=["wilayah", "kode_bps", "berlaku_dari"], name="kodebps_unik")
        ]

    def __str__(self) -> str:
        return f"{self.wilayah_id} → {self.kode_bps}"


# --- the customary (adat) hierarchy of Bali ---------------------------------------------------------------
# Desa adat (Perda Bali 4/2019) and their banjar adat run alongside the administrative desa/banjar dinas and
# do not nest in them: one desa dinas may hold several desa adat and one desa adat may span several desa
# dinas. There is no Kemendagri code; Presisi's own stable scheme (regions/codes.py ``kode_desa_adat``):
# desa adat = kabupaten code + ".A" + 3-digit serial (51.05.A001), banjar adat = desa adat code + "." +
# 2–3 digit serial (51.05.A001.01). Synthetic desa adat use ".AS" (51.05.AS001) so they never take a code
# a real list could use.

DESA_ADAT, BANJAR_ADAT = "desa_adat", "banjar_adat"
TINGKAT_ADAT_CHOICES = [(DESA_ADAT, "Desa Adat"), (BANJAR_ADAT, "Banjar Adat")]


class WilayahAdat(models.Model):
    kode = models.CharField(max_length=24, unique=True)
    nama = models.CharField(max_length=120)
    tingkat = models.CharField(max_length=12, choices=TINGKAT_ADAT_CHOICES, db_index=True)
    induk = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak")
    # Only desa adat are mapped; a banjar adat lies where its desa adat lies.
    desa_dinas = models.ManyToManyField(Wilayah, through="DesaAdatDesaDinas", related_name="desa_adat", blank=True)
    sintetis = models.BooleanField(default=False, help_text="Dibuat oleh generator data sintetis.")
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "wilayah adat"
        verbose_name_plural = "wilayah adat"
        ordering = ["kode"]

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class DesaAdatDesaDinas(models.Model):
    """One desa adat lies (partly) in one desa dinas/kelurahan: many-to-many both ways."""

    desa_adat = models.ForeignKey(WilayahAdat, on_delete=models.CASCADE, related_name="pemetaan")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="pemetaan_adat")

    class Meta:
        verbose_name = "pemetaan desa adat ke desa dinas"
        verbose_name_plural = "pemetaan desa adat ke desa dinas"
        constraints = [models.UniqueConstraint(fields=["desa_adat", "desa"], name="desa_adat_desa_dinas_unik")]

    def __str__(self) -> str:
        return f"{self.desa_adat_id} ↔ {self.desa_id}"
