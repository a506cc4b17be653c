from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "presisi.integration"
    label = "integration"
    verbose_name = "Integrasi data sektoral"
