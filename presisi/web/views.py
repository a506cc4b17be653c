"""Web pages. Views only adapt: they call selectors and render; access is decided in selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from presisi.dashboards.halaman import peta_ringkas, zoom_wilayah
from presisi.dashboards.selectors import dasbor_list
from presisi.dashboards.templatetags.dasbor_tags import nama_wilayah
from presisi.privasi.selectors import permintaan_terbuka_jumlah
from presisi.regions.models import Wilayah
from presisi.regions.selectors_adat import desa_adat_list
from presisi.registry.selectors import wilayah_statistik
from presisi.updates.selectors import periode_berjalan, progres_ringkas, tugas_saya

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
        judul = nama_wilayah(w)  # 'Kabupaten Klungkung', never 'Kabupaten Kabupaten Klungkung'
        crumbs = [*w.leluhur(), w]
        depth = w.kedalaman
        crumbs = [c for c in crumbs if c.kedalaman >= 2]
    return render(request, "web/wilayah.html", {
        "stats": stats,
        "region": region,
        "crumbs": crumbs,
        "judul": judul,
        "beranda": request.resolver_match.url_name == "home",
        "child_level": LEVEL_OF_CHILDREN.get(depth, _("Wilayah")),
        "max_penduduk": max((c["penduduk"] for c in stats["anak"]), default=0) or 1,
        **(_orientation(request, region["kode"], depth) if region is not None else {}),
    })


def _orientation(request, kode: str, depth: int) -> dict:
    """What orients a reader on a region page: the headline map (the dashboards' renderer, linking each
    region to its own page), the current period's progress, the dashboards and the village profile."""
    peta = peta_ringkas(user=request.user, wilayah=kode, href=_wilayah_url)
    periode = periode_berjalan()
    progres = progres_ringkas(periode=periode, wilayah_kode=kode) if periode else None
    query = "" if depth <= 2 else f"?wilayah={kode}"
    dasbor = [{**d, "href": reverse("dashboards:dasbor", args=[d["kode"]]) + query}
              for d in dasbor_list(user=request.user)]
    return {
        "peta": peta,
        "zoom": zoom_wilayah(peta.konteks, _wilayah_url) if peta else None,
        "progres": progres if progres and progres["total"] else None,
        "periode": periode,
        "dasbor": dasbor,
        "profil_url": reverse("dashboards:profil", args=[kode.rsplit(".", depth - 4)[0]]) if depth >= 4 else None,
        "profil_anak": depth == 3,  # children are desa: each row links to its profile
        "profil_pilih_url": reverse("dashboards:indeks") + "#judul-profil",
    }


def _wilayah_url(kode: str) -> str:
    return reverse("web:wilayah", args=[kode])


@login_required
def tugas(request):
    """'Tugas saya': the landing page after login, one item per thing the role has to do."""
    return render(request, "web/tugas.html", {"t": tugas_saya(user=request.user),
                                              "privasi": permintaan_terbuka_jumlah(request.user)})


def _galat(request, kode: int, judul, pesan, saran=None) -> HttpResponse:
    return render(request, "web/galat.html", {"kode": kode, "judul": judul, "pesan": pesan, "saran": saran},
                  status=kode)


def _galat_polos(kode: int, judul, pesan) -> HttpResponse:
    """A page rendered without the request: no context processor, database or URL can fail it."""
    html = loader.get_template("web/galat_polos.html").render({"kode": kode, "judul": judul, "pesan": pesan})
    return HttpResponse(html, status=kode)


def bad_request(request, exception=None):
    """Django's 400 handler: form fields bigger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are a 413 with
    the explanation; any other 400 is the plain styled page (it may come before the session or the
    user are known, e.g. a refused Host header)."""
    from django.core.exceptions import RequestDataTooBig

    from presisi.web.middleware import too_large_response

    if isinstance(exception, RequestDataTooBig):
        return too_large_response(request)
    return _galat_polos(400, _("Permintaan tidak dapat diproses"),
                        _("Permintaan ini tidak sah atau rusak. Muat ulang halaman lalu coba lagi."))


def permission_denied(request, exception=None):
    """Django's 403 handler (and the page for a refusal that escapes a view, see NotFoundMiddleware)."""
    pesan = str(getattr(exception, "message", "") or "") or _("Anda tidak berwenang membuka halaman ini.")
    saran = _("Masuk dengan akun yang berwenang, atau hubungi admin bila Anda memerlukan akses.")
    return _galat(request, 403, _("Akses ditolak"), pesan, saran)


def csrf_failure(request, reason: str = ""):
    """CSRF_FAILURE_VIEW: a form sent from an expired or foreign page is the styled 403, not Django's."""
    return _galat(request, 403, _("Akses ditolak"),
                  _("Formulir ini sudah kedaluwarsa atau tidak dikirim dari halaman Presisi."),
                  _("Muat ulang halaman lalu kirim formulirnya lagi."))


def page_not_found(request, exception=None):
    """Django's 404 handler. The exception's text is for developers (it may be a URL pattern dump),
    so the page says what a person can do."""
    return _galat(request, 404, _("Halaman tidak ditemukan"),
                  _("Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
                  _("Periksa alamatnya, atau mulai lagi dari beranda."))


def server_error(request):
    """Django's 500 handler: the self-contained page, in the language of the request."""
    return _galat_polos(500, _("Terjadi kesalahan pada server"),
                        _("Maaf, halaman ini gagal dibuat. Kesalahan sudah dicatat; coba lagi beberapa saat lagi."))
