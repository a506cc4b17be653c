from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "presisi.accounts"
    label = "accounts"
    verbose_name = "Pengguna dan Peran"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from presisi.accounts import middleware  # noqa: F401  (connects the break-glass sign-in log)
        from presisi.accounts.sesi import sesi_catat

        def _sesi_masuk(sender, request, user, **kwargs) -> None:
            # "Sesi saya" lists a session from its first request on
            if request is not None:
                sesi_catat(request, paksa=True)

        user_logged_in.connect(_sesi_masuk, dispatch_uid="presisi.accounts.sesi_masuk", weak=False)
