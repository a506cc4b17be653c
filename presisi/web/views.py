"""Web pages. Views only adapt: they call selectors and render; access is decided in selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from presisi.privasi.selectors import permintaan_terbuka_jumlah
from presisi.regions.models import Wilayah
from presisi.regions.selectors_adat import desa_adat_list
from presisi.registry.selectors import wilayah_statistik
from presisi.updates.selectors import tugas_saya

LEVEL_OF_CHILDREN = {1: _("Kabupaten/Kota"), 2: pgettext_lazy("tingkat wilayah", "Kecamatan"),
                     3: _("Desa/Kelurahan"), 4: _("Banjar Dinas/Dusun")}

# Role labels (accounts.models.PERAN_CHOICES) shown in the header; marked here so that
# makemessages extracts them for `{% translate user.profil.get_peran_display %}` in web/base.html.
ROLE_LABELS = (gettext_noop("Operator desa/kelurahan"), gettext_noop("Verifikator kecamatan"),
               gettext_noop("Walidata perangkat daerah"), gettext_noop("Analis Bappeda/BRIDA"),
               gettext_noop("Admin Diskominfo"))


def home(request):
    stats = wilayah_statistik()
    return _region_page(request, stats)


def wilayah_detail(request, kode: str):
    if not Wilayah.objects.filter(kode=kode).exists():
        raise Http404("Wilayah tidak ditemukan")
    return _region_page(request, wilayah_statistik(kode=kode))


def wilayah_adat(request):
    """Desa adat with their banjar adat and the desa dinas they lie in (public reference data, no persons)."""
    dalam = request.GET.get("dalam") or None
    return render(request, "web/wilayah_adat.html", {"desa_adat": desa_adat_list(dalam=dalam), "dalam": dalam})


def _region_page(request, stats):
    region = stats["wilayah"]
    crumbs = []
    depth = 0
    judul = ""
    if region is not None:
        w = Wilayah.objects.get(kode=region["kode"])
        judul = w.nama_lengkap
        crumbs = [*w.leluhur(), w]
        depth = w.kedalaman
        crumbs = [c for c in crumbs if c.kedalaman >= 2]
    return render(request, "web/wilayah.html", {
        "stats": stats,
        "region": region,
        "crumbs": crumbs,
        "judul": judul,
        "child_level": LEVEL_OF_CHILDREN.get(depth, _("Wilayah")),
        "max_penduduk": max((c["penduduk"] for c in stats["anak"]), default=0) or 1,
    })


@login_required
def tugas(request):
    """'Tugas saya': the landing page after login, one item per thing the role has to do."""
    return render(request, "web/tugas.html", {"t": tugas_saya(user=request.user),
                                              "privasi": permintaan_terbuka_jumlah(request.user)})


def bad_request(request, exception=None):
    """Django's 400 handler: form fields bigger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are a 413 with
    the Indonesian explanation; any other 400 keeps Django's page."""
    from django.core.exceptions import RequestDataTooBig
    from django.views.defaults import bad_request as default_bad_request

    from presisi.web.middleware import too_large_response

    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    return default_bad_request(request, exception)
