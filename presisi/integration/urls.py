from django.urls import path

from presisi.integration import views_spasial

app_name = "integration"
urlpatterns = [
    # spatial sector layers (issue #12 item 6)
    path("peta/", views_spasial.peta_list, name="spasial_list"),
    path("peta/<slug:kode>/", views_spasial.peta_detail, name="spasial_detail"),
]
