from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "presisi.core"
    label = "core"
    verbose_name = "Inti"
