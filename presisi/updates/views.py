"""Web pages of the update cycle. Views adapt only: selectors decide what is shown and which
buttons exist, services decide whether an action is allowed; errors become messages."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from presisi.core.exceptions import ApplicationError
from presisi.core.exceptions import PermissionDenied as ScopeDenied
from presisi.periods.selectors import periode_get, periode_list
from presisi.updates import selectors
from presisi.updates.services import pengajuan_putuskan_banyak, periode_buka, periode_tutup
from presisi.updates.workflow import TRANSISI, pastikan_boleh_memutuskan, pastikan_pengelola_periode

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
    except ScopeDenied as exc:  # a foreign desa: 404 like an unknown one (no id is confirmed)
        raise Http404(_("Pengajuan tidak ditemukan.")) from exc
    if pengajuan is None:
        raise Http404(_("Pengajuan tidak ditemukan."))
    return pengajuan


def _hanya(request, check: Callable[..., None], **kwargs) -> None:
    """A role that may never do this gets 403 at once (not a redirect with a message)."""
    try:
        check(request.user, **kwargs)
    except ApplicationError as exc:
        raise DjangoPermissionDenied(exc.message) from exc


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
    _hanya(request, pastikan_pengelola_periode, tindakan="membuka periode")
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
    _hanya(request, pastikan_pengelola_periode, tindakan="menutup periode")
    periode = _periode(kode)
    if request.POST.get("konfirmasi") != "ya":  # no one-click decisions (issue #10)
        messages.error(request, _("Centang konfirmasi untuk melanjutkan."))
        return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))
    _coba(request, lambda: _("Periode %(kode)s ditutup.") % {
        "kode": periode_tutup(periode=periode, pengguna=request.user).kode})
    return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))


@login_required
def progres(request, kode: str):
    periode = _periode(kode)
    progres_data = selectors.progres_periode(periode=periode, user=request.user)
    return render(request, "updates/progres.html", {
        "progres": progres_data,
        "aksi_pilihan": _aksi_pilihan([d for kec in progres_data["kecamatan"] for d in kec["desa"]]),
        "periode": periode,
        "boleh_kelola": selectors.periode_dapat_dikelola(user=request.user),
    })


@login_required
@require_POST
def pengajuan_aksi(request, kode: str, desa: str, aksi: str):
    """The old one-click endpoint: a decision always goes through the confirmation page now."""
    if aksi not in TRANSISI:
        raise Http404(_("Aksi tidak dikenal."))
    _hanya(request, pastikan_boleh_memutuskan)
    periode = _periode(kode)
    _pengajuan(request, periode, desa)
    query = urlencode({"aksi": aksi, "desa": desa})
    return HttpResponseRedirect(f"{reverse('updates:keputusan', args=[periode.kode])}?{query}", status=303)


# --- review page and decisions with confirmation -----------------------------------------------------------
# No one-click decisions: the board and the review page lead to a confirmation (explicit checkbox,
# comment; required for a return), the POST runs the single-decision service per desa and the
# report is shown after a redirect. A form token makes a double submit one decision.

TOKEN_SESI = "updates_keputusan_token"
HASIL_SESI = "updates_keputusan_hasil"
TOKEN_BATAS = 20


def _token_baru(request) -> str:
    token = secrets.token_urlsafe(16)
    tokens = [*request.session.get(TOKEN_SESI, []), token][-TOKEN_BATAS:]
    request.session[TOKEN_SESI] = tokens
    return token


def _token_pakai(request, token: str) -> bool:
    """True once per token issued to this session (the first submit); False on a replay."""
    tokens = request.session.get(TOKEN_SESI, [])
    if not token or token not in tokens:
        return False
    request.session[TOKEN_SESI] = [t for t in tokens if t != token]
    return True


def _aksi_pilihan(rows: list[dict]) -> list[dict]:
    """Actions the user may take on at least one of the rows, in the workflow's order."""
    boleh = {a["aksi"] for d in rows for a in d["aksi"]}
    return [t.as_dict() for t in TRANSISI.values() if t.aksi in boleh]


