"""Web pages of the update cycle. Views adapt only: selectors decide what is shown and which
buttons exist, services decide whether an action is allowed; errors become messages."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from presisi.core.exceptions import ApplicationError
from presisi.core.exceptions import PermissionDenied as ScopeDenied
from presisi.periods.selectors import periode_get, periode_list
from presisi.updates import selectors
from presisi.updates.services import pengajuan_transisi, periode_buka, periode_tutup
from presisi.updates.workflow import TRANSISI

# Labels defined in models/workflow and translated in the templates (`{% translate p.status_label %}` etc.);
# marked here so that makemessages extracts them. Keep in step with STATUS_PENGAJUAN, Periode.STATUS_CHOICES
# and TRANSISI.
UI_LABELS = (
    gettext_noop("Draf"), gettext_noop("Dikembalikan untuk perbaikan"), gettext_noop("Diajukan desa"),
    gettext_noop("Diverifikasi kecamatan"), gettext_noop("Disetujui kabupaten"), gettext_noop("Dipublikasikan"),
    gettext_noop("Dibuka"), gettext_noop("Ditutup"),
    gettext_noop("Ajukan"), gettext_noop("Verifikasi"), gettext_noop("Setujui"), gettext_noop("Publikasikan"),
    gettext_noop("Kembalikan untuk perbaikan"), gettext_noop("Batalkan persetujuan"),
    gettext_noop("diajukan"), gettext_noop("diverifikasi"), gettext_noop("disetujui"),
    gettext_noop("dipublikasikan"), gettext_noop("dikembalikan"), gettext_noop("dibatalkan persetujuannya"),
)


def _periode(kode: str):
    return periode_get(kode)  # unknown code: NotFound → 404 page listing the periods (web middleware)


def _pengajuan(request, periode, desa: str):
    try:
        pengajuan = selectors.pengajuan_get(periode=periode, desa_kode=desa, user=request.user)
    except ScopeDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    if pengajuan is None:
        raise Http404(_("Pengajuan tidak ditemukan."))
    return pengajuan


def _kembali(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = default
    return HttpResponseRedirect(target)


def _coba(request, action: Callable[[], str]) -> None:
    """Run a service call; its success text or its refusal (with findings) becomes a message."""
    try:
        messages.success(request, action())
    except ApplicationError as exc:
        detail = "; ".join(f.message for f in exc.findings[:5])
        messages.error(request, f"{exc.message} {f'({detail})' if detail else ''}".strip())


@login_required
def periode_index(request):
    return render(request, "updates/periode_list.html", {
        "periode": periode_list(),
        "boleh_kelola": selectors.periode_dapat_dikelola(user=request.user),
    })


@login_required
@require_POST
def periode_buka_view(request):
    def buka() -> str:
        periode = periode_buka(kode=request.POST.get("kode", ""), tenggat=request.POST.get("tenggat") or None,
                               pengguna=request.user)
        return _("Periode %(kode)s dibuka untuk %(n)s desa/kelurahan.") % {
            "kode": periode.kode, "n": periode.pengajuan.count()}

    _coba(request, buka)
    return HttpResponseRedirect(reverse("updates:index"))


@login_required
@require_POST
def periode_tutup_view(request, kode: str):
    periode = _periode(kode)
    _coba(request, lambda: _("Periode %(kode)s ditutup.") % {
        "kode": periode_tutup(periode=periode, pengguna=request.user).kode})
    return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))


@login_required
def progres(request, kode: str):
    periode = _periode(kode)
    return render(request, "updates/progres.html", {
        "progres": selectors.progres_periode(periode=periode, user=request.user),
        "periode": periode,
        "boleh_kelola": selectors.periode_dapat_dikelola(user=request.user),
    })


@login_required
def pengajuan_detail(request, kode: str, desa: str):
    periode = _periode(kode)
    pengajuan = _pengajuan(request, periode, desa)
    return render(request, "updates/pengajuan.html", {
        "periode": periode,
        "p": selectors.pengajuan_dict(pengajuan, user=request.user),
        "riwayat": selectors.pengajuan_riwayat(pengajuan=pengajuan),
    })


@login_required
@require_POST
def pengajuan_aksi(request, kode: str, desa: str, aksi: str):
    if aksi not in TRANSISI:
        raise Http404(_("Aksi tidak dikenal."))
    periode = _periode(kode)
    pengajuan = _pengajuan(request, periode, desa)

    def jalankan() -> str:
        hasil = pengajuan_transisi(aksi=aksi, pengajuan=pengajuan, pengguna=request.user,
                                   alasan=request.POST.get("alasan", ""))
        return _("Pengajuan %(desa)s berhasil %(hasil)s.") % {
            "desa": hasil.desa.nama_lengkap, "hasil": _(TRANSISI[aksi].hasil)}

    _coba(request, jalankan)
    return _kembali(request, reverse("updates:pengajuan", args=[periode.kode, desa]))
