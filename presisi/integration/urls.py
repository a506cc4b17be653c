"""Sector integration pages (mounted at /sektor/ by presisi/urls.py)."""

from django.urls import path

from presisi.integration import views_tautan

app_name = "integration"
urlpatterns = [
    # ---- record linkage: review queue and registry duplicates
    path("tinjau/", views_tautan.tinjau, name="tinjau"),
    path("tinjau/<int:baris_id>/", views_tautan.tinjau_baris, name="tinjau_baris"),
    path("ganda/", views_tautan.ganda, name="ganda"),
    path("ganda/<int:pk>/", views_tautan.ganda_pasangan, name="ganda_pasangan"),
]
