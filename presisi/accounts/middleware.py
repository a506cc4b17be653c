"""The break-glass superuser leaves a trace of everything it does (audit log), sign-in included."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from presisi.core.audit import audit_log


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
