"""Peyvand settings. Every value comes from the environment; `.env.example` lists them all."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("PEYVAND_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = _env_bool("PEYVAND_DEBUG", False)
SECRET_KEY = os.environ.get("PEYVAND_SECRET_KEY", "").strip()
if not SECRET_KEY:
    if not DEBUG:
        # Fail safe: a server started without a key must not sign sessions with a known one.
        raise ImproperlyConfigured(
            "PEYVAND_SECRET_KEY is not set. Set it to a long random string, made for example "
            "with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
            "(for development on your own machine, set PEYVAND_DEBUG=1 instead; never in "
            "production)."
        )
    SECRET_KEY = "django-insecure-peyvand-development-key-change-me"  # noqa: S105 (debug only)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PEYVAND_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("PEYVAND_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "peyvand.common",
    "peyvand.accounts",
    "peyvand.customers",
    "peyvand.dedupe",
    "peyvand.api",
    "peyvand.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "peyvand.common.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "peyvand.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "peyvand.config.urls"
WSGI_APPLICATION = "peyvand.config.wsgi.application"

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
                "peyvand.web.context_processors.ui",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'peyvand.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    # keep a connection per worker thread: opening one (three PRAGMAs) was a quarter of a
    # list request's CPU; the health check replaces one that went bad
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # tests use a database file, as production does: SQLite's in-memory shared cache answers
    # a lock held by another connection with an error at once, where a file waits for it
    # (busy_timeout), so two writers at once could not be tested on it
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("PEYVAND_TEST_SQLITE_NAME")
        or str(Path(tempfile.gettempdir()) / f"peyvand-test-{os.getpid()}.sqlite3")
    }
else:
    DATABASES["default"].setdefault("OPTIONS", {})
    if _env_bool("PEYVAND_DB_POOL", False):
        DATABASES["default"]["OPTIONS"]["pool"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login lock-out (django-axes): N failures for the same username from the same address.
AXES_ENABLED = _env_bool("PEYVAND_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("PEYVAND_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("PEYVAND_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = os.environ.get("PEYVAND_LANGUAGE", "fa")
LANGUAGES = [("fa", _("Persian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("PEYVAND_TIME_ZONE", "Asia/Tehran")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# HTTPS unless debugging: cookies only over HTTPS, and browsers told to keep to HTTPS (HSTS is
# sent on HTTPS responses only). Plain HTTP on a closed network needs PEYVAND_SECURE_COOKIES=0.
SESSION_COOKIE_SECURE = _env_bool("PEYVAND_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("PEYVAND_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("PEYVAND_HSTS_INCLUDE_SUBDOMAINS", False)
# Off by default: the TLS proxy in front usually redirects HTTP itself, and a redirect here
# without PEYVAND_PROXY_SSL_HEADER behind such a proxy would loop.
SECURE_SSL_REDIRECT = _env_bool("PEYVAND_SSL_REDIRECT", False)
# The header a TLS-terminating proxy sets to "https" (e.g. X-Forwarded-Proto); trust it only
# when that proxy is the only way in and it overwrites the header the client sent.
_PROXY_SSL_HEADER = os.environ.get("PEYVAND_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https") if _PROXY_SSL_HEADER else None
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background jobs (imports, exports): the django.tasks API. The database backend needs no other
# server (`peyvand db_worker` runs them; `make run` starts one); RQ on Redis scales out.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PEYVAND_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
PEYVAND_IMPORT_DIR = DATA_DIR / "imports"
# Processes that normalise a large import's rows (unset: the machine's cores, at most 4).
PEYVAND_IMPORT_WORKERS = int(os.environ.get("PEYVAND_IMPORT_WORKERS") or 0) or None
# The user the command-line tools act as without --user (unset: the first active admin).
PEYVAND_CLI_USER = os.environ.get("PEYVAND_CLI_USER", "").strip()

# The country of a contact, address or phone typed without one (customers.normalize reads it;
# PEYVAND_DEFAULT_REGION is its older name, still read)
PEYVAND_DEFAULT_COUNTRY = (
    (os.environ.get("PEYVAND_DEFAULT_COUNTRY") or os.environ.get("PEYVAND_DEFAULT_REGION") or "IR")
    .strip()
    .upper()
)
PEYVAND_DEFAULT_CURRENCY = os.environ.get("PEYVAND_DEFAULT_CURRENCY", "IRR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PEYVAND_LOG_LEVEL", "WARNING")},
}
