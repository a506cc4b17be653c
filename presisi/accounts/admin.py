from django.contrib import admin

from presisi.accounts.models import Profil


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ("pengguna", "peran", "wilayah")
    list_filter = ("peran",)
    raw_id_fields = ("wilayah",)
    filter_horizontal = ("sektor",)
