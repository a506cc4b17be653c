"""API v1 endpoints of the registry app (mounted under /api/v1/ by presisi/api/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
