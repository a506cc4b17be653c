from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "presisi.api"
    label = "api"
