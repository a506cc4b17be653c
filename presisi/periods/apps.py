from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "presisi.periods"
    label = "periods"
    verbose_name = "Periode dan Penguncian Data"
