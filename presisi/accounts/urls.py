from django.urls import path

from presisi.accounts import views

app_name = "akun"
urlpatterns = [
    path("", views.akun, name="index"),
    path("2fa/daftar/", views.daftar, name="2fa_daftar"),
    path("2fa/verifikasi/", views.verifikasi, name="2fa_verifikasi"),
    path("2fa/kode-cadangan/", views.kode_cadangan, name="2fa_kode_cadangan"),
    path("2fa/nonaktifkan/", views.nonaktifkan, name="2fa_nonaktifkan"),
    path("sesi/", views.sesi_saya, name="sesi"),
    path("sesi/akhiri/", views.sesi_akhiri, name="sesi_akhiri"),
]
