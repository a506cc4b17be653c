from django import forms
from django.contrib import admin

from presisi.indicators.catalog import build_catalog
from presisi.indicators.models import Indikator, Parameter
from presisi.indicators.services import check_definition


class IndikatorForm(forms.ModelForm):
    """The admin edit form checks expressions against the dictionary before saving."""

    class Meta:
        model = Indikator
        fields = ("kode", "nama", "tema", "jenis", "unit", "pembilang", "penyebut", "skala", "satuan", "desimal",
                  "arah",
                  "konsep", "definisi", "interpretasi", "metode", "ukuran", "klasifikasi_penyajian", "kegiatan",
                  "level_estimasi", "akses_publik", "disagregasi", "komponen", "dimensi", "kelas", "sdgs_desa",
                  "referensi", "walidata", "aktif")

    def clean(self):
        data = super().clean()
        known = set(Indikator.objects.values_list("kode", flat=True)) | {data.get("kode")}
        extra, findings = check_definition({**data, "jenis": data.get("jenis")}, build_catalog(), known=known)
        for f in findings:
            self.add_error(f.column if f.column in self.fields else None, f.message)
        for key, value in extra.items():
            data[key] = value
            setattr(self.instance, key, value)
        return data


@admin.register(Indikator)
class IndikatorAdmin(admin.ModelAdmin):
    form = IndikatorForm
    list_display = ("kode", "nama", "tema", "jenis", "akses_publik", "standar", "aktif")
    list_filter = ("tema", "jenis", "standar", "aktif", "akses_publik")
    search_fields = ("kode", "nama", "definisi")
    readonly_fields = ("konstanta_pembilang", "konstanta_penyebut", "variabel_pembangun")


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "nilai", "satuan", "berlaku_dari")
