"""Web pages: a desa's findings in a period, and justifying a warning (Bahasa Indonesia, phone-friendly)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from presisi.core.exceptions import ApplicationError
from presisi.core.http import safe_next_url
from presisi.periods.selectors import periode_get_atau_terkini, periode_kode_list
from presisi.validation.models import Temuan
from presisi.validation.selectors import (
    boleh_justifikasi,
    catat_temuan_penuh,
    rekap_list,
    tampilan_temuan,
    temuan_get,
    temuan_list,
)
from presisi.validation.services import temuan_justifikasi, temuan_justifikasi_banyak
from presisi.validation.tampilan import pesan_tampil

PER_PAGE = 100

# Temuan status labels (models.Temuan.STATUS_CHOICES), translated in the template; marked for makemessages.
UI_LABELS = (gettext_noop("Terbuka"), gettext_noop("Dijustifikasi"), gettext_noop("Selesai"))


@login_required
def temuan_daftar(request):
    q = request.GET
    terpilih = periode_get_atau_terkini(q.get("periode"))  # unknown code: NotFound → 404 page
    periode = terpilih.kode if terpilih else ""
    qs = temuan_list(user=request.user, desa_kode=q.get("desa") or None, periode_kode=periode or None,
                     status=q.get("status") or None, keparahan=q.get("keparahan") or None)
    page = Paginator(qs.exclude(status=Temuan.SELESAI) if not q.get("status") else qs, PER_PAGE).get_page(q.get("hal"))
    tampilan = tampilan_temuan(request.user, desa_kode=q.get("desa") or None, request=request)
    catat_temuan_penuh(tampilan, list(page), "halaman temuan validasi")
    return render(request, "validation/temuan.html", {
        "page": page, "tampilan": tampilan, "periode": periode, "desa": q.get("desa", ""),
        "keparahan": q.get("keparahan", ""),
        "rekap": rekap_list(user=request.user, periode_kode=periode),
        "periode_list": periode_kode_list(),
    })


@login_required
@require_POST
def temuan_justifikasi_view(request, temuan_id: int):
    _hanya_penjustifikasi(request)
    temuan = temuan_get(user=request.user, temuan_id=temuan_id)
    try:
        temuan_justifikasi(temuan=temuan, alasan=request.POST.get("alasan", ""), pengguna=request.user)
    except ApplicationError as exc:
        messages.error(request, "; ".join([exc.message, *(pesan_tampil(f.message) for f in exc.findings)]))
    else:
        messages.success(request, _("Peringatan #%(pk)s dijustifikasi.") % {"pk": temuan.pk})
    return HttpResponseRedirect(safe_next_url(request, "validation:temuan"))


@login_required
@require_POST
def temuan_justifikasi_banyak_view(request):
    """Many selected warnings, one reason: one service call, one audit row per warning."""
    _hanya_penjustifikasi(request)
    ids = [i for i in request.POST.getlist("temuan") if i.isdigit()]
    try:
        hasil = temuan_justifikasi_banyak(temuan_ids=ids, alasan=request.POST.get("alasan", ""),
                                          pengguna=request.user)
    except ApplicationError as exc:
        messages.error(request, "; ".join([exc.message, *(pesan_tampil(f.message) for f in exc.findings)]))
    else:
        messages.success(request, _("%(n)s peringatan dijustifikasi.") % {"n": len(hasil["dijustifikasi"])})
        for item in hasil["ditolak"]:
            messages.error(request, _("Temuan #%(id)s tidak dijustifikasi: %(pesan)s") % item)
    return HttpResponseRedirect(safe_next_url(request, "validation:temuan"))



def _hanya_penjustifikasi(request) -> None:
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    if not boleh_justifikasi(request.user):
        raise DjangoPermissionDenied(_("Peran Anda tidak dapat menjustifikasi temuan."))
