from django.contrib import admin

from presisi.imports.models import Impor


@admin.register(Impor)
class ImporAdmin(admin.ModelAdmin):
    list_display = ("id", "dibuat", "desa", "periode", "nama_berkas", "status", "hasil", "jumlah_error",
                    "jumlah_warning", "pengguna")
    list_filter = ("status", "hasil", "dry_run", "format")
    exclude = ("isi",)
    readonly_fields = [f.name for f in Impor._meta.fields if f.name != "isi"]

    def has_add_permission(self, request):
        return False
