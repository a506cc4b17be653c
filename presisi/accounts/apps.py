from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "presisi.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Peran"

    def ready(self) -> None:
        from presisi.accounts import middleware  # noqa: F401  (connects the break-glass sign-in log)
