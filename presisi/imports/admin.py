"""Import jobs in the Django admin: status and counts only, read-only. The file itself, the summary and
the findings (NIK, No. KK, names of missing residents) stay behind the import pages and API, which
mask them through the PDP door."""

from django.contrib import admin

from presisi.core.admin import ReadOnlyAdmin
from presisi.imports.models import Impor

PRIBADI = ("isi", "ringkasan", "temuan")


@admin.register(Impor)
class ImporAdmin(ReadOnlyAdmin):
    list_display = ("id", "dibuat", "desa", "periode", "status", "hasil", "jumlah_error", "jumlah_warning",
                    "pengguna")
    list_filter = ("status", "hasil", "dry_run", "format")
    exclude = PRIBADI
    readonly_fields = [f.name for f in Impor._meta.fields if f.name not in PRIBADI]
