"""Sector integration pages, mounted at /sektor/ by presisi/urls.py.

Fixed prefixes come first: the catalogue's ``<kode>/`` routes match any slug, so a dataset
code can never shadow the review queue, the discrepancy report, targeting or the map layers
(the dataset service refuses those words as codes).
"""

from django.urls import path

from presisi.integration import views_sasaran, views_sektor, views_selisih, views_spasial, views_tautan

app_name = "integration"
urlpatterns = [
    # ---- record linkage: review queue and registry duplicates
    path("tinjau/", views_tautan.tinjau, name="tinjau"),
    path("tinjau/<int:baris_id>/", views_tautan.tinjau_baris, name="tinjau_baris"),
    path("ganda/", views_tautan.ganda, name="ganda"),
    path("ganda/<int:pk>/", views_tautan.ganda_pasangan, name="ganda_pasangan"),
    # ---- where the sources disagree; targeting accuracy
    path("selisih/", views_selisih.selisih, name="selisih"),
    path("selisih/unduh.<slug:fmt>", views_selisih.selisih_unduh, name="selisih_unduh"),
    path("sasaran/", views_sasaran.sasaran, name="sasaran"),
    path("sasaran/<slug:program>/<str:kode_wilayah>/", views_sasaran.sasaran_wilayah, name="sasaran_wilayah"),
    # ---- spatial sector layers (hazard zones, networks, protected areas)
    path("peta/", views_spasial.peta_list, name="spasial_list"),
    path("peta/<slug:kode>/", views_spasial.peta_detail, name="spasial_detail"),
    # ---- sector catalogue, deliveries, connectors (the dataset-code routes last)
    path("", views_sektor.sektor_list, name="sektor_list"),
    path("baru/", views_sektor.sektor_baru, name="sektor_baru"),
    path("pengiriman/<int:pk>/", views_sektor.pengiriman_detail, name="pengiriman_detail"),
    path("konektor/<int:pk>/", views_sektor.konektor_ubah, name="konektor_ubah"),
    path("<slug:kode>/", views_sektor.sektor_detail, name="sektor_detail"),
    path("<slug:kode>/ubah/", views_sektor.sektor_ubah, name="sektor_ubah"),
    path("<slug:kode>/kirim/", views_sektor.sektor_kirim, name="sektor_kirim"),
    path("<slug:kode>/konektor/", views_sektor.sektor_konektor, name="sektor_konektor"),
]
