"""Web pages of the validation app (mounted at /validation/ by presisi/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "validation"
urlpatterns: list = []
