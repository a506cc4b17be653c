"""Domain errors that escape a web view become pages, like the API's mapping in presisi/api/exceptions.py."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from presisi.core.exceptions import NotFound, PermissionDenied


class NotFoundMiddleware:
    """A ``NotFound`` (e.g. an unknown period code in a URL) is a 404 page that says what exists.

    Views look periods up with ``presisi.periods.selectors.periode_get`` and let its error
    through; the page shows its message and findings (e.g. the known period codes).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and not request.path.startswith("/api/"):
            # a refusal no view turned into its own page: the styled 403, never a 500
            from presisi.web.views import permission_denied

            return permission_denied(request, exception)
        if not isinstance(exception, NotFound):
            return None
        return render(request, "web/tidak_ditemukan.html", {"error": exception}, status=404)


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def too_large_response(request) -> HttpResponse:
    """413 with an Indonesian message (page or JSON), for a body above the configured limit."""
    maks = settings.PRESISI_UNGGAH_MAKS_MB
    pesan = _("Kiriman terlalu besar: batasnya %(maks)s MB per kiriman. Bagi berkas menjadi beberapa "
              "kiriman atau perkecil isinya.") % {"maks": maks}
    if _wants_json(request):
        return JsonResponse({"pesan": pesan, "temuan": []}, status=413)
    return render(request, "web/terlalu_besar.html", {"pesan": pesan}, status=413)


class UploadLimitMiddleware:
    """Refuse a request body bigger than ``PRESISI_UNGGAH_MAKS_MB`` before anything reads it.

    The declared Content-Length is enough: Django never reads more than that, and a client that
    lies gets a truncated body. Form fields above ``DATA_UPLOAD_MAX_MEMORY_SIZE`` are caught while
    parsing and answered 413 by ``presisi.web.views.bad_request`` (Django's 400 handler)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PRESISI_UNGGAH_MAKS_MB * 1024 * 1024:
            return too_large_response(request)
        return self.get_response(request)
