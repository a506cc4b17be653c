from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "presisi.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Peran"
