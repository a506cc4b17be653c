"""Web pages of the updates app (mounted at /pemutakhiran/ by presisi/urls.py)."""

from django.urls import path

from presisi.updates import views

app_name = "updates"
urlpatterns = [
    path("", views.periode_index, name="index"),
    path("buka/", views.periode_buka_view, name="buka"),
    path("<str:kode>/", views.progres, name="progres"),
    path("<str:kode>/tutup/", views.periode_tutup_view, name="tutup"),
    path("<str:kode>/keputusan/", views.keputusan_view, name="keputusan"),
    path("<str:kode>/keputusan/hasil/", views.keputusan_hasil, name="keputusan_hasil"),
    path("<str:kode>/<str:desa>/", views.tinjauan_view, name="pengajuan"),
    path("<str:kode>/<str:desa>/<str:aksi>/", views.pengajuan_aksi, name="aksi"),
]
