from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "presisi.web"
    label = "web"
