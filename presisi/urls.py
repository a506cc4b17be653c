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
    path("privasi/", include("presisi.privasi.urls")),
    path("sektor/", include("presisi.integration.urls")),
    path("", include("presisi.web.urls")),
]

# A request body above the size limits is a 413 with an Indonesian explanation, not a bare 400.
handler400 = "presisi.web.views.bad_request"
# Styled pages in the visitor's language; the 500 page renders without the database or context processors.
handler403 = "presisi.web.views.permission_denied"
handler404 = "presisi.web.views.page_not_found"
handler500 = "presisi.web.views.server_error"
