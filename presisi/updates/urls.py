"""Web pages of the updates app (mounted at /updates/ by presisi/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "updates"
urlpatterns: list = []
