from django.apps import AppConfig


class UpdatesConfig(AppConfig):
    name = "presisi.updates"
    label = "updates"
    verbose_name = "Pemutakhiran dan Persetujuan"
