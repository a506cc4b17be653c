from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from presisi.api import views

v1 = [
    path("wilayah/", views.WilayahListApi.as_view(), name="wilayah-list"),
    path("wilayah.geojson", views.WilayahGeoJsonApi.as_view(), name="wilayah-geojson"),
    path("wilayah-adat/", views.WilayahAdatListApi.as_view(), name="wilayah-adat-list"),
    path("statistik/", views.StatistikApi.as_view(), name="statistik"),
    path("statistik/<str:kode>/", views.StatistikWilayahApi.as_view(), name="statistik-wilayah"),
    path("kamus/variabel/", views.KamusVariabelApi.as_view(), name="kamus-variabel"),
    path("kamus/klasifikasi/", views.KamusKlasifikasiApi.as_view(), name="kamus-klasifikasi"),
    path("kamus.xlsx", views.KamusXlsxApi.as_view(), name="kamus-xlsx"),
    path("", include("presisi.registry.apis")),
    path("", include("presisi.updates.apis")),
    path("", include("presisi.validation.apis")),
    path("", include("presisi.imports.apis")),
    path("", include("presisi.indicators.apis")),
    path("", include("presisi.privasi.apis")),
    path("", include("presisi.integration.apis")),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # browsable documentation of the schema above; the page's script is a second request to the same
    # view (?script), so the strict Content-Security-Policy needs no exception
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/dokumentasi.html",
                                                      title="Presisi API"), name="api-docs"),
    path("v1/", include((v1, "api"), namespace="v1")),
]
