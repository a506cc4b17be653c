"""Read-only admin: periods and locks change only through the services (history, audit)."""

from django.contrib import admin

from presisi.periods.models import KunciDesa, Periode


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
