"""Domain errors that escape a web view become pages, like the API's mapping in presisi/api/exceptions.py."""

from __future__ import annotations

from django.shortcuts import render

from presisi.core.exceptions import NotFound


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
        if not isinstance(exception, NotFound):
            return None
        return render(request, "web/tidak_ditemukan.html", {"error": exception}, status=404)
