from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

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
    # Django's password change in the site's own look (its default template is the admin's); it keeps
    # this session and ends every other one (session auth hash)
    path("ganti-sandi/", auth_views.PasswordChangeView.as_view(
        template_name="accounts/ganti_sandi.html", success_url=reverse_lazy("akun:ganti_sandi_selesai")),
        name="ganti_sandi"),
    path("ganti-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(
        template_name="accounts/ganti_sandi_selesai.html"), name="ganti_sandi_selesai"),
]
