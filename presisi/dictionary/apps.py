from django.apps import AppConfig


class DictionaryConfig(AppConfig):
    name = "presisi.dictionary"
    label = "dictionary"
    verbose_name = "Kamus Data"
