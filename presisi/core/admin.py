from django.contrib import admin

from presisi.core.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("waktu", "aksi", "objek_tipe", "objek_id", "pengguna")
    list_filter = ("aksi",)
    search_fields = ("objek_id", "aksi")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
