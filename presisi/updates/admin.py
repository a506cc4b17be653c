"""Read-only admin: every change of a period or submission goes through the services (history, audit)."""

from django.contrib import admin

from presisi.core.admin import ReadOnlyAdmin
from presisi.updates.models import Pengajuan, RiwayatPengajuan


class RiwayatInline(admin.TabularInline):
    model = RiwayatPengajuan
    extra = 0
    can_delete = False
    readonly_fields = ("waktu", "pengguna", "aksi", "dari", "ke", "komentar", "galat", "peringatan")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pengajuan)
class PengajuanAdmin(ReadOnlyAdmin):
    list_display = ("periode", "desa", "status", "status_diubah", "galat", "peringatan_tanpa_alasan")
    list_filter = ("periode", "status")
    search_fields = ("desa__kode", "desa__nama")
    list_select_related = ("periode", "desa")
    inlines = [RiwayatInline]
