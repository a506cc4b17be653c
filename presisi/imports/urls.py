"""Web pages of the imports app (mounted at /impor/ by presisi/urls.py)."""

from django.urls import path

from presisi.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.impor_unggah, name="unggah"),
    path("banyak/", views.impor_banyak, name="banyak"),
    path("<int:impor_id>/", views.impor_detail, name="detail"),
    path("<int:impor_id>/temuan.xlsx", views.impor_temuan_xlsx, name="temuan-xlsx"),
    path("templat/<str:kode>.xlsx", views.templat_xlsx, name="templat"),
    path("registri/<str:kode>.xlsx", views.registri_xlsx, name="registri"),
]
