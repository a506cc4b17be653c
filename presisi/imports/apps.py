from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "presisi.imports"
    label = "imports"
    verbose_name = "Impor Data"
