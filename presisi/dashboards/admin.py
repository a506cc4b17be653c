from django.contrib import admin

from presisi.core.audit import audit_log
from presisi.dashboards.models import Dasbor, DasborIndikator


class DasborIndikatorInline(admin.TabularInline):
    model = DasborIndikator
    extra = 1
    autocomplete_fields = ("indikator",)
    fields = ("indikator", "urutan", "utama")
    ordering = ("urutan", "id")


@admin.register(Dasbor)
class DasborAdmin(admin.ModelAdmin):
    inlines = [DasborIndikatorInline]
    list_display = ("kode", "nama", "urutan", "aktif", "standar", "disesuaikan")
    list_editable = ("urutan", "aktif")
    list_filter = ("aktif", "standar", "disesuaikan")
    search_fields = ("kode", "nama", "deskripsi")
    prepopulated_fields = {"kode": ("nama",)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        dasbor = form.instance
        # An edited dashboard is the analyst's now: a later standard reload keeps it.
        Dasbor.objects.filter(pk=dasbor.pk).update(disesuaikan=True)
        audit_log(aksi="dasbor.diatur", objek=dasbor, pengguna=request.user,
                  sesudah={"kode": dasbor.kode, "indikator": list(
                      dasbor.butir.order_by("urutan").values_list("indikator__kode", flat=True))},
                  keterangan="admin")
