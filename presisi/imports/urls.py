"""Web pages of the imports app (mounted at /imports/ by presisi/urls.py)."""

from django.urls import path  # noqa: F401

app_name = "imports"
urlpatterns: list = []
