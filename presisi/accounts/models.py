"""Roles and region scope. Every user works inside one region (and a walidata inside sectors)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.dictionary.models import Sektor
from presisi.regions.models import Wilayah

OPERATOR_DESA = "operator_desa"
VERIFIKATOR_KECAMATAN = "verifikator_kecamatan"
WALIDATA = "walidata"
ANALIS = "analis"
ADMIN = "admin"
PERAN_CHOICES = [
    (OPERATOR_DESA, "Operator desa/kelurahan"),
    (VERIFIKATOR_KECAMATAN, "Verifikator kecamatan"),
    (WALIDATA, "Walidata perangkat daerah"),
    (ANALIS, "Analis Bappeda/BRIDA"),
    (ADMIN, "Admin Diskominfo"),
]
# Roles that may see NIK-level (personal) data inside their scope (UU PDP: need to know).
PERAN_DATA_PRIBADI = {OPERATOR_DESA, VERIFIKATOR_KECAMATAN, WALIDATA, ADMIN}
# A walidata stewards sectors (Perpres 39/2019); only the sector that owns the population registry
# (Kependudukan dan Pencatatan Sipil) needs person-level data. Other sectors see aggregates only.
SEKTOR_DATA_PRIBADI = frozenset({"dukcapil"})


class Profil(models.Model):
    pengguna = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil")
    peran = models.CharField(max_length=30, choices=PERAN_CHOICES)
    wilayah = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+",
                                help_text="Cakupan wilayah: desa untuk operator, kecamatan untuk verifikator, "
                                          "kabupaten untuk peran kabupaten.")
    sektor = models.ManyToManyField(Sektor, blank=True, help_text="Sektor yang diampu walidata.")

    class Meta:
        verbose_name = "profil pengguna"
        verbose_name_plural = "profil pengguna"

    def __str__(self) -> str:
        return f"{self.pengguna} — {self.get_peran_display()} {self.wilayah.nama}"
