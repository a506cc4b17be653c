"""System checks of our own: ``presisi check --deploy`` fails on the published development key."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_secret_key_not_default(app_configs, **kwargs) -> list[Error]:
    default = getattr(settings, "DEFAULT_SECRET_KEY", None)
    if default and default == settings.SECRET_KEY:
        return [Error(
            "SECRET_KEY masih kunci bawaan pengembangan (SECRET_KEY is the built-in development key).",
            hint="Setel SECRET_KEY atau SECRET_KEY_FILE ke nilai acak rahasia sebelum produksi.",
            id="presisi.E001",
        )]
    return []
