"""Peyvand settings. Every value comes from the environment; `.env.example` lists them all."""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("PEYVAND_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = _env_bool("PEYVAND_DEBUG", False)
SECRET_KEY = os.environ.get("PEYVAND_SECRET_KEY") or (
    # A development-only key; production must set PEYVAND_SECRET_KEY (checked by `check --deploy`).
    "django-insecure-peyvand-development-key-change-me"
)
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
SESSION_COOKIE_SECURE = _env_bool("PEYVAND_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
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

PEYVAND_DEFAULT_REGION = os.environ.get("PEYVAND_DEFAULT_REGION", "IR")
PEYVAND_DEFAULT_CURRENCY = os.environ.get("PEYVAND_DEFAULT_CURRENCY", "IRR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PEYVAND_LOG_LEVEL", "WARNING")},
}
