from django.apps import AppConfig


class ValidationConfig(AppConfig):
    name = "presisi.validation"
    label = "validation"
    verbose_name = "Aturan Validasi"
