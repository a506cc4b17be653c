from django.contrib import admin

from presisi.dictionary.models import Klasifikasi, KlasifikasiItem, Sektor, Variabel


class KlasifikasiItemInline(admin.TabularInline):
    model = KlasifikasiItem
    extra = 0


@admin.register(Klasifikasi)
class KlasifikasiAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "versi", "aktif")
    list_filter = ("aktif",)
    search_fields = ("kode", "nama")
    inlines = [KlasifikasiItemInline]


@admin.register(Variabel)
class VariabelAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "unit", "tipe", "domain", "walidata", "aktif")
    list_filter = ("unit", "tipe", "domain", "walidata", "aktif")
    search_fields = ("kode", "nama", "definisi")


@admin.register(Sektor)
class SektorAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "opd")
