"""API v1 of the integration app (mounted under /api/v1/ by presisi/api/urls.py): each part in its own module."""

from django.urls import include, path

urlpatterns = [
    # sector catalogue, deliveries, push endpoint
    path("", include("presisi.integration.apis_sektor")),
    # record linkage review queue
    path("", include("presisi.integration.apis_tautan")),
    # where the sources disagree; targeting accuracy
    path("", include("presisi.integration.apis_selisih")),
    # spatial sector layers: /sektor/lapisan/…, /sektor/paparan/
    path("", include("presisi.integration.apis_spasial")),
]
