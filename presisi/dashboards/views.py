"""Dashboard pages. Views only adapt: selectors decide what is visible, services decide what may change."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from presisi.core.exceptions import ApplicationError, ValidationFailed
from presisi.core.exports import Dialek, dialek_web
from presisi.dashboards import forms, selectors, services
from presisi.dashboards.halaman import Permintaan, ada_data_terbit, halaman_dasbor
from presisi.dashboards.profil import profil_desa, profil_gambar
from presisi.dashboards.sasaran import bagian_sasaran
from presisi.dashboards.tabel import FORMAT, unduhan
from presisi.regions.models import Wilayah

DASBOR_SASARAN = "kemiskinan"  # the dashboard that shows the programs' targeting section
PAGE_CACHE = {"private": True, "max_age": 60}  # private: pages carry a CSRF token and per-user values


def _profil_url(kode: str, periode: str | None = None) -> str:
    url = reverse("dashboards:profil", args=[kode])
    return url + (f"?{urlencode({'periode': periode})}" if periode else "")


@require_GET
@cache_control(**PAGE_CACHE)
def indeks(request):
    desa_kode = request.GET.get("desa")
    if desa_kode:
        return HttpResponseRedirect(_profil_url(desa_kode))
    desa = Wilayah.objects.filter(kedalaman=4).only("kode", "nama").order_by("kode")
    return render(request, "dashboards/indeks.html", {"dasbor": selectors.dasbor_list(user=request.user),
                                                      "desa": desa})


@require_GET
@cache_control(**PAGE_CACHE)
def dasbor(request, kode: str):
    req = Permintaan.dari(kode, request.GET)
    h = halaman_dasbor(user=request.user, req=req)
    if h is None:
        if not ada_data_terbit(user=request.user, sementara=req.sementara):
            return _belum_terbit(request)
        return render(request, "dashboards/kosong.html", {"kode": kode}, status=404)
    return render(request, "dashboards/dasbor.html", {
        "h": h, "req": req, "semua_dasbor": selectors.dasbor_list(user=request.user),
        "profil_url": _profil_url(h.konteks.wilayah.kode, h.sekarang.kode) if h.konteks.wilayah.kedalaman == 4
        else None,
        # targeting accuracy of the social programs (issue #12), on the poverty dashboard only
        "sasaran": bagian_sasaran(user=request.user, kode_wilayah=h.konteks.wilayah.kode, periode=h.sekarang)
        if h.data.dasbor.kode == DASBOR_SASARAN else [],
        "kode_wilayah": h.konteks.wilayah.kode,
    })


@require_GET
@cache_control(private=True, max_age=300)
def unduh(request, kode: str, tabel: str, fmt: str):
    if fmt not in FORMAT:
        raise Http404(_("Format tidak dikenal."))
    dialek = _dialek(request)
    req = Permintaan.dari(kode, request.GET)
    h = halaman_dasbor(user=request.user, req=req, svg=False)
    if h is None or tabel not in h.tabel:
        raise Http404(_("Tabel tidak ditemukan."))
    name = f"{kode}-{tabel}-{h.konteks.wilayah.kode}-{h.sekarang.kode}-{h.indikator.kode}"
    if h.sementara:
        name += "-sementara"
    return unduhan(h.tabel[tabel], fmt, name, dialek)


def _profil(request, kode: str):
    sementara = request.GET.get("sementara") == "1"
    p = profil_desa(kode=kode, periode=request.GET.get("periode"), user=request.user, sementara=sementara)
    if p is None:
        if not ada_data_terbit(user=request.user, sementara=sementara):
            raise BelumTerbit
        raise Http404(_("Desa atau periode tidak ditemukan."))
    return p


class BelumTerbit(Exception):
    """No period has published data for this reader: a clear message, not an empty chart."""


def _belum_terbit(request):
    return render(request, "dashboards/belum_terbit.html", {"boleh_sementara": request.user.is_authenticated})


def _query_profil(p, **extra) -> str:
    return urlencode({"periode": p.periode.kode, **({"sementara": "1"} if p.reader.sementara else {}), **extra})


@require_GET
@cache_control(**PAGE_CACHE)
def profil(request, kode: str):
    try:
        p = _profil(request, kode)
    except BelumTerbit:
        return _belum_terbit(request)
    gambar = profil_gambar(p, href_profil=lambda k: _profil_url(k, p.periode.kode))
    return render(request, "dashboards/profil.html", {
        "p": p, "gambar": gambar, "semua_dasbor": selectors.dasbor_list(user=request.user),
        "pdf_url": reverse("dashboards:profil_pdf", args=[kode]) + f"?{_query_profil(p)}",
        "query": _query_profil(p),
        "url_sementara": f"?{urlencode({'periode': p.periode.kode, 'sementara': '1'})}",
        "url_terbit": f"?{urlencode({'periode': p.periode.kode})}",
        "sasaran": bagian_sasaran(user=request.user, kode_wilayah=kode, periode=p.periode),
        "kode_wilayah": kode,
    })


@require_GET
@cache_control(private=True, max_age=300)
def profil_pdf(request, kode: str):
    from presisi.dashboards.pdf import profil_pdf as render_pdf

    try:
        p = _profil(request, kode)
    except BelumTerbit:
        return _belum_terbit(request)
    gambar = profil_gambar(p, href_profil=lambda k: _profil_url(k, p.periode.kode))
    response = HttpResponse(render_pdf(p, gambar), content_type="application/pdf")
    akhiran = "-sementara" if p.reader.sementara else ""
    response["Content-Disposition"] = f'attachment; filename="profil-desa-{kode}-{p.periode.kode}{akhiran}.pdf"'
    return response


@require_GET
@cache_control(private=True, max_age=300)
def profil_unduh(request, kode: str, tabel: str, fmt: str):
    if fmt not in FORMAT:
        raise Http404(_("Format tidak dikenal."))
    dialek = _dialek(request)
    try:
        p = _profil(request, kode)
    except BelumTerbit:
        return _belum_terbit(request)
    if tabel not in p.tabel:
        raise Http404(_("Tabel tidak ditemukan."))
    akhiran = "-sementara" if p.reader.sementara else ""
    return unduhan(p.tabel[tabel], fmt, f"profil-{kode}-{tabel}-{p.periode.kode}{akhiran}", dialek)


def _dialek(request) -> Dialek:
    """``?dialek=excel-id|standar``; without it the page language decides (Indonesian: Excel-Indonesia)."""
    try:
        return dialek_web(request.GET.get("dialek"), translation.get_language())
    except ValidationFailed:
        raise Http404(_("Dialek CSV tidak dikenal.")) from None


# --- configuration by analysts -----------------------------------------------------------------------------


def _pengatur(request) -> None:
    if not services.boleh_mengatur(request.user):
        raise DjangoPermissionDenied(_("Hanya analis atau admin yang dapat mengatur dasbor."))


@login_required
def atur_list(request):
    _pengatur(request)
    return render(request, "dashboards/atur_list.html", {"dasbor": forms.dasbor_semua()})


@login_required
def atur(request, kode: str):
    _pengatur(request)
    state = forms.atur_state(kode)
    if state is None:
        raise Http404(_("Dasbor tidak ditemukan."))
    if request.method == "POST":
        form = forms.DasborForm(request.POST, indikator=state["pilihan"])
        if form.is_valid():
            try:
                services.dasbor_atur(kode=kode, pengguna=request.user, **form.perubahan())
            except ApplicationError as exc:
                form.add_error(None, exc.message)
                for finding in exc.findings:
                    form.add_error(None, str(finding))
            else:
                messages.success(request, _("Dasbor disimpan."))
                return HttpResponseRedirect(reverse("dashboards:atur", args=[kode]))
    else:
        form = forms.DasborForm(initial=state["awal"], indikator=state["pilihan"])
    return render(request, "dashboards/atur.html", {"form": form, "dasbor": state["dasbor"],
                                                    "baris": form.baris()})
