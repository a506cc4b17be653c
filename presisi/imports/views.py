"""Web pages for the desa operator: upload, job status/result, findings and template downloads."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django.views.decorators.http import require_http_methods

from presisi.accounts.access import filter_by_scope
from presisi.core.exceptions import ApplicationError, PermissionDenied
from presisi.imports.apis import xlsx_response
from presisi.imports.models import Impor
from presisi.imports.selectors import impor_get, impor_list, temuan_xlsx
from presisi.imports.services import impor_buat
from presisi.imports.template import template_nama_berkas, template_xlsx
from presisi.regions.models import Wilayah
from presisi.updates.models import Periode
from presisi.validation.lookups import desa_by_kode

SHOWN_FINDINGS = 500

# Impor status/result labels (models.Impor choices), translated in the templates; marked for makemessages.
UI_LABELS = (gettext_noop("Dalam antrean"), gettext_noop("Sedang diproses"), gettext_noop("Selesai"),
             gettext_noop("Gagal (galat sistem)"), gettext_noop("Diterima dan disimpan"),
             gettext_noop("Ditolak, tidak ada yang disimpan"), gettext_noop("Uji coba, tidak ada yang disimpan"))


class UploadForm(forms.Form):
    desa = forms.ChoiceField(label=pgettext_lazy("impor", "Desa/kelurahan"))
    periode = forms.ModelChoiceField(label=_("Periode"), queryset=Periode.objects.none(), to_field_name="kode",
                                     empty_label=None)
    berkas = forms.FileField(label=_("Berkas (.xlsx atau .csv)"))
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("Kenali otomatis")), ("template", _("Templat Presisi")),
                                        ("opensid", _("Ekspor penduduk OpenSID"))])
    dry_run = forms.BooleanField(label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        desa = filter_by_scope(Wilayah.objects.desa_kelurahan(), user, field="kode").order_by("kode")
        self.fields["desa"].choices = [(d.kode, f"{d.nama} ({d.kode})") for d in desa]
        self.fields["periode"].queryset = Periode.objects.filter(status=Periode.DIBUKA).order_by("-tanggal_referensi")


@login_required
@require_http_methods(["GET", "POST"])
def impor_unggah(request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        try:
            impor = impor_buat(berkas=upload.read(), nama_berkas=upload.name,
                               desa=desa_by_kode(form.cleaned_data["desa"]), periode=form.cleaned_data["periode"],
                               pengguna=request.user, dry_run=form.cleaned_data["dry_run"],
                               format=form.cleaned_data["format"] or None)
        except ApplicationError as exc:
            error = exc
        else:
            return redirect("imports:detail", impor_id=impor.pk)
    return render(request, "imports/unggah.html", {
        "form": form, "error": error, "riwayat": impor_list(user=request.user)[:20],
        "desa_list": [c[0] for c in form.fields["desa"].choices],
    }, status=400 if error else 200)


@login_required
def impor_detail(request, impor_id: int):
    impor = _get(request, impor_id)
    summary = impor.ringkasan or {}
    return render(request, "imports/detail.html", {
        "impor": impor, "ringkasan": summary, "temuan": impor.temuan[:SHOWN_FINDINGS],
        "lebih": max(0, impor.jumlah_temuan - SHOWN_FINDINGS), "unit": summary.get("unit") or {},
        "refresh": impor.berjalan,
    })


@login_required
def impor_temuan_xlsx(request, impor_id: int):
    impor = _get(request, impor_id)
    return xlsx_response(temuan_xlsx(impor=impor), f"temuan-impor-{impor.pk}.xlsx")


@login_required
def templat_xlsx(request, kode: str):
    desa = desa_by_kode(kode)
    return xlsx_response(template_xlsx(desa=desa), template_nama_berkas(desa))


def _get(request, impor_id: int) -> Impor:
    try:
        return impor_get(user=request.user, impor_id=impor_id)
    except Impor.DoesNotExist as exc:
        from django.http import Http404

        raise Http404(_("Impor tidak ditemukan")) from exc
    except PermissionDenied as exc:
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

        raise DjangoPermissionDenied(exc.message) from exc
