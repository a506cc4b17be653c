from django.contrib import admin

from presisi.core.pdp import LIHAT, catat_akses_data_pribadi, mask_nik
from presisi.registry.models import AsetDesa, Bangunan, DataDesa, Individu, Keluarga, Peristiwa, RumahTangga


class ReadOnlyDeleteMixin:
    """Nothing in the registry is physically deleted; events change status instead."""

    def has_delete_permission(self, request, obj=None):
        return False


class PdpAdminMixin:
    """The PDP door in the Django admin: lists show NIK/KK masked; a record's own pages (its form shows
    the full numbers) write a processing-log row."""

    def _log(self, request, object_id, tujuan: str) -> None:
        catat_akses_data_pribadi(pengguna=request.user, aksi=LIHAT, objek_tipe=self.model._meta.label_lower,
                                 objek_ids=[object_id], tujuan=tujuan,
                                 rincian={"nik_penuh": True, "kanal": "admin"})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(request, object_id, "admin: formulir rekaman")
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log(request, object_id, "admin: riwayat rekaman")
        return super().history_view(request, object_id, extra_context)


@admin.register(Individu)
class IndividuAdmin(PdpAdminMixin, ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("nik_tersamar", "nama", "jenis_kelamin", "tanggal_lahir", "status_dasar", "desa")
    list_filter = ("status_dasar", "jenis_kelamin", "nik_sementara")
    search_fields = ("nik", "nama")
    raw_id_fields = ("keluarga", "rumah_tangga", "banjar", "desa")
    list_select_related = ("desa",)

    @admin.display(description="NIK", ordering="nik")
    def nik_tersamar(self, obj: Individu) -> str:
        return mask_nik(obj.nik)


@admin.register(Keluarga)
class KeluargaAdmin(PdpAdminMixin, ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("no_kk_tersamar", "desa", "aktif")
    search_fields = ("no_kk",)
    raw_id_fields = ("banjar", "desa")
    list_select_related = ("desa",)

    @admin.display(description="No. KK", ordering="no_kk")
    def no_kk_tersamar(self, obj: Keluarga) -> str:
        return mask_nik(obj.no_kk)


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
