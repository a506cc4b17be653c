"""Account pages: "Akun saya", two-factor enrolment and verification, recovery codes, "Sesi saya".

Thin: each view calls a service in ``dua_faktor`` / ``sesi`` and renders; errors are the services'
Indonesian messages. Every state change is a POST.
"""

from __future__ import annotations

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from presisi.accounts import dua_faktor, sesi
from presisi.core.exceptions import NotFound, ValidationFailed

# recovery codes wait here between the POST that made them and the one page that shows them
_KODE_BARU = "_presisi_kode_cadangan_baru"


def _next(request, default: str = "web:tugas"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


def _qr_svg(uri: str) -> str:
    import segno

    # inline SVG, drawn with attributes only (no style=) so a strict Content-Security-Policy allows it
    return segno.make(uri, error="m").svg_inline(scale=4, border=4, light="#fff", svgclass="qr",
                                                  title=_("Kode QR untuk aplikasi autentikator"))


@login_required
def akun(request):
    user = request.user
    return render(request, "accounts/akun.html", {
        "wajib": dua_faktor.wajib_2fa(user),
        "aktif": dua_faktor.punya_2fa(user),
        "sisa_kode": dua_faktor.sisa_kode_cadangan(user),
        "jumlah_sesi": len(sesi.sesi_aktif(user, sekarang=request.session.session_key)),
    })


@login_required
def daftar(request):
    """Enrol an authenticator: scan the QR (or type the secret), confirm with one code."""
    user = request.user
    if dua_faktor.punya_2fa(user) and not dua_faktor.terverifikasi(user):
        return redirect(reverse("akun:2fa_verifikasi") + "?" + urlencode({"next": _next(request, "")}))
    error = None
    if request.method == "POST":
        try:
            codes = dua_faktor.totp_konfirmasi(request, request.POST.get("kode", ""))
        except ValidationFailed as exc:
            error = exc.message
        else:
            request.session[_KODE_BARU] = codes
            request.session["_presisi_setelah_kode"] = _next(request, "")
            return redirect("akun:2fa_kode_cadangan")
    device = dua_faktor.totp_mulai(user)
    secret = b32encode(device.bin_key).decode()
    return render(request, "accounts/2fa_daftar.html", {
        "qr": _qr_svg(device.config_url),
        "rahasia": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "error": error,
        "wajib": dua_faktor.wajib_2fa(user),
        "ganti": dua_faktor.punya_2fa(user),
        "next": _next(request, ""),
    }, status=400 if error else 200)


@login_required
def verifikasi(request):
    """The second step of signing in: a code from the authenticator, or a recovery code."""
    user = request.user
    if not dua_faktor.punya_2fa(user):
        return redirect("akun:2fa_daftar") if dua_faktor.wajib_2fa(user) else redirect(_next(request))
    if dua_faktor.terverifikasi(user):
        return redirect(_next(request))
    error = None
    if request.method == "POST":
        try:
            dua_faktor.verifikasi(request, request.POST.get("kode", ""))
        except ValidationFailed as exc:
            error = exc.message
        else:
            return redirect(_next(request))
    return render(request, "accounts/2fa_verifikasi.html", {"error": error, "next": _next(request, "")},
                  status=400 if error else 200)


@login_required
def kode_cadangan(request):
    """Shows freshly made recovery codes exactly once; POST makes a new set (the old ones stop working)."""
    if request.method == "POST":
        try:
            request.session[_KODE_BARU] = dua_faktor.kode_cadangan_buat_ulang(request.user)
        except ValidationFailed as exc:
            messages.error(request, exc.message)
            return redirect("akun:index")
        return redirect("akun:2fa_kode_cadangan")
    codes = request.session.pop(_KODE_BARU, None)
    lanjut = request.session.pop("_presisi_setelah_kode", "") or reverse("akun:index")
    return render(request, "accounts/2fa_kode_cadangan.html", {
        "kode": codes or [], "lanjut": lanjut if url_has_allowed_host_and_scheme(
            lanjut, allowed_hosts={request.get_host()}) else reverse("akun:index"),
        "sisa": dua_faktor.sisa_kode_cadangan(request.user)})


@login_required
@require_POST
def nonaktifkan(request):
    try:
        dua_faktor.nonaktifkan(request.user)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Verifikasi dua langkah dinonaktifkan."))
    return redirect("akun:index")


@login_required
def sesi_saya(request):
    return render(request, "accounts/sesi.html", {
        "sesi": sesi.sesi_aktif(request.user, sekarang=request.session.session_key)})


@login_required
@require_POST
def sesi_akhiri(request):
    sekarang = request.session.session_key
    if request.POST.get("semua_lainnya"):
        n = sesi.sesi_akhiri_lainnya(request.user, sekarang=sekarang)
        messages.success(request, _("%(n)d sesi lain diakhiri.") % {"n": n})
        return redirect("akun:sesi")
    try:
        sesi.sesi_akhiri(request.user, id=request.POST.get("id", ""), sekarang=sekarang)
    except NotFound:
        messages.error(request, _("Sesi tidak ditemukan (mungkin sudah berakhir)."))
        return redirect("akun:sesi")
    if not request.session.exists(sekarang or ""):
        return redirect("login")  # the user ended the session they were using
    messages.success(request, _("Sesi diakhiri."))
    return redirect("akun:sesi")

