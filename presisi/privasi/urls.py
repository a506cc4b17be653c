"""Privacy pages (mounted at /privasi/ by presisi/urls.py)."""

from django.urls import path

from presisi.privasi import views

app_name = "privasi"
urlpatterns = [
    path("", views.indeks, name="indeks"),
    path("subjek/", views.subjek_cari, name="subjek_cari"),
    path("subjek/<int:pk>/", views.subjek, name="subjek"),
    path("subjek/<int:pk>/laporan.<str:fmt>", views.subjek_berkas, name="subjek_berkas"),
    path("perbaikan/", views.perbaikan_list, name="perbaikan_list"),
    path("perbaikan/baru/", views.perbaikan_baru, name="perbaikan_baru"),
    path("perbaikan/<int:pk>/", views.perbaikan, name="perbaikan"),
    path("insiden/", views.insiden_list, name="insiden_list"),
    path("insiden/baru/", views.insiden_baru, name="insiden_baru"),
    path("insiden/<int:pk>/", views.insiden, name="insiden"),
]
