from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "presisi.indicators"
    label = "indicators"
