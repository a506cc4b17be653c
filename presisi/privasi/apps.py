from django.apps import AppConfig


class PrivasiConfig(AppConfig):
    name = "presisi.privasi"
    label = "privasi"
    verbose_name = "Pelindungan data pribadi (UU PDP)"
