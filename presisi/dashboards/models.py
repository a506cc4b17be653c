"""Thematic dashboards: a named, ordered set of indicators chosen by an analyst (configuration, not code)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from presisi.core.models import TimestampedModel
from presisi.indicators.models import Indikator


class Dasbor(TimestampedModel):
    kode = models.SlugField(_("kode"), max_length=60, unique=True)
    nama = models.CharField(_("nama"), max_length=200)
    deskripsi = models.TextField(_("deskripsi"), blank=True)
    # {"en": {"nama": .., "deskripsi": ..}}: English beside Indonesian, read through presisi.core.i18n.teks
    terjemahan = models.JSONField(_("terjemahan"), default=dict, blank=True)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    aktif = models.BooleanField(_("aktif"), default=True)
    # Extra behaviour switched on by configuration, e.g. the islands-vs-mainland comparison:
    # {"kepulauan": {"kecamatan": "51.05.01", "variabel": "desa_kepulauan"}}
    opsi = models.JSONField(_("opsi"), default=dict, blank=True)
    standar = models.BooleanField(_("standar"), default=False, help_text=_("Dimuat dari dasbor.yaml."))
    disesuaikan = models.BooleanField(
        _("disesuaikan"), default=False,
        help_text=_("Diubah analis: `presisi dasbor load` tidak menimpanya (kecuali --reset)."))

    class Meta:
        verbose_name = _("dasbor")
        verbose_name_plural = _("dasbor")
        ordering = ["urutan", "kode"]

    def __str__(self) -> str:
        return self.nama


class DasborIndikator(models.Model):
    dasbor = models.ForeignKey(Dasbor, on_delete=models.CASCADE, related_name="butir")
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="+")
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)
    utama = models.BooleanField(_("utama"), default=False, help_text=_("Ditampilkan sebagai angka utama."))

    class Meta:
        verbose_name = _("indikator dasbor")
        verbose_name_plural = _("indikator dasbor")
        ordering = ["dasbor", "urutan", "id"]
        constraints = [models.UniqueConstraint(fields=["dasbor", "indikator"], name="dasbor_indikator_unik")]

    def __str__(self) -> str:
        return f"{self.dasbor.kode}: {self.indikator.kode}"
