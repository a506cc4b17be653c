"""Read-only admin: periods and locks change only through the services (history, audit)."""

from django.contrib import admin

from presisi.core.admin import ReadOnlyAdmin
from presisi.periods.models import KunciDesa, Periode


@admin.register(Periode)
class PeriodeAdmin(ReadOnlyAdmin):
    list_display = ("kode", "nama", "status", "tanggal_referensi", "tenggat")
    list_filter = ("status",)


@admin.register(KunciDesa)
class KunciDesaAdmin(ReadOnlyAdmin):
    list_display = ("periode", "desa", "tingkat", "status", "sejak", "oleh")
    list_filter = ("periode", "tingkat")
    search_fields = ("desa__kode", "desa__nama")
    list_select_related = ("periode", "desa", "oleh")
