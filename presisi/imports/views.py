"""Web pages for the desa operator: upload (one file or many), job status/result, findings and templates."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django.views.decorators.http import require_http_methods

from presisi.accounts.access import filter_by_scope, produces_data
from presisi.core.exceptions import ApplicationError, PermissionDenied, ValidationFailed
from presisi.imports import tampilan as tampilan_impor_teks
from presisi.imports.apis import xlsx_response
from presisi.imports.batch import Berkas, impor_banyak_buat
from presisi.imports.export import registri_ekspor
from presisi.imports.models import Impor
from presisi.imports.selectors import (
    impor_get,
    impor_list,
    rekap_temuan,
    tampilan_impor,
    temuan_tampil,
    temuan_xlsx,
    total_unit,
)
from presisi.imports.services import impor_buat
from presisi.imports.template import template_nama_berkas, template_xlsx
from presisi.periods.models import Periode
from presisi.regions.models import Wilayah
from presisi.validation.lookups import desa_by_kode

SHOWN_FINDINGS = 500
# Headings of the created/changed counts: past tense only for what was saved. A dry run that passes
# says what a real import would do; a refused file (dry run or not) saved nothing at all.
KOLOM_JUMLAH = {
    "disimpan": (_("Dibuat"), _("Diubah")),
    "uji": (_("Akan dibuat"), _("Akan diubah")),
    "ditolak": (_("Baru (tidak disimpan)"), _("Berubah (tidak disimpan)")),
}


def kolom_jumlah(jobs: list[Impor]) -> tuple[str, str]:
    """The headings for the counts of ``jobs`` (one job, or the accepted jobs of one upload)."""
    if any(j.hasil == Impor.DITOLAK or j.status == Impor.GAGAL for j in jobs):
        return KOLOM_JUMLAH["ditolak"]
    if any(j.dry_run for j in jobs):
        return KOLOM_JUMLAH["uji"]
    return KOLOM_JUMLAH["disimpan"]
MAX_BATCH_SHOWN = 1000

# Impor status/result labels (models.Impor choices), translated in the templates; marked for makemessages.
UI_LABELS = (gettext_noop("Dalam antrean"), gettext_noop("Sedang diproses"), gettext_noop("Selesai"),
             gettext_noop("Gagal (galat sistem)"), gettext_noop("Diterima dan disimpan"),
             gettext_noop("Ditolak, tidak ada yang disimpan"), gettext_noop("Uji coba, tidak ada yang disimpan"))


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that lets the browser send several files under one name."""

    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Cleans one file or a list of files into a list (Django docs, "Uploading multiple files")."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]  # raises "required"
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    desa = forms.ChoiceField(label=pgettext_lazy("impor", "Desa/kelurahan"), required=False,
                             help_text=_("Boleh dikosongkan: desa dikenali dari kode di nama berkas (mis. "
                                         "desa-5105012001.xlsx) atau dari lembar Petunjuk templat. Bila "
                                         "mengunggah beberapa berkas, desa setiap berkas dikenali dari berkasnya."))
    periode = forms.ModelChoiceField(label=_("Periode"), queryset=Periode.objects.none(), to_field_name="kode",
                                     empty_label=None)
    berkas = MultipleFileField(label=_("Berkas (.xlsx atau .csv, boleh beberapa sekaligus)"))
    format = forms.ChoiceField(label=_("Format"), required=False,
                               choices=[("", _("Kenali otomatis")), ("template", _("Templat Presisi")),
                                        ("opensid", _("Ekspor penduduk OpenSID"))])
    dry_run = forms.BooleanField(label=_("Uji coba saja (periksa tanpa menyimpan)"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        desa = filter_by_scope(Wilayah.objects.desa_kelurahan(), user, field="kode").order_by("kode")
        choices = [(d.kode, f"{d.nama} ({d.kode})") for d in desa]
        self.fields["desa"].choices = [("", _("Kenali dari berkas")), *choices]
        if len(choices) == 1:  # an operator of one desa: preselect it, as before desa became optional
            self.fields["desa"].initial = choices[0][0]
        self.fields["periode"].queryset = Periode.objects.filter(status=Periode.DIBUKA).order_by("-tanggal_referensi")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("desa") and len(data.get("berkas") or []) > 1:
            self.add_error("desa", _("Desa hanya dapat dipilih untuk satu berkas; kosongkan agar desa setiap "
                                     "berkas dikenali dari berkasnya."))
        return data


def _create_jobs(request: HttpRequest, data: dict) -> list[Impor]:
    """One file with a chosen desa: the single path; otherwise every file's desa is recognised."""
    uploads: list[UploadedFile] = data["berkas"]
    common = {"periode": data["periode"], "pengguna": request.user, "dry_run": data["dry_run"],
              "format": data["format"] or None}
    if data["desa"] and len(uploads) == 1:
        return [impor_buat(berkas=uploads[0].read(), nama_berkas=uploads[0].name,
                           desa=desa_by_kode(data["desa"]), **common)]
    return impor_banyak_buat(berkas=[Berkas(nama=u.name or "berkas", isi=u.read()) for u in uploads], **common)


@login_required
@require_http_methods(["GET", "POST"])
def impor_unggah(request: HttpRequest) -> HttpResponse:
    if not produces_data(request.user):  # verifikator, walidata, analis never import (issue #11)
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

        raise DjangoPermissionDenied(_("Peran Anda tidak dapat mengimpor data registri."))
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            jobs = _create_jobs(request, form.cleaned_data)
        except ApplicationError as exc:
            error = exc
        else:
            if len(jobs) == 1:
                return redirect("imports:detail", impor_id=jobs[0].pk)
            return redirect(reverse("imports:banyak") + "?" + "&".join(f"id={j.pk}" for j in jobs))
    return render(request, "imports/unggah.html", {
        "form": form, "error": error, "riwayat": impor_list(user=request.user)[:20],
        "desa_list": [c[0] for c in form.fields["desa"].choices if c[0]],
    }, status=400 if error else 200)


@login_required
def impor_banyak(request: HttpRequest) -> HttpResponse:
    """The jobs of one multi-file upload (ids in the query string), limited to the user's scope."""
    ids = [int(v) for v in request.GET.getlist("id") if v.isdigit()][:MAX_BATCH_SHOWN]
    jobs = list(impor_list(user=request.user).filter(pk__in=ids).order_by("pk")) if ids else []
    berjalan = any(j.berjalan for j in jobs)
    accepted = [j for j in jobs if j.hasil in (Impor.DITERIMA, Impor.UJI)]
    return render(request, "imports/batch.html", {
        "jobs": jobs, "refresh": berjalan, "total": {} if berjalan else total_unit(accepted),
        "kolom_jumlah": kolom_jumlah(accepted),
        "diterima": len(accepted), "ditolak": sum(j.hasil == Impor.DITOLAK or j.status == Impor.GAGAL for j in jobs),
    })


@login_required
def impor_detail(request: HttpRequest, impor_id: int) -> HttpResponse:
    impor = _get(request, impor_id)
    summary = impor.ringkasan or {}
    tampilan = tampilan_impor(request.user, impor, request=request)
    # rules, sheets, columns and messages by their human names in the page's language (the API keeps codes)
    unit = {nama: {**c, "label": tampilan_impor_teks.unit_tampil(nama)}
            for nama, c in (summary.get("unit") or {}).items()}
    rekap = [{**r, "rule_label": tampilan_impor_teks.aturan_tampil(r["rule"]),
              "column_label": tampilan_impor_teks.kolom_tampil(r["column"])}
             for r in ([] if tampilan.boleh else rekap_temuan(impor.temuan))]
    dikosongkan = [{**d, "kolom_label": tampilan_impor_teks.kolom_tampil(d.get("kolom"))}
                   for d in (summary.get("dikosongkan") or [])[:200]]
    return render(request, "imports/detail.html", {
        "impor": impor, "ringkasan": {**summary, "dikosongkan": dikosongkan}, "tampilan": tampilan,
        "pesan": tampilan_impor_teks.pesan_tampil(summary.get("pesan") or impor.pesan_progres),
        "temuan": [tampilan_impor_teks.temuan_tampil_baris(f)
                   for f in temuan_tampil(impor, tampilan, tujuan="halaman impor", batas=SHOWN_FINDINGS)],
        "rekap": rekap,
        "lebih": max(0, impor.jumlah_temuan - SHOWN_FINDINGS), "unit": unit,
        "refresh": impor.berjalan, "kolom_jumlah": kolom_jumlah([impor]),
    })


@login_required
def impor_temuan_xlsx(request: HttpRequest, impor_id: int) -> HttpResponse:
    impor = _get(request, impor_id)
    return xlsx_response(temuan_xlsx(impor=impor, tampilan=tampilan_impor(request.user, impor, request=request)),
                         f"temuan-impor-{impor.pk}.xlsx")


@login_required
def templat_xlsx(request: HttpRequest, kode: str) -> HttpResponse:
    try:
        desa = desa_by_kode(kode)
    except ValidationFailed as exc:
        raise Http404(exc.message) from exc
    return xlsx_response(template_xlsx(desa=desa), template_nama_berkas(desa))


@login_required
def registri_xlsx(request: HttpRequest, kode: str) -> HttpResponse:
    """The desa's registry as the filled import template (full NIK/KK; one PDP export log row).
    Outside the user's scope 404 (``OutOfScope``), a role without person-level access 403."""
    try:
        desa = desa_by_kode(kode)
    except ValidationFailed as exc:
        raise Http404(exc.message) from exc
    try:
        hasil = registri_ekspor(desa=desa, pengguna=request.user, kanal="web")
    except PermissionDenied as exc:
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

        raise DjangoPermissionDenied(exc.message) from exc
    return xlsx_response(hasil.isi, hasil.nama_berkas)


def _get(request: HttpRequest, impor_id: int) -> Impor:
    try:
        return impor_get(user=request.user, impor_id=impor_id)
    except Impor.DoesNotExist as exc:
        raise Http404(_("Impor tidak ditemukan")) from exc
    except PermissionDenied as exc:
        from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

        raise DjangoPermissionDenied(exc.message) from exc
