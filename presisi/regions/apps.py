from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "presisi.regions"
    label = "regions"
    verbose_name = "Wilayah"
