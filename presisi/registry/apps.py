from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "presisi.registry"
    label = "registry"
    verbose_name = "Registri Desa Presisi"
