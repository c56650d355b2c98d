"""Django settings for techissue, read from the environment (and an optional `.env`) through typed helpers."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from techissue.conf import Env, database_from, email_from, read_dotenv, secret_key_from
from techissue.headers import CSP_DIRECTIVES

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

env = Env(os.environ, read_dotenv(Path(os.environ.get("TECHISSUE_ENV_FILE", PROJECT_DIR / ".env"))))

DATA_DIR = Path(env.path("TECHISSUE_DATA_DIR", str(PROJECT_DIR / "var"), kind="dir")).resolve()
DEBUG = env.bool("DEBUG", False)
SECRET_KEY = secret_key_from(env, DATA_DIR)
SITE_URL = env.url("SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.origins("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "axes",
    "techissue.sources",
    "techissue.curation",
    "techissue.editions",
    "techissue.audience",
    "techissue.delivery",
    "techissue.site",
    "techissue.ops",
    "techissue.editor",
    "techissue.api",
    "django_htmx",
    "ninja",  # its templates and static files serve the API's docs without a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "techissue.headers.HeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "techissue.editor.middleware.EditorLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "techissue.api.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: it turns a locked-out login into the lockout page
]

ROOT_URLCONF = "techissue.urls"
# Editors sign in through the admin's login page and land on the editor's home for the day.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "editor:home"
WSGI_APPLICATION = "techissue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": database_from(env, DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "techissue",
    }
}
if CACHE_URL := env.url("CACHE_URL", "", {"redis", "rediss", "unix"}):
    # A shared cache (Redis) when several web processes must agree on rate limits and pages.
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}

# Login lockout (django-axes): after TECHISSUE_LOGIN_FAILURE_LIMIT wrong passwords for one account from one
# address, that pair is refused, the right password included, for TECHISSUE_LOGIN_LOCKOUT_MINUTES. The
# attempts are rows in the database, so every web process (and every host) counts the same ones.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("TECHISSUE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("TECHISSUE_LOGIN_LOCKOUT_MINUTES", 30, minimum=1))
# Per account *and* address: a stranger cannot lock the editor out from elsewhere by failing on purpose.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "techissue.audience.views.client_ip"  # X-Forwarded-For only behind trusted proxies
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env.choice("LANGUAGE_CODE", "ko", {"ko", "en"})
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.time_zone("TIME_ZONE", "Asia/Seoul")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {
        "BACKEND": env.choice(
            "TASKS_BACKEND",
            "django_tasks_db.DatabaseBackend",
            {"django_tasks_db.DatabaseBackend", "django_tasks.backends.immediate.ImmediateBackend"},
        ),
        # One queue per worker role (`techissue worker --only tasks|fetch|curate`).
        "QUEUES": ["default", "fetch", "curate"],
    }
}

# Workers: the scheduler's period (due editions each period, due feeds every 4, housekeeping every 20),
# the cap of every loop's backoff, how long a loop may fail with an unexpected error before the process
# exits non-zero, the heartbeat (a worker unheard of for 6 beats is dead), task retries and pruning.
TECHISSUE_SCHEDULER_SECONDS = env.float("TECHISSUE_SCHEDULER_SECONDS", 15.0, minimum=0.5)
TECHISSUE_BACKOFF_MAX_SECONDS = env.float("TECHISSUE_BACKOFF_MAX_SECONDS", 10.0, minimum=0.1)
TECHISSUE_GIVE_UP_SECONDS = env.float("TECHISSUE_GIVE_UP_SECONDS", 300.0, minimum=1.0)
TECHISSUE_HEARTBEAT_SECONDS = env.float("TECHISSUE_HEARTBEAT_SECONDS", 10.0, minimum=0.2)
TECHISSUE_TASK_ATTEMPTS = env.int("TECHISSUE_TASK_ATTEMPTS", 3, minimum=1)
TECHISSUE_TASK_RETRY_SECONDS = env.float("TECHISSUE_TASK_RETRY_SECONDS", 30.0, minimum=0.1)
TECHISSUE_TASK_KEEP_DAYS = env.int("TECHISSUE_TASK_KEEP_DAYS", 7, minimum=1)
TECHISSUE_CURATE_IN_CHILD = env.bool("TECHISSUE_CURATE_IN_CHILD", True)
TECHISSUE_CURATE_RETRY_SECONDS = env.float("TECHISSUE_CURATE_RETRY_SECONDS", 30.0, minimum=0.1)
# Prometheus metrics at /metrics: off unless enabled, and only for these client networks.
TECHISSUE_METRICS = env.bool("TECHISSUE_METRICS", False)
TECHISSUE_METRICS_ALLOW = env.networks("TECHISSUE_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])

# Mail: EMAIL_URL=smtp://user:pass@host:587?tls=starttls (see techissue/delivery for the parser).
EMAIL_URL = env.str("EMAIL_URL", "smtp://127.0.0.1:1025")
globals().update(email_from(env))
if ANYMAIL_WEBHOOK_SECRET := env.user_password("ANYMAIL_WEBHOOK_SECRET"):
    ANYMAIL = {**globals().get("ANYMAIL", {}), "WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET}
DEFAULT_FROM_EMAIL = env.email_address("DEFAULT_FROM_EMAIL", "techissue <newsletter@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where readers' replies to an edition go (its Reply-To); empty: replies go to the From address and the
# footer does not invite them.
TECHISSUE_REPLY_TO = env.email_address("TECHISSUE_REPLY_TO", "")
# The sender's name and contact (phone, email or postal address) that advertising editions must show
# (정보통신망법 제50조 제4항); pre-flight refuses an advertising edition while either is empty.
TECHISSUE_SENDER_NAME = env.str("TECHISSUE_SENDER_NAME", "")
TECHISSUE_SENDER_CONTACT = env.str("TECHISSUE_SENDER_CONTACT", "")
DKIM_SELECTOR = env.str("DKIM_SELECTOR", "")
DKIM_DOMAIN = env.domain("DKIM_DOMAIN")
DKIM_PRIVATE_KEY_PATH = env.path("DKIM_PRIVATE_KEY_PATH", "")
# Optional second signature with an Ed25519 key (RFC 8463), next to the RSA one.
DKIM_ED25519_SELECTOR = env.str("DKIM_ED25519_SELECTOR", "")
DKIM_ED25519_PRIVATE_KEY_PATH = env.path("DKIM_ED25519_PRIVATE_KEY_PATH", "")

# Delivery: batch size and lease of a claim, parallel SMTP connections and messages per connection,
# rate limits (messages per second in all and per recipient domain; 0 is no limit), 4xx retry backoff.
# The HTTP API: requests a minute per token, counted in the shared cache (CACHE_URL).
TECHISSUE_API_RATE_PER_MINUTE = env.int("TECHISSUE_API_RATE_PER_MINUTE", 600, minimum=1)
DELIVERY_BATCH_SIZE = env.int("DELIVERY_BATCH_SIZE", 200, minimum=1)
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", 600, minimum=30)
DELIVERY_CONNECTIONS = env.int("DELIVERY_CONNECTIONS", 4, minimum=1)
DELIVERY_PER_CONNECTION = env.int("DELIVERY_PER_CONNECTION", 500, minimum=1)
DELIVERY_RATE_PER_SECOND = env.float("DELIVERY_RATE_PER_SECOND", 0.0, minimum=0.0)
DELIVERY_RATE_PER_DOMAIN = env.float("DELIVERY_RATE_PER_DOMAIN", 0.0, minimum=0.0)
DELIVERY_RETRY_BASE_SECONDS = env.int("DELIVERY_RETRY_BASE_SECONDS", 60, minimum=1)
DELIVERY_RETRY_MAX_SECONDS = env.int("DELIVERY_RETRY_MAX_SECONDS", 21600, minimum=1)
# Messages awaiting the relay's reply at once (0: one per connection), and the circuit breaker: after this many
# relay failures in a row, pause sending for this many seconds (doubling while it keeps failing).
DELIVERY_MAX_IN_FLIGHT = env.int("DELIVERY_MAX_IN_FLIGHT", 0, minimum=0)
DELIVERY_BREAKER_FAILURES = env.int("DELIVERY_BREAKER_FAILURES", 5, minimum=1)
DELIVERY_BREAKER_SECONDS = env.int("DELIVERY_BREAKER_SECONDS", 30, minimum=1)
# Bounces: an IMAP or POP3 mailbox that receives DSNs (imaps://user:pass@host/INBOX, pop3s://…), and the
# mailto address of List-Unsubscribe (default: the bounce address when that mailbox is set, else no mailto).
BOUNCE_MAILBOX_URL = env.url("BOUNCE_MAILBOX_URL", "", {"imap", "imaps", "pop3", "pop3s"})
# The address bounces return to (bounces+<signed delivery>@domain goes out as each message's envelope sender);
# default: bounces@ the sender's domain. Its mail must reach BOUNCE_MAILBOX_URL or `bounces ingest`.
BOUNCE_ADDRESS = env.email_address("BOUNCE_ADDRESS", "")
UNSUBSCRIBE_MAILTO = env.email_address("UNSUBSCRIBE_MAILTO", "")

TECHISSUE_SCHEDULE = env.schedule("TECHISSUE_SCHEDULE", "mon 07:00, thu 07:00")
TECHISSUE_FETCH_INTERVAL_MINUTES = env.int("TECHISSUE_FETCH_INTERVAL_MINUTES", 15, minimum=1)
TECHISSUE_FETCH_CONCURRENCY = env.int("TECHISSUE_FETCH_CONCURRENCY", 16, minimum=1)
TECHISSUE_FETCH_PER_HOST = env.int("TECHISSUE_FETCH_PER_HOST", 4, minimum=1)
TECHISSUE_FETCH_MAX_BYTES = env.int("TECHISSUE_FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
TECHISSUE_FETCH_DEADLINE = env.float("TECHISSUE_FETCH_DEADLINE", 20.0, minimum=1.0)
# Networks the fetcher may reach although they are not public (loopback, private, link-local, …): none by default.
TECHISSUE_FETCH_ALLOW_NETWORKS = env.networks("TECHISSUE_FETCH_ALLOW_NETWORKS")
# The editor's image uploads: the largest file accepted, in bytes.
TECHISSUE_UPLOAD_MAX_BYTES = env.int("TECHISSUE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# A pick's link counts as "not answering" in the pre-flight check after this many seconds.
TECHISSUE_PREFLIGHT_LINK_TIMEOUT = env.float("TECHISSUE_PREFLIGHT_LINK_TIMEOUT", 5.0, minimum=0.5)
TECHISSUE_EXTRACT_PROCESSES = env.int("TECHISSUE_EXTRACT_PROCESSES", os.cpu_count() or 1, minimum=0)

# Reverse proxies in front of the web processes that append the client's address to X-Forwarded-For
# (nginx with $proxy_add_x_forwarded_for counts one). 0 trusts no header: REMOTE_ADDR is the client.
TECHISSUE_TRUSTED_PROXIES = env.int("TECHISSUE_TRUSTED_PROXIES", 0, minimum=0)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if SITE_URL.startswith("https://"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", True)
    # Probes and scrapers talk plain HTTP to the process, behind the TLS proxy.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    # Both are promises about every subdomain and, with preload, hard to take back (browsers ship the
    # list): the operator opts in, knowing the domain. Off, Django's deploy check would warn of each.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [
        *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
        *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
    ]
# The Content-Security-Policy of every page Django answers (techissue/headers.py says why each source).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CSP_DIRECTIVES}

# Logs: one event per line with a UTC timestamp; LOG_FORMAT=json for log shippers.
LOG_FORMAT = env.choice("LOG_FORMAT", "plain", {"plain", "json"})
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"()": "techissue.ops.logs.OneLineFormatter"},
        "json": {"()": "techissue.ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.log_level("LOG_LEVEL", "WARNING")},
    "loggers": {"techissue": {"level": env.log_level("LOG_LEVEL", "INFO"), "propagate": True}},
}
