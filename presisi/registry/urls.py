"""Web pages of the registry app (mounted at /registri/ by presisi/urls.py).

No delete route exists: records are corrected or change status through events.
"""

from django.urls import path

from presisi.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.mulai, name="mulai"),
    path("desa/<str:kode>/", views.desa, name="desa"),
    path("desa/<str:kode>/keluarga/baru/", views.keluarga_baru, name="keluarga_baru"),
    path("desa/<str:kode>/rumah-tangga/baru/", views.rumah_tangga_baru, name="rumah_tangga_baru"),
    path("desa/<str:kode>/bangunan/baru/", views.bangunan_baru, name="bangunan_baru"),
    path("desa/<str:kode>/penduduk.xlsx", views.penduduk_xlsx, name="penduduk_xlsx"),
    path("keluarga/<int:pk>/", views.keluarga, name="keluarga"),
    path("keluarga/<int:pk>/ubah/", views.keluarga_ubah, name="keluarga_ubah"),
    path("keluarga/<int:pk>/anggota/baru/", views.anggota_baru, name="anggota_baru"),
    path("keluarga/<int:pk>/lahir/", views.kelahiran, name="kelahiran"),
    path("keluarga/<int:pk>/datang/", views.kedatangan, name="kedatangan"),
    path("keluarga/<int:pk>/riwayat/", views.keluarga_riwayat, name="keluarga_riwayat"),
    path("individu/<int:pk>/", views.individu, name="individu"),
    path("individu/<int:pk>/ubah/", views.individu_ubah, name="individu_ubah"),
    path("individu/<int:pk>/peristiwa/<slug:jenis>/", views.individu_peristiwa, name="individu_peristiwa"),
    path("individu/<int:pk>/pindah-kk/", views.individu_pindah_kk, name="individu_pindah_kk"),
    path("individu/<int:pk>/nik/", views.individu_ganti_nik, name="individu_ganti_nik"),
    path("individu/<int:pk>/riwayat/", views.individu_riwayat, name="individu_riwayat"),
    path("rumah-tangga/<int:pk>/", views.rumah_tangga, name="rumah_tangga"),
    path("rumah-tangga/<int:pk>/ubah/", views.rumah_tangga_ubah, name="rumah_tangga_ubah"),
    path("rumah-tangga/<int:pk>/anggota/", views.rumah_tangga_anggota, name="rumah_tangga_anggota"),
    path("rumah-tangga/<int:pk>/riwayat/", views.rumah_tangga_riwayat, name="rumah_tangga_riwayat"),
    path("bangunan/<int:pk>/", views.bangunan, name="bangunan"),
    path("bangunan/<int:pk>/ubah/", views.bangunan_ubah, name="bangunan_ubah"),
    path("bangunan/<int:pk>/riwayat/", views.bangunan_riwayat, name="bangunan_riwayat"),
    path("pdp/", views.pdp_log, name="pdp_log"),
]
