from django.contrib import admin

from presisi.core.models import AuditLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that change only through the services (history, audit): the admin may look, never write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    # before/after snapshots of registry records hold NIK and names: read through the history pages
    # (masked, logged), never here
    exclude = ("sebelum", "sesudah")
    list_display = ("waktu", "aksi", "objek_tipe", "objek_id", "pengguna")
    list_filter = ("aksi",)
    search_fields = ("objek_id", "aksi")
