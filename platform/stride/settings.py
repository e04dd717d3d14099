"""Stride's one settings module, configured from environment variables.

Every variable is read through the typed helpers of :mod:`stride.env`, which stop the
process with ``ImproperlyConfigured`` naming the variable when a value is malformed.
The README lists the variables. Defaults give a development setup that needs no server:
SQLite and an embedded broker, both kept under ``var/`` in the repository.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from grader import broker
from stride.env import ImproperlyConfigured, env_bool, env_int, env_list, env_str

# platform/stride/settings.py -> the repository root.
BASE_DIR = Path(__file__).resolve().parents[2]
PLATFORM_DIR = BASE_DIR / "platform"
# Everything the platform writes at run time (SQLite database, embedded broker, static files).
VAR_DIR = Path(env_str("STRIDE_VAR_DIR") or BASE_DIR / "var").resolve()

# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("STRIDE_DEBUG", False)

SECRET_KEY = env_str("STRIDE_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("STRIDE_SECRET_KEY must be set unless STRIDE_DEBUG=1 (development)")
    SECRET_KEY = "django-insecure-stride-development-only"  # noqa: S105 - only ever used with DEBUG

ALLOWED_HOSTS = env_list("STRIDE_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("STRIDE_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # First, so its templates (the sign-in and password pages) win over the admin's.
    "stride.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "stride.core",
    "stride.exercises",
    "stride.courses",
    "stride.glossary",
    "stride.flashcards",
    "stride.quizzes",
    "stride.offerings",
    "stride.submissions",
    "stride.gradebook",
    "stride.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the built frontend, the admin's) straight from the app, in every mode.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "stride.web.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "stride.urls"
WSGI_APPLICATION = "stride.wsgi.application"
ASGI_APPLICATION = "stride.asgi.application"

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
                "stride.web.csp.nonce",
                "stride.web.context.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# DATABASE_URL (for example postgres://user:password@host:5432/stride) selects PostgreSQL;
# unset or empty gives SQLite in var/.

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("STRIDE_DB_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "stride.sqlite3",
        "OPTIONS": {
            # Several processes share the file (web, workers): wait for locks instead of
            # failing, and take the write lock at the start of a transaction.
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache -----------------------------------------------------------------------
# REDIS_URL (for example redis://127.0.0.1:6379/0) selects Redis as broker and cache;
# unset or empty gives the embedded broker (grader.broker) and a per-process cache.

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "stride",
        }
    }

# --- Celery -----------------------------------------------------------------------------
# Read by stride.celery with namespace "CELERY". The database is the source of truth for
# results, so there is no result backend unless one is asked for explicitly.

CELERY_BROKER_URL = REDIS_URL or broker.URL
CELERY_BROKER_TRANSPORT = None if REDIS_URL else broker.TRANSPORT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Longest job (a grading, a regrade batch) is far below an hour; an unacknowledged message
# is re-delivered after this many seconds.
CELERY_BROKER_VISIBILITY_TIMEOUT = env_int("STRIDE_BROKER_VISIBILITY_TIMEOUT", 3600, minimum=60)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"visibility_timeout": CELERY_BROKER_VISIBILITY_TIMEOUT}
    if REDIS_URL
    else broker.transport_options(VAR_DIR / "broker")
)
CELERY_RESULT_BACKEND = env_str("STRIDE_CELERY_RESULT_BACKEND") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# Tasks the platform sends or consumes, by queue: gradings go to grader workers (no
# Django), everything they send back is consumed by the Django-aware results worker.
CELERY_TASK_ROUTES = {
    "stride.grade": {"queue": "grading"},
    "stride.record_result": {"queue": "results"},
    "stride.grading_started": {"queue": "results"},
    "stride.worker_heartbeat": {"queue": "results"},
    "stride.sweep": {"queue": "results"},
    "stride.validate": {"queue": "grading"},
    "stride.record_validation": {"queue": "results"},
}
# Task modules outside the apps' tasks.py (autodiscovery finds only those).
CELERY_IMPORTS = ["stride.gradebook.authoring"]
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-submissions": {
        "task": "stride.sweep",
        "schedule": float(env_int("STRIDE_SWEEP_INTERVAL_SECONDS", 30, minimum=1)),
        "options": {"queue": "results", "expires": 60},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Grading pipeline -------------------------------------------------------------------

# A submission still queued or running this long after it was sent is sent again.
STRIDE_SWEEP_AFTER_SECONDS = env_int("STRIDE_SWEEP_AFTER_SECONDS", 300, minimum=1)
# After this many deliveries without a result, a submission ends with verdict grader_error.
STRIDE_MAX_DELIVERIES = env_int("STRIDE_MAX_DELIVERIES", 5, minimum=1)
# Submissions per user in a sliding window: "COUNT/SECONDS"; 0/1 turns the limit off.
STRIDE_SUBMISSION_RATE = env_str("STRIDE_SUBMISSION_RATE", "20/60")
try:
    _count, _seconds = (int(part) for part in STRIDE_SUBMISSION_RATE.split("/"))
    if _count < 0 or _seconds < 1:
        raise ValueError
except ValueError:
    raise ImproperlyConfigured(
        f"STRIDE_SUBMISSION_RATE={STRIDE_SUBMISSION_RATE!r} is not COUNT/SECONDS, e.g. 20/60"
    ) from None
STRIDE_SUBMISSION_RATE_COUNT, STRIDE_SUBMISSION_RATE_SECONDS = _count, _seconds
# Seconds without a heartbeat after which /healthz reports a kind of worker as down.
STRIDE_WORKER_STALE_SECONDS = env_int("STRIDE_WORKER_STALE_SECONDS", 35, minimum=5)
CELERY_ENABLE_UTC = True

# --- Internationalisation, static files -------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # collectstatic's target; WhiteNoise looks there too
# The browser side, built from frontend/ by `make frontend` (npm, esbuild) into frontend/dist/.
STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]
# Served by WhiteNoise from the finders, so no collectstatic step is needed; files keep
# their names (the frontend build decides about caching).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Accounts, e-mail -------------------------------------------------------------------

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Password-reset mail goes to the console unless an SMTP server is configured.
EMAIL_HOST = env_str("STRIDE_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("STRIDE_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("STRIDE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("STRIDE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("STRIDE_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("STRIDE_EMAIL_FROM", "stride@localhost")

# --- Cookies and headers ----------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages hand scripts the token in the form, never through the cookie
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# --- Security behind a TLS proxy (production) -------------------------------------------

if env_bool("STRIDE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("STRIDE_HSTS_SECONDS", 31536000, minimum=0)

# --- Logging ----------------------------------------------------------------------------

LOG_LEVEL = env_str("STRIDE_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"STRIDE_LOG_LEVEL={LOG_LEVEL!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own console handler would print every line twice: go through the root.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # SQL statements only when asked for explicitly, even with STRIDE_LOG_LEVEL=DEBUG.
        "django.db.backends": {"level": "INFO"},
    },
}
