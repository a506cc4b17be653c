"""Django settings for Presisi.

Everything comes from the environment (DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS);
without it the project runs on SQLite under ``var/`` with safe local defaults.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("PRESISI_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("PRESISI_VAR", PROJECT_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)
# A fixed key is only acceptable for local use; production must set SECRET_KEY (or SECRET_KEY_FILE,
# a file holding it). The server refuses to start on the default with DEBUG off (see presisi/wsgi.py).
DEFAULT_SECRET_KEY = "presisi-local-development-key-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    Path(os.environ["SECRET_KEY_FILE"]).read_text().strip() if os.environ.get("SECRET_KEY_FILE") else DEFAULT_SECRET_KEY
)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files (no CDN)
    "django_tasks",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "presisi.core",
    "presisi.regions",
    "presisi.dictionary",
    "presisi.accounts",
    "presisi.periods",
    "presisi.registry",
    "presisi.updates",
    "presisi.validation",
    "presisi.imports",
    "presisi.synth",
    "presisi.indicators",
    "presisi.dashboards",
    "presisi.privasi",
    "presisi.integration",
    "presisi.web",
    "presisi.api",
]

MIDDLEWARE = [
    # First, so that every answer carries the policy, even the 400 of a refused Host header.
    "csp.middleware.CSPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (and after the language is known): a request above
    # PRESISI_UNGGAH_MAKS_MB is a clear 413.
    "presisi.web.middleware.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # the break-glass superuser: every request it makes goes to the audit log, also those held back
    # for the second factor (so it wraps the two below)
    "presisi.accounts.middleware.DaruratAuditMiddleware",
    # Two-factor sign-in: django-otp marks the verified device, then Presisi holds back every page
    # and API call of a user who still owes the second factor (and keeps "Sesi saya" up to date).
    "django_otp.middleware.OTPMiddleware",
    "presisi.accounts.middleware.DuaFaktorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "presisi.web.middleware.NotFoundMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "presisi.urls"
# a refused form (expired CSRF token) is the styled 403 page in the visitor's language
CSRF_FAILURE_VIEW = "presisi.web.views.csrf_failure"
WSGI_APPLICATION = "presisi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "presisi.web.context_processors.menu",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'presisi.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import or synth run writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-200000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id for new and changed passwords; PBKDF2 stays so existing hashes still verify (and are
# upgraded to Argon2 at the user's next sign-in).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# --- Sign-in protection (django-axes) -------------------------------------------------------
# Both limits apply independently: 10 failures for one username (from any address) lock that
# account, and 10 failures from one address (for any usernames) lock that address. The account
# limit stops slow guessing spread over many addresses; the address limit stops one machine
# spraying many usernames. Locks lift by themselves after AXES_COOLOFF_TIME, or at once with
# ``presisi pengguna buka-kunci USERNAME`` / the "Axes" pages of the admin.
AUTHENTICATION_BACKENDS = [
    "presisi.accounts.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "presisi.accounts.backends.lockout_response"
AXES_CLIENT_IP_CALLABLE = "presisi.accounts.backends.client_ip"
# How many reverse proxies (nginx, a load balancer) stand in front of gunicorn; their
# X-Forwarded-For entries then name the real client address. 0: use REMOTE_ADDR only.
PRESISI_PROXY_COUNT = int(os.environ.get("PRESISI_PROXY_COUNT", "0"))

# --- Sessions ---------------------------------------------------------------------------------
# A working day; closed browsers end the session. Logout deletes the session row, and a password
# change invalidates every other session of that user (Django's session auth hash).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Two-factor sign-in (django-otp, TOTP + single-use recovery codes) -----------------------
# Required for the regency-wide roles (accounts.models.PERAN_WAJIB_2FA), optional for the others.
# Throttling stays on: after each wrong code the device refuses every code (even the right one)
# for 1, 2, 4, 8 … seconds. Secrets are hidden in the admin.
OTP_TOTP_ISSUER = "Presisi"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# "Sesi saya": a session's last-seen time is written at most this often (seconds).
PRESISI_SESI_CATAT_DETIK = int(os.environ.get("PRESISI_SESI_CATAT_DETIK", "60"))

# --- Browser security (production unless DEBUG; each one can be set from the environment) -----
_SECURE = not DEBUG
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", _SECURE)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", _SECURE)
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", _SECURE)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60 if _SECURE else 0)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _SECURE)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", _SECURE)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _env_bool("SECURE_PROXY_SSL_HEADER", False):
    # Only behind a proxy that always sets (and never forwards a client's) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

# --- Content-Security-Policy and request size limits (issue #11) ------------------------------
# No inline script or style anywhere: every page takes its CSS and JS from /static/, so the policy
# never needs 'unsafe-inline', 'unsafe-eval' or nonces (tests/web/test_crawl.py scans every crawled
# page). Data-driven widths and colours come from SVG presentation attributes or from data-*
# attributes applied by web/presisi.js. img-src allows data: and blob: because the dashboards
# draw an SVG into a canvas (blob: URL) to save it as PNG; an optional basemap server is added.
_BASEMAP = os.environ.get("PRESISI_BASEMAP_URL", "")
_BASEMAP_ORIGIN = "/".join(_BASEMAP.split("/", 3)[:3]) if _BASEMAP.startswith(("https://", "http://")) else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *([_BASEMAP_ORIGIN] if _BASEMAP_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# The biggest request body we read at all (PRESISI_UNGGAH_MAKS_MB, default 256 MB: a kabupaten's
# batch of every desa file; each file is still limited by PRESISI_IMPOR_MAKS_BYTE). Bigger
# requests are answered 413 with an Indonesian page or JSON (presisi.web.middleware), not 400/500.
PRESISI_UNGGAH_MAKS_MB = int(os.environ.get("PRESISI_UNGGAH_MAKS_MB", "256"))
# Form fields and JSON bodies (everything except uploaded files) stay small; files above 2.5 MB go
# to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(10 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Forms show back at most an excerpt of a value they refused (see presisi/core/forms.py).
FORM_RENDERER = "presisi.core.forms.Renderer"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:tugas"  # the per-role task inbox
LOGOUT_REDIRECT_URL = "web:home"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Session only: Basic auth would let anyone guess passwords against the API unthrottled.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "presisi.core.pagination.Paginasi",
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "presisi.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Presisi API",
    "DESCRIPTION": "API Ekosistem Data Desa Presisi Terintegrasi",
    "VERSION": "1",
    # /api/docs/ (Swagger UI) from drf-spectacular-sidecar's static files, never a CDN
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # the schema generates without warnings (tests/api/test_schema.py), so `check --deploy` keeps
    # drf-spectacular's own check (ENABLE_DJANGO_DEPLOY_CHECK, on by default)
}

# A kabupaten may upload every desa's file in one batch (Indonesian regencies have up to ~400 desa).
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# UU PDP retention (docs/PRIVACY.md): days the processing log (who saw whose data) and the other audit
# rows (registry history, workflow) are kept before `presisi pdp bersihkan-log` deletes them; 0 = for ever.
# The processing log answers data subjects' access requests (Ps. 32), so it is kept five years; the
# registry history is part of the population archive, so ten.
PRESISI_RETENSI_LOG_PDP_HARI = int(os.environ.get("PRESISI_RETENSI_LOG_PDP_HARI", str(5 * 365)))
PRESISI_RETENSI_AUDIT_HARI = int(os.environ.get("PRESISI_RETENSI_AUDIT_HARI", str(10 * 365)))

# Where the official region list shipped with the project lives (public facts).
PRESISI_REGION_FILE = BASE_DIR / "data" / "wilayah_klungkung.csv"
# Desa boundaries drawn on the maps: the shipped Klungkung file (MIT, see data/SOURCES.md) unless
# another regency names its own.
PRESISI_BOUNDARY_FILE = os.environ.get("PRESISI_BOUNDARY_FILE") or str(BASE_DIR / "data" / "klungkung_desa.geojson")
# Import uploads hold NIKs: a job drops its file once processed; `presisi impor bersihkan` (also run by
# the task worker) deletes any still kept after this many days, and fails jobs left "berjalan"
# without progress for this many minutes (their worker died).
PRESISI_RETENSI_BERKAS_HARI = int(os.environ.get("PRESISI_RETENSI_BERKAS_HARI", "30"))
PRESISI_IMPOR_BATAS_BERJALAN_MENIT = int(os.environ.get("PRESISI_IMPOR_BATAS_BERJALAN_MENIT", "120"))


def assert_safe_to_serve(debug: bool, secret_key: str) -> None:
    """Refuse to serve with DEBUG off on the key everyone can read in this file."""
    if not debug and secret_key == DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY masih kunci bawaan pengembangan sedangkan DEBUG mati: server tidak dijalankan. "
            "Setel SECRET_KEY (atau SECRET_KEY_FILE) ke nilai acak rahasia, mis. "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'. "
            "(SECRET_KEY is the built-in development key while DEBUG is off: refusing to start.)"
        )
