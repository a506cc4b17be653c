"""Pages of agency map layers (/sektor/peta/): list and upload, one layer with map, features and exposure."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from presisi.core.exceptions import ApplicationError, NotFound, PermissionDenied
from presisi.integration import selectors_spasial as sel
from presisi.integration.models import LapisanSpasial
from presisi.integration.services import spasial as svc
from presisi.integration.services.spasial_paparan import BAHAYA_JENIS
from presisi.integration.svg_spasial import peta_lapisan_svg
from presisi.periods.selectors import periode_terkini


class UnggahLapisanForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas (GeoJSON atau shapefile .zip)"),
                             help_text=gettext_lazy("GeoJSON FeatureCollection dalam WGS84, atau .zip berisi "
                                                    ".shp/.shx/.dbf/.prj. Zona bahaya: properti 'kelas' "
                                                    "(rendah/sedang/tinggi, low/medium/high, 1/2/3)."))
    kode = forms.SlugField(label=gettext_lazy("Kode lapisan"), max_length=60,
                           help_text=gettext_lazy("Kode yang sama = versi baru lapisan itu."))
    nama = forms.CharField(label=gettext_lazy("Nama"), max_length=200, required=False)
    jenis = forms.ChoiceField(label=gettext_lazy("Jenis"), choices=LapisanSpasial.JENIS_CHOICES)
    bahaya = forms.ChoiceField(label=gettext_lazy("Jenis bahaya"), required=False,
                               choices=[("", "—"), *BAHAYA_JENIS.items()])
    produsen = forms.CharField(label=gettext_lazy("Produsen data (OPD)"), max_length=200, required=False)
    sumber = forms.CharField(label=gettext_lazy("Sumber"), max_length=300, required=False)
    dry_run = forms.BooleanField(label=gettext_lazy("Uji coba (tidak menyimpan)"), required=False, initial=True)


def _boleh_unggah_apa_pun(user) -> bool:
    return svc.boleh_unggah_apa_pun(user)


@login_required
def peta_list(request):
    error, hasil = None, None
    boleh = _boleh_unggah_apa_pun(request.user)
    if request.method == "POST":
        if not boleh:  # refused before the upload is read
            raise DjangoPermissionDenied(_("Hanya walidata sektor lapisan (BPBD, PUPR, DLH) atau admin yang dapat "
                                           "mengunggah lapisan."))
        form = UnggahLapisanForm(request.POST, request.FILES)
        if form.is_valid():
            v = form.cleaned_data
            try:
                hasil = svc.lapisan_unggah(pengguna=request.user, berkas=v["berkas"].read(),
                                           nama_berkas=v["berkas"].name or "", kode=v["kode"], jenis=v["jenis"],
                                           bahaya=v["bahaya"], nama=v["nama"], produsen=v["produsen"],
                                           sumber=v["sumber"], dry_run=v["dry_run"])
            except ApplicationError as exc:
                error = exc
                status = 403 if isinstance(exc, PermissionDenied) else 400
                return render(request, "integration/spasial_list.html", _ctx(form, error, None, boleh), status=status)
            if not v["dry_run"]:
                messages.success(request, _("Lapisan %(kode)s disimpan (versi %(versi)s, %(status)s).")
                                 % {"kode": hasil.kode, "versi": hasil.versi, "status": hasil.status})
                return HttpResponseRedirect(reverse("integration:spasial_detail", args=[hasil.kode]))
    else:
        form = UnggahLapisanForm()
    return render(request, "integration/spasial_list.html", _ctx(form, error, hasil, boleh))


def _ctx(form, error, hasil, boleh) -> dict:
    return {"form": form, "error": error, "hasil": hasil, "boleh_unggah": boleh,
            "lapisan": [sel.lapisan_dict(la) for la in sel.lapisan_list()]}


@login_required
def peta_detail(request, kode: str):
    try:
        layer = sel.lapisan_get(kode=kode)
    except NotFound as exc:
        from django.http import Http404

        raise Http404(exc.message) from exc
    periode = periode_terkini()
    paparan = []
    if layer.jenis == LapisanSpasial.BAHAYA:
        paparan = sel.paparan_desa(periode=periode, bahaya=layer.bahaya, user=request.user)
    fitur = list(sel.fitur_list(layer)[: sel.MAKS_BARIS_FITUR])
    return render(request, "integration/spasial_detail.html", {
        "lapisan": sel.lapisan_dict(layer, rinci=True), "fitur": fitur, "paparan": paparan, "periode": periode,
        "peta": peta_lapisan_svg([layer], id_="peta-lapisan", judul=_("Peta %(nama)s") % {"nama": layer.nama}),
        "maks_fitur": sel.MAKS_BARIS_FITUR, "jumlah_fitur": sel.fitur_list(layer).count(),
    })
