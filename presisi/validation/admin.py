"""Admin for stewards: condition rules are checked against the dictionary before saving."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from presisi.core.audit import audit_log, model_snapshot
from presisi.validation.kondisi import kondisi_periksa
from presisi.validation.models import AturanValidasi, RekapValidasi


class AturanForm(forms.ModelForm):
    class Meta:
        model = AturanValidasi
        fields = ["kode", "nama", "unit", "keparahan", "jenis", "kondisi", "kolom", "pesan", "aktif", "keterangan"]

    def clean(self):
        data = super().clean()
        jenis = data.get("jenis") or getattr(self.instance, "jenis", AturanValidasi.KONDISI)
        locked = self.instance.pk and self.instance.terkunci
        if locked and (not data.get("aktif", True) or data.get("keparahan") != "error"):
            raise forms.ValidationError("Aturan struktural ini selalu aktif dan selalu menolak.")
        if jenis == AturanValidasi.KONDISI and data.get("unit"):
            _, findings = kondisi_periksa(data.get("kondisi") or "", data["unit"])
            for f in findings:
                self.add_error("kondisi", f.message)
        return data


@admin.register(AturanValidasi)
class AturanValidasiAdmin(admin.ModelAdmin):
    form = AturanForm
    list_display = ("kode", "nama", "unit", "keparahan", "jenis", "aktif", "terkunci")
    list_filter = ("unit", "keparahan", "jenis", "aktif")
    search_fields = ("kode", "nama", "kondisi")

    def get_readonly_fields(self, request, obj=None):
        builtin = obj is not None and obj.jenis == AturanValidasi.BAWAAN
        return ("kode", "jenis", "terkunci") if builtin else ("terkunci",)

    def save_model(self, request, obj, form, change):
        before = model_snapshot(AturanValidasi.objects.get(pk=obj.pk)) if change else None
        if not change:
            obj.dibuat_oleh = request.user
        super().save_model(request, obj, form, change)
        audit_log(aksi="validation.aturan.diubah" if change else "validation.aturan.dibuat", objek=obj,
                  pengguna=request.user, sebelum=before, sesudah=model_snapshot(obj))

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.temuan.exists()


# Findings (Temuan) are not registered: their label and value carry NIK/No. KK and names; they are read
# through the validation pages and API, masked by the PDP door.


@admin.register(RekapValidasi)
class RekapValidasiAdmin(admin.ModelAdmin):
    list_display = ("desa", "periode", "jumlah_individu", "jumlah_error", "jumlah_warning",
                    "warning_belum_dijustifikasi", "dijalankan_pada")
    list_filter = ("periode",)
