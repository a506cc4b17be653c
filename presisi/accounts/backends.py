"""Sign-in throttling (django-axes) adapted to Presisi: client address behind proxies, CLI logins."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check for every sign-in that arrives over the network.

    Axes refuses an ``authenticate()`` without a request; the only callers without one run on the
    server itself (management commands, Django's test client ``login``), where there is no remote
    guesser to throttle, so they pass on to the password backend unchanged.
    """

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or the entry PRESISI_PROXY_COUNT proxies back in X-Forwarded-For.

    Only the entries our own proxies appended are trusted; anything further left was sent by the
    client and could be forged to escape the per-address limit.
    """
    proxies = int(getattr(settings, "PRESISI_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None):
    """The lockout page (HTTP 429) in the user's language, saying how long the lock lasts and who can lift it."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "menit": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "accounts/terkunci.html", context, status=429)
