"""Read-only admin lists: requests and incidents change only through the services (audited)."""

from django.contrib import admin

from presisi.core.admin import ReadOnlyAdmin
from presisi.privasi.models import InsidenPelanggaran, PermintaanPerbaikan


@admin.register(PermintaanPerbaikan)
class PermintaanPerbaikanAdmin(ReadOnlyAdmin):
    list_display = ("id", "desa", "kolom", "status", "diterima_pada", "tenggat")
    list_filter = ("status", "kanal")
    exclude = ("individu",)  # the person is reached through the privacy pages (the PDP door), not the admin


@admin.register(InsidenPelanggaran)
class InsidenPelanggaranAdmin(ReadOnlyAdmin):
    list_display = ("id", "judul", "ditemukan_pada", "tenggat", "jumlah_subjek", "ditutup_pada")
