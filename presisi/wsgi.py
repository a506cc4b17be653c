import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "presisi.settings")
application = get_wsgi_application()
# A production server (DEBUG off) must never run on the key published in settings.py.
if getattr(settings, "DEFAULT_SECRET_KEY", None) == settings.SECRET_KEY and not settings.DEBUG:
    from presisi.settings import assert_safe_to_serve

    assert_safe_to_serve(settings.DEBUG, settings.SECRET_KEY)