@login_required
def tinjauan_view(request, kode: str, desa: str):
    periode = _periode(kode)
    pengajuan = _pengajuan(request, periode, desa)
    t = selectors.tinjauan_desa(pengajuan=pengajuan, user=request.user)
    selectors.tinjauan_catat_akses(t, user=request.user)
    return render(request, "updates/tinjauan.html", {
        "periode": periode, "t": t, "p": t["pengajuan"], "token": _token_baru(request),
    })


def _desa_dipilih(request) -> list[str]:
    data = request.POST if request.method == "POST" else request.GET
    return list(dict.fromkeys(k.strip() for k in data.getlist("desa") if k.strip()))


@login_required
def keputusan_view(request, kode: str):
    """GET: the confirmation page for one action on the chosen desa. POST: decide, then show the report."""
    _hanya(request, pastikan_boleh_memutuskan)
    periode = _periode(kode)
    data = request.POST if request.method == "POST" else request.GET
    aksi = data.get("aksi", "")
    kode_desa = _desa_dipilih(request)
    if aksi not in TRANSISI:
        messages.error(request, _("Pilih aksi yang akan dilakukan."))
        return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))
    if not kode_desa:
        messages.error(request, _("Pilih minimal satu desa."))
        return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))
    transisi = TRANSISI[aksi]
    galat: list[str] = []
    if request.method == "POST":
        komentar = request.POST.get("komentar", "").strip()
        token = request.POST.get("token", "")
        if request.POST.get("konfirmasi") != "ya":
            galat.append(_("Centang konfirmasi untuk melanjutkan."))
        if transisi.alasan_wajib and not komentar:
            galat.append(_("Alasan wajib diisi untuk '%(aksi)s'.") % {"aksi": _(transisi.label)})
        if not galat:
            if not _token_pakai(request, token):
                selesai = request.session.get(HASIL_SESI, {})
                if token in selesai:  # the same form sent twice: show the first result
                    return HttpResponseRedirect(reverse("updates:keputusan_hasil", args=[periode.kode]) + f"?t={token}")
                messages.error(request, _("Formulir ini sudah kedaluwarsa; periksa kembali lalu konfirmasi ulang."))
            else:
                try:
                    hasil = pengajuan_putuskan_banyak(periode=periode, desa_kode=kode_desa, aksi=aksi,
                                                      pengguna=request.user, komentar=komentar)
                except ApplicationError as exc:
                    galat.append(exc.message)
                else:
                    selesai = dict(list(request.session.get(HASIL_SESI, {}).items())[-TOKEN_BATAS + 1:])
                    selesai[token] = {"aksi": aksi, "komentar": komentar, "hasil": [h.as_dict() for h in hasil]}
                    request.session[HASIL_SESI] = selesai
                    return HttpResponseRedirect(reverse("updates:keputusan_hasil", args=[periode.kode]) + f"?t={token}")
    rows = selectors.pengajuan_list(periode=periode, user=request.user).filter(desa__kode__in=kode_desa)
    daftar = selectors.pengajuan_dicts(list(rows), periode=periode, user=request.user)
    for d in daftar:
        d["boleh"] = any(a["aksi"] == aksi for a in d["aksi"])
    return render(request, "updates/keputusan.html", {
        "periode": periode, "transisi": transisi.as_dict(), "daftar": daftar, "galat": galat,
        "tidak_dikenal": sorted(set(kode_desa) - {d["desa"] for d in daftar}),
        "komentar": request.POST.get("komentar", ""), "token": _token_baru(request),
    }, status=400 if galat else 200)


@login_required
def keputusan_hasil(request, kode: str):
    periode = _periode(kode)
    laporan = request.session.get(HASIL_SESI, {}).get(request.GET.get("t", ""))
    if laporan is None:
        return HttpResponseRedirect(reverse("updates:progres", args=[periode.kode]))
    return render(request, "updates/keputusan_hasil.html", {
        "periode": periode, "laporan": laporan, "transisi": TRANSISI[laporan["aksi"]].as_dict(),
        "berhasil": sum(1 for h in laporan["hasil"] if h["berhasil"]),
    })
