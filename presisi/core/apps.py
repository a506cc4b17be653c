from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "presisi.core"
    label = "core"
    verbose_name = "Inti"

    def ready(self) -> None:
        from presisi.core import checks  # noqa: F401  (registers the system checks)
