"""Pages of the integration app (mounted at / by presisi/urls.py; each part under its own prefix)."""

from django.urls import path

from presisi.integration import views_sektor

app_name = "integration"
urlpatterns = [
    # sector catalogue, deliveries, connectors
    path("sektor/", views_sektor.sektor_list, name="sektor_list"),
    path("sektor/baru/", views_sektor.sektor_baru, name="sektor_baru"),
    path("sektor/pengiriman/<int:pk>/", views_sektor.pengiriman_detail, name="pengiriman_detail"),
    path("sektor/konektor/<int:pk>/", views_sektor.konektor_ubah, name="konektor_ubah"),
    path("sektor/<slug:kode>/", views_sektor.sektor_detail, name="sektor_detail"),
    path("sektor/<slug:kode>/ubah/", views_sektor.sektor_ubah, name="sektor_ubah"),
    path("sektor/<slug:kode>/kirim/", views_sektor.sektor_kirim, name="sektor_kirim"),
    path("sektor/<slug:kode>/konektor/", views_sektor.sektor_konektor, name="sektor_konektor"),
]
