from django.contrib import admin

from presisi.regions.models import KodeBPS, Wilayah, WilayahAdat


@admin.register(Wilayah)
class WilayahAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "tingkat", "kode_bps", "sintetis")
    list_filter = ("tingkat", "sintetis")
    search_fields = ("kode", "nama")
    raw_id_fields = ("induk",)
    exclude = ("geometri",)


@admin.register(KodeBPS)
class KodeBPSAdmin(admin.ModelAdmin):
    list_display = ("wilayah", "kode_bps", "berlaku_dari", "berlaku_sampai")
    raw_id_fields = ("wilayah",)


@admin.register(WilayahAdat)
class WilayahAdatAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "tingkat", "sintetis", "aktif")
    list_filter = ("tingkat", "sintetis", "aktif")
    search_fields = ("kode", "nama")
    raw_id_fields = ("induk",)
