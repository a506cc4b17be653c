from django.urls import path

from presisi.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("tugas/", views.tugas, name="tugas"),
    path("wilayah/adat/", views.wilayah_adat, name="wilayah_adat"),  # before wilayah/<kode>/
    path("wilayah/<str:kode>/", views.wilayah_detail, name="wilayah"),
]
