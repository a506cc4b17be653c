"""The Django admin (the break-glass superuser only) never shows person-level registry data.

People, families and life events (NIK, No. KK, names) are not registered at all: they are read and
corrected through the registry pages and API, behind the region scope and the PDP door (masking and
the processing log). Households and buildings carry no personal identifier and are read-only here:
every change goes through the services (history, audit)."""

from django.contrib import admin

from presisi.core.admin import ReadOnlyAdmin
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, RumahTangga


@admin.register(RumahTangga)
class RumahTanggaAdmin(ReadOnlyAdmin):
    list_display = ("kode", "desa", "aktif")
    search_fields = ("kode",)
    raw_id_fields = ("banjar", "desa", "bangunan")


@admin.register(Bangunan)
class BangunanAdmin(ReadOnlyAdmin):
    list_display = ("kode", "desa", "lat", "lng", "aktif")
    search_fields = ("kode",)
    raw_id_fields = ("banjar", "desa")


@admin.register(DataDesa)
class DataDesaAdmin(admin.ModelAdmin):
    list_display = ("desa", "periode")
    raw_id_fields = ("desa",)


@admin.register(AsetDesa)
class AsetDesaAdmin(admin.ModelAdmin):
    list_display = ("nama", "jenis", "desa", "kondisi")
    raw_id_fields = ("desa", "banjar")

    def has_delete_permission(self, request, obj=None):
        return False  # nothing in the registry is physically deleted
