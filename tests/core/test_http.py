"""``safe_next_url``: a submitted ``next`` is followed only when it is a path on this site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from presisi.core.http import safe_next_url

EVIL = ["//evil.example", "https://evil.example", "http://evil.example/x", "/\\evil.example", "\\\\evil.example",
        "javascript:alert(1)", " //evil.example", "///evil.example", "/\t/evil.example", "https:evil.example"]
OWN = ["/validasi/?desa=51.05.01.2001&periode=2026-S1", "/registri/", "/"]


@pytest.mark.parametrize("target", EVIL)
def test_helper_refuses_every_foreign_target(target):
    for request in (RequestFactory().post("/x/", {"next": target}), RequestFactory().get("/x/", {"next": target})):
        assert safe_next_url(request, "/aman/") == "/aman/"


@pytest.mark.parametrize("target", OWN)
def test_helper_keeps_our_own_paths(target):
    assert safe_next_url(RequestFactory().post("/x/", {"next": target}), "/aman/") == target
