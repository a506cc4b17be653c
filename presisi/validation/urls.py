"""Web pages of the validation app (mounted at /validasi/ by presisi/urls.py)."""

from django.urls import path

from presisi.validation import views

app_name = "validation"
urlpatterns = [
    path("", views.temuan_daftar, name="temuan"),
    path("temuan/justifikasi/", views.temuan_justifikasi_banyak_view, name="justifikasi_banyak"),
    path("temuan/<int:temuan_id>/justifikasi/", views.temuan_justifikasi_view, name="justifikasi"),
]
