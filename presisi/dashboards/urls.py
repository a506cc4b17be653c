from django.urls import path

from presisi.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.indeks, name="indeks"),
    path("atur/", views.atur_list, name="atur_list"),
    path("atur/<slug:kode>/", views.atur, name="atur"),
    path("profil/<str:kode>/", views.profil, name="profil"),
    path("profil/<str:kode>/pdf/", views.profil_pdf, name="profil_pdf"),
    path("profil/<str:kode>/unduh/<slug:tabel>.<slug:fmt>", views.profil_unduh, name="profil_unduh"),
    path("<slug:kode>/", views.dasbor, name="dasbor"),
    path("<slug:kode>/unduh/<slug:tabel>.<slug:fmt>", views.unduh, name="unduh"),
]
