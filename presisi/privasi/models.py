"""UU PDP (UU 27/2022) duties as records: data-subject correction requests and breach incidents.

Both carry a 3×24-hour deadline counted from when the controller learnt of them: a correction must
be answered within 3×24 hours of the request (Ps. 30 ayat 2), a breach notified in writing to the
data subjects and the authority within 3×24 hours of discovery (Ps. 46 ayat 1). The deadline is
stored, not recomputed, so a later change of the rule does not move old deadlines.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from presisi.core.models import AuditLog, TimestampedModel
from presisi.regions.models import Wilayah
from presisi.registry.models import Individu

TENGGAT_PDP = dt.timedelta(hours=72)  # "3 x 24 jam" in Ps. 30, 32 and 46 UU PDP


class PermintaanPerbaikan(TimestampedModel):
    """A data subject's request to correct their data (hak perbaikan, Ps. 6 and 30 UU PDP).

    Recorded by the operator or verifier who received it; resolved by a registry correction made
    through the registry services (``koreksi`` links to its audit row) or refused with a reason.
    """

    DIAJUKAN, DIPROSES, SELESAI, DITOLAK = "diajukan", "diproses", "selesai", "ditolak"
    STATUS_CHOICES = [(DIAJUKAN, _("Diajukan")), (DIPROSES, _("Diproses")), (SELESAI, _("Selesai")),
                      (DITOLAK, _("Ditolak"))]
    TERBUKA = (DIAJUKAN, DIPROSES)
    DATANG, TELEPON, SURAT, SUREL, DARING, LAINNYA = "datang", "telepon", "surat", "surel", "daring", "lainnya"
    KANAL_CHOICES = [(DATANG, _("Datang langsung")), (TELEPON, _("Telepon")), (SURAT, _("Surat")),
                     (SUREL, _("Surel")), (DARING, _("Layanan daring")), (LAINNYA, _("Lainnya"))]

    individu = models.ForeignKey(Individu, on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+",
                             help_text="Desa penduduk saat permintaan dicatat (cakupan).")
    pemohon = models.CharField(max_length=150, help_text="Siapa yang meminta: subjek data sendiri atau kuasanya.")
    kanal = models.CharField(max_length=10, choices=KANAL_CHOICES)
    kolom = models.CharField(max_length=60, help_text="Kode variabel kamus yang keliru (mis. tanggal_lahir).")
    nilai_tercatat = models.CharField(max_length=300, blank=True, help_text="Nilai di registri saat dicatat.")
    nilai_usulan = models.CharField(max_length=300, blank=True)
    uraian = models.TextField(help_text="Apa yang keliru, menurut pemohon.")
    bukti = models.TextField(blank=True, help_text="Catatan bukti yang ditunjukkan (mis. akta kelahiran).")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=DIAJUKAN, db_index=True)
    diterima_pada = models.DateTimeField(help_text="Kapan permintaan diterima; tenggat dihitung dari sini.")
    tenggat = models.DateTimeField()
    alasan = models.TextField(blank=True, help_text="Alasan penolakan atau catatan penyelesaian.")
    koreksi = models.ForeignKey(AuditLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="Entri audit koreksi registri yang menyelesaikan permintaan.")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    diputus_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    diputus_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "permintaan perbaikan data"
        verbose_name_plural = "permintaan perbaikan data"
        ordering = ["-diterima_pada", "-id"]
        indexes = [models.Index(fields=["desa", "status"], name="perbaikan_desa_status_idx")]

    def __str__(self) -> str:
        return f"Perbaikan #{self.pk} {self.kolom} ({self.status})"

    @property
    def terbuka(self) -> bool:
        return self.status in self.TERBUKA


class InsidenPelanggaran(TimestampedModel):
    """A personal-data breach (kegagalan pelindungan data pribadi) and its Ps. 46 checklist.

    Each checklist step is a timestamp: empty = not done yet. Notifying the data subjects and the
    authority (lembaga) in writing is due 3×24 hours after ``ditemukan_pada``.
    """

    judul = models.CharField(max_length=200)
    ditemukan_pada = models.DateTimeField(help_text="Kapan kegagalan pelindungan diketahui.")
    tenggat = models.DateTimeField()
    uraian = models.TextField(help_text="Apa yang terjadi, kapan dan bagaimana data terungkap (Ps. 46 ayat 2).")
    kategori_data = models.JSONField(default=list, blank=True, help_text="Kategori data pribadi yang terungkap.")
    jumlah_subjek = models.PositiveIntegerField(default=0, help_text="Perkiraan jumlah subjek data terdampak.")
    penanganan = models.TextField(blank=True, help_text="Langkah penahanan dan pemulihan.")
    dikendalikan_pada = models.DateTimeField(null=True, blank=True, help_text="Kebocoran dihentikan/ditahan.")
    subjek_diberitahu_pada = models.DateTimeField(null=True, blank=True)
    lembaga_diberitahu_pada = models.DateTimeField(null=True, blank=True)
    publik_diumumkan_pada = models.DateTimeField(null=True, blank=True,
                                                 help_text="Bila mengganggu layanan publik (Ps. 46 ayat 3).")
    ditutup_pada = models.DateTimeField(null=True, blank=True)
    catatan_pemberitahuan = models.TextField(blank=True, help_text="Nomor surat, penerima, cara pengiriman.")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = "insiden pelindungan data pribadi"
        verbose_name_plural = "insiden pelindungan data pribadi"
        ordering = ["-ditemukan_pada", "-id"]

    def __str__(self) -> str:
        return f"Insiden #{self.pk} {self.judul}"
