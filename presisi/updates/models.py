"""The per-desa submissions of an update period (pemutakhiran berkala), approved tier by tier.

A ``Periode`` (``presisi.periods``) is opened by the regency data steward; opening it creates
one ``Pengajuan`` per desa/kelurahan. Each submission walks desa → kecamatan → kabupaten (see ``workflow.py``
for the table of allowed transitions) and every step leaves a ``RiwayatPengajuan`` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from presisi.periods.models import KunciDesa, Periode
from presisi.regions.models import Wilayah

# Submission states (MADIUN-like names; DHIS2-like meaning: approved data is locked).
DRAF = "draf"
DIAJUKAN = "diajukan"
DIVERIFIKASI = "diverifikasi"
DISETUJUI = "disetujui"
DIPUBLIKASIKAN = "dipublikasikan"
DIKEMBALIKAN = "dikembalikan"
STATUS_PENGAJUAN = [
    (DRAF, "Draf"),
    (DIKEMBALIKAN, "Dikembalikan untuk perbaikan"),
    (DIAJUKAN, "Diajukan desa"),
    (DIVERIFIKASI, "Diverifikasi kecamatan"),
    (DISETUJUI, "Disetujui kabupaten"),
    (DIPUBLIKASIKAN, "Dipublikasikan"),
]
LABEL_STATUS = dict(STATUS_PENGAJUAN)
# Approved data is frozen (approval-level states: snapshot frozen, un-approval needs a reason).
STATUS_TERKUNCI = frozenset({DISETUJUI, DIPUBLIKASIKAN})
# States in which the desa edits its data.
STATUS_EDIT = frozenset({DRAF, DIKEMBALIKAN})
# The lock each state puts on the desa's registry data (``presisi.periods.locking``): read-only
# from submission until returned, and frozen once approved.
TINGKAT_KUNCI = {
    DRAF: KunciDesa.TERBUKA,
    DIKEMBALIKAN: KunciDesa.TERBUKA,
    DIAJUKAN: KunciDesa.DIPERIKSA,
    DIVERIFIKASI: KunciDesa.DIPERIKSA,
    DISETUJUI: KunciDesa.FINAL,
    DIPUBLIKASIKAN: KunciDesa.FINAL,
}


class Pengajuan(models.Model):
    """One desa's submission of its data for one period (DHIS2: approval per org unit × period)."""

    periode = models.ForeignKey(Periode, on_delete=models.CASCADE, related_name="pengajuan")
    desa = models.ForeignKey(Wilayah, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=STATUS_PENGAJUAN, default=DRAF, db_index=True)
    status_diubah = models.DateTimeField(help_text="Waktu perubahan status terakhir.")
    status_diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    catatan = models.TextField(blank=True, help_text="Komentar/alasan pada perubahan status terakhir.")
    # Counts from the last validation run made by the workflow (None = never run / not available).
    galat = models.PositiveIntegerField(null=True, blank=True)
    peringatan = models.PositiveIntegerField(null=True, blank=True)
    peringatan_tanpa_alasan = models.PositiveIntegerField(null=True, blank=True)
    divalidasi_pada = models.DateTimeField(null=True, blank=True)
    # Set by the after-approval task once the desa's snapshot is frozen; cleared on un-approval.
    dibekukan_pada = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "pengajuan desa"
        verbose_name_plural = "pengajuan desa"
        ordering = ["periode_id", "desa_id"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "desa"], name="pengajuan_periode_desa_unik"),
            models.CheckConstraint(condition=models.Q(status__in=[s for s, _ in STATUS_PENGAJUAN]),
                                   name="pengajuan_status_sah"),
        ]

    def __str__(self) -> str:
        return f"{self.periode.kode} {self.desa.nama}: {self.get_status_display()}"

    @property
    def terkunci(self) -> bool:
        return self.status in STATUS_TERKUNCI


class RiwayatPengajuan(models.Model):
    """One step of a submission: who moved it, when, from which state to which, and why."""

    pengajuan = models.ForeignKey(Pengajuan, on_delete=models.CASCADE, related_name="riwayat")
    waktu = models.DateTimeField(auto_now_add=True, db_index=True)
    pengguna = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    aksi = models.CharField(max_length=30)
    dari = models.CharField(max_length=20, blank=True)
    ke = models.CharField(max_length=20)
    komentar = models.TextField(blank=True)
    galat = models.PositiveIntegerField(null=True, blank=True)
    peringatan = models.PositiveIntegerField(null=True, blank=True)
    peringatan_tanpa_alasan = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "riwayat pengajuan"
        verbose_name_plural = "riwayat pengajuan"
        ordering = ["waktu", "id"]

    def __str__(self) -> str:
        return f"{self.waktu:%Y-%m-%d %H:%M} {self.aksi}: {self.dari or '-'} → {self.ke}"
