from django.urls import path

from presisi.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("tugas/", views.tugas, name="tugas"),
    path("wilayah/<str:kode>/", views.wilayah_detail, name="wilayah"),
]
