"""Holding back a signed-in user who still owes the second factor; keeping 'Sesi saya' current;
leaving a trace of everything the break-glass superuser does.

``DuaFaktorMiddleware`` runs right after django-otp's ``OTPMiddleware`` (which marks
``request.user.is_verified()``). Until verified, a user whose role requires two-factor sign-in (or who
turned it on) reaches only the verification/enrolment pages, logout, static files and the language
switch: pages redirect there, the API answers 403 with a JSON explanation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from presisi.accounts.dua_faktor import perlu_verifikasi, punya_2fa
from presisi.accounts.sesi import sesi_catat
from presisi.core.audit import audit_log


class DuaFaktorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            sesi_catat(request)
            if perlu_verifikasi(user) and not self._terbuka(request.path_info):
                return self._tahan(request, user)
        return self.get_response(request)

    @staticmethod
    def _terbuka(path: str) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        terbuka = (reverse("akun:2fa_verifikasi"), reverse("akun:2fa_daftar"), reverse("logout"))
        return path in terbuka or path.startswith((static, "/i18n/"))

    @staticmethod
    def _tahan(request, user):
        enrolled = punya_2fa(user)
        if request.path_info.startswith("/api/"):
            pesan = (_("Verifikasi dua langkah belum selesai: masukkan kode autentikator di halaman "
                       "/akun/2fa/verifikasi/ sebelum memakai API.") if enrolled else
                     _("Peran Anda wajib memakai verifikasi dua langkah: daftarkan aplikasi autentikator di "
                       "halaman /akun/2fa/daftar/ sebelum memakai API."))
            return JsonResponse({"pesan": pesan, "temuan": [], "kode": "verifikasi_dua_langkah"}, status=403)
        target = reverse("akun:2fa_verifikasi" if enrolled else "akun:2fa_daftar")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)


def _darurat(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False))


class DaruratAuditMiddleware:
    """One audit row per request of a superuser (only the break-glass account is one): method, path,
    query and the response status. Roles are audited by the services they call, not here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if _darurat(user):
            from presisi.accounts.services import AKSI_DARURAT_PERMINTAAN

            audit_log(aksi=AKSI_DARURAT_PERMINTAAN, pengguna=user, sesudah={
                "metode": request.method, "path": request.path, "query": request.META.get("QUERY_STRING", "")[:500],
                "status": response.status_code})
        return response


@receiver(user_logged_in)
def _catat_masuk_darurat(sender, request, user, **kwargs) -> None:
    if _darurat(user):
        from presisi.accounts.services import AKSI_DARURAT_MASUK

        audit_log(aksi=AKSI_DARURAT_MASUK, pengguna=user, sesudah={
            "username": user.username, "alamat": request.META.get("REMOTE_ADDR", "") if request else ""})
