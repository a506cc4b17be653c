from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("akun/", include("presisi.accounts.urls")),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("presisi.api.urls")),
    path("registri/", include("presisi.registry.urls")),
    path("pemutakhiran/", include("presisi.updates.urls")),
    path("validasi/", include("presisi.validation.urls")),
    path("impor/", include("presisi.imports.urls")),
    path("dasbor/", include("presisi.dashboards.urls")),
    path("", include("presisi.web.urls")),
]
