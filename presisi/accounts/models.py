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


# Roles whose accounts reach a whole regency's data: signing in needs a second factor (TOTP).
# The desa and kecamatan roles may turn it on from their account page ("Akun saya").
PERAN_WAJIB_2FA = frozenset({WALIDATA, ANALIS, ADMIN})


class SesiPengguna(models.Model):
    """One signed-in browser session of a user, for the "Sesi saya" page.

    Linked to Django's own session row: when that row goes (logout, ``clearsessions`` after expiry,
    ending the session from the page), this one goes with it, so the list never shows a dead session.
    """

    sesi = models.OneToOneField("sessions.Session", on_delete=models.CASCADE, primary_key=True, related_name="+")
    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sesi_presisi")
    dibuat = models.DateTimeField()
    terakhir_dilihat = models.DateTimeField()
    ip = models.CharField(max_length=45, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "sesi pengguna"
        verbose_name_plural = "sesi pengguna"
        indexes = [models.Index(fields=["pengguna", "-terakhir_dilihat"], name="sesi_pengguna_terakhir")]

    def __str__(self) -> str:
        return f"{self.pengguna} {self.ip} {self.terakhir_dilihat:%Y-%m-%d %H:%M}"
