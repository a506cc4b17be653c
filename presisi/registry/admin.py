from django.contrib import admin

from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu, Keluarga, Peristiwa, RumahTangga


class ReadOnlyDeleteMixin:
    """Nothing in the registry is physically deleted; events change status instead."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Individu)
class IndividuAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("nik", "nama", "jenis_kelamin", "tanggal_lahir", "status_dasar", "desa")
    list_filter = ("status_dasar", "jenis_kelamin", "nik_sementara")
    search_fields = ("nik", "nama")
    raw_id_fields = ("keluarga", "rumah_tangga", "banjar", "desa")
    list_select_related = ("desa",)


@admin.register(Keluarga)
class KeluargaAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("no_kk", "desa", "aktif")
    search_fields = ("no_kk",)
    raw_id_fields = ("banjar", "desa")
    list_select_related = ("desa",)


@admin.register(RumahTangga)
class RumahTanggaAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("kode", "desa", "aktif")
    search_fields = ("kode",)
    raw_id_fields = ("banjar", "desa", "bangunan")


@admin.register(Bangunan)
class BangunanAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("kode", "desa", "lat", "lng", "aktif")
    search_fields = ("kode",)
    raw_id_fields = ("banjar", "desa")


@admin.register(Peristiwa)
class PeristiwaAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("individu", "jenis", "tanggal", "dicatat_oleh")
    list_filter = ("jenis",)
    raw_id_fields = ("individu",)


@admin.register(DataDesa)
class DataDesaAdmin(admin.ModelAdmin):
    list_display = ("desa", "periode")
    raw_id_fields = ("desa",)


@admin.register(AsetDesa)
class AsetDesaAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("nama", "jenis", "desa", "kondisi")
    raw_id_fields = ("desa", "banjar")
