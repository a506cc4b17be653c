from django.urls import path

from presisi.integration import views_sasaran, views_selisih

app_name = "integration"
urlpatterns = [
    # ---- where the sources disagree; targeting accuracy (selisih/sasaran)
    path("selisih/", views_selisih.selisih, name="selisih"),
    path("selisih/unduh.<slug:fmt>", views_selisih.selisih_unduh, name="selisih_unduh"),
    path("sasaran/", views_sasaran.sasaran, name="sasaran"),
    path("sasaran/<slug:program>/<str:kode_wilayah>/", views_sasaran.sasaran_wilayah, name="sasaran_wilayah"),
]
