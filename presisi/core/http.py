"""Small HTTP helpers shared by the web views."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """Where to go after a form: the submitted ``next`` only when it is a path on this site.

    An open redirect (``next=//evil.example``, ``https://evil.example``, ``/\\evil.example``,
    ``javascript:...``) would let a link that looks like ours send a signed-in user elsewhere;
    anything but our own absolute path (``/validasi/?desa=...``) falls back to ``fallback``
    (a URL name or path)."""
    target = (request.POST.get(field) or request.GET.get(field) or "").strip()
    own_path = target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target
    if own_path and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure()):
        return target
    return resolve_url(fallback)
