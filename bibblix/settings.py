"""Bibblix settings, read from environment variables (12-factor).

The embedded mode (the default) needs no variable at all: SQLite under var/, local files,
tasks run inline, e-mail to the console. `BIBBLIX_ENV=production` turns on the checks a real
deployment needs (a secret key, allowed hosts, a database URL). Every variable is listed once in
the README's configuration table.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from bibblix.lib.startup import UnsafeSettings

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


BIBBLIX_ENV = env("BIBBLIX_ENV", "embedded")
# Days of generated usage statistics the demo loads (two years; the test suite loads fewer).
DEMO_USAGE_DAYS = env_int("DEMO_USAGE_DAYS", 730)
if BIBBLIX_ENV not in {"embedded", "production"}:
    raise UnsafeSettings("BIBBLIX_ENV must be 'embedded' or 'production'.")
IS_PRODUCTION = BIBBLIX_ENV == "production"

VAR_DIR = Path(env("BIBBLIX_VAR_DIR", str(BASE_DIR / "var")))
SHARED_DIR = Path(env("BIBBLIX_SHARED_DIR", str(BASE_DIR.parent / "shared")))


def _embedded_secret(filename: str) -> str:
    """A random secret created on first run and kept under var/ (embedded mode only)."""
    path = VAR_DIR / filename
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(50)
    path.write_text(value)
    path.chmod(0o600)
    return value


def _secret(name: str, filename: str) -> str:
    value = env(name)
    if value:
        return value
    if IS_PRODUCTION:
        raise UnsafeSettings(f"{name} must be set when BIBBLIX_ENV=production.")
    return _embedded_secret(filename)


SECRET_KEY = _secret("SECRET_KEY", "secret_key")
# Key of the HMAC that turns a library card number into the patron's stored identity.
# Changing it disconnects every child from their loans: rotate only with a migration plan.
CARD_HASH_KEY = _secret("CARD_HASH_KEY", "card_hash_key")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise UnsafeSettings("ALLOWED_HOSTS must be set when BIBBLIX_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "bibblix.lib.vendor_apps.LoginLockoutsConfig",  # axes, its heading in Swedish
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "bibblix.lib.vendor_apps.BackgroundJobsConfig",  # django_tasks_db, likewise
    "ninja",
    # Domain apps; dependencies point one way: reader, opds -> lending -> catalogue, patrons ->
    # members (bibblix/tests/test_dependencies.py checks it).
    "bibblix.audit",  # infrastructure: imports no domain app, every app records here
    "bibblix.usage",  # the anonymous usage log: imports no app, lending and patrons write it
    "bibblix.jobs",  # infrastructure: scheduler, worker leases and retries; imports no app
    "bibblix.members",
    "bibblix.catalogue",
    "bibblix.patrons",
    "bibblix.lending",
    "bibblix.reader",
    "bibblix.motivation",
    "bibblix.opds",
    "bibblix.billing",
    "bibblix.insights",
    "bibblix.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bibblix.lib.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bibblix.lib.replica.ReplicaReadsMiddleware",
    "bibblix.lib.locale.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A visitor's cached page is answered here: what follows does nothing for it (page_cache).
    "bibblix.lib.page_cache.CachedVisitorPageMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bibblix.lib.staff_sessions.StaffSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "bibblix.members.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bibblix.urls"
WSGI_APPLICATION = "bibblix.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bibblix" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bibblix.patrons.context_processors.patron",
                "bibblix.lib.page_cache.csrf_placeholder",
            ],
            # `{% load icons %}` anywhere: the sprite is shared by every app's pages.
            "libraries": {
                "icons": "bibblix.lib.templatetags.icons",
                "hyphenate": "bibblix.lib.templatetags.hyphenate",
            },
        },
    },
]

# Database: SQLite file under var/ by default, PostgreSQL (production) by DATABASE_URL.
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bibblix.sqlite3'}")
if IS_PRODUCTION and not env("DATABASE_URL"):
    raise UnsafeSettings("DATABASE_URL must be set when BIBBLIX_ENV=production.")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite connections are kept too (DB_CONN_MAX_AGE): opening one and running the PRAGMAs
    # below cost 2 ms, more than the rest of a /healthz request (docs/performance.md).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
    (VAR_DIR).mkdir(parents=True, exist_ok=True)
    # Tests use a file, not Django's shared in-memory database: the browser tests' live server
    # answers in other threads, and in memory SQLite reports "table is locked" at once where a
    # file with busy_timeout waits for the other writer to finish.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
# Several test runs may share one PostgreSQL server: TEST_DATABASE_NAME keeps them apart.
if env("TEST_DATABASE_NAME") and DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
# A read replica (optional): catalogue, OPDS and statistics GETs read from it (bibblix/lib/replica.py
# says which); the borrow/return path, logins and all writes never do. In tests it mirrors default.
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            env("DATABASE_REPLICA_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["bibblix.lib.replica.ReplicaRouter"]
REPLICA_READ_PATHS = ["/books/", "/opds/", "/staff/insights/", "/api/v1/books"]
REPLICA_APPS = {"catalogue", "insights", "usage", "members"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fernet keys (comma-separated, newest first) that encrypt secrets at rest, e.g. the SIP2
# passwords (bibblix/lib/encryption.py); rotate with `manage.py rotate_field_keys`.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if IS_PRODUCTION:
        raise UnsafeSettings("FIELD_ENCRYPTION_KEYS must be set when BIBBLIX_ENV=production.")
    if not (VAR_DIR / "field_encryption_key").exists():
        from cryptography.fernet import Fernet

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        (VAR_DIR / "field_encryption_key").write_text(Fernet.generate_key().decode())
        (VAR_DIR / "field_encryption_key").chmod(0o600)
    FIELD_ENCRYPTION_KEYS = [(VAR_DIR / "field_encryption_key").read_text().strip()]

# Cache: per-process memory by default; Redis (shared by all web workers) by REDIS_URL.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        # Django's Redis cache, keeping one client per process (bibblix/lib/redis_cache.py).
        "default": {
            "BACKEND": "bibblix.lib.redis_cache.KeptClientRedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions are read from Redis on every request and written through to the database, so a
    # child stays logged in when the cache is flushed.
    SESSION_ENGINE = "bibblix.lib.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "bibblix.lib.sessions.db"  # Django's, with a lean read (the module says why)
# Children's pages and feeds that are the same for many are cached until the catalogue changes
# (bibblix/lib/page_cache.py); that needs a cache all web workers share, or a single process.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(REDIS_URL) or not IS_PRODUCTION)
# "local" is always per process: for small answers every request asks (loan rules, up to a minute
# old; connected municipalities, under a shared generation read at most once a second); a round
# trip to Redis on every request would cost more than them.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "bibblix-local",
}

# Long work (imports, billing runs, roll-ups) as tasks: inline in the embedded mode and in tests,
# a database-backed queue with `manage.py db_worker` in production (TASKS_BACKEND=database).
TASKS_BACKEND = env("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}

# A reading app's successful card check (OPDS, HTTP Basic) is remembered this long, in the cache.
OPDS_CARD_CHECK_SECONDS = env_int("OPDS_CARD_CHECK_SECONDS", 300)

# Scheduled jobs (bibblix/jobs/schedule.py) and the worker's retries: see docs/deployment.md.
JOBS_SCHEDULE = env("JOBS_SCHEDULE", "bibblix.jobs.schedule.JOBS")
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
JOBS_RETRY_BASE_SECONDS = env_int("JOBS_RETRY_BASE_SECONDS", 10)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# Staff login lockout (django-axes); the children's card lockout lives in the patrons app.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Behind the documented TLS proxy every login comes from the proxy's address: the limits (staff
# and children's logins) count the client's address from X-Forwarded-For, believed only from
# these proxies (comma-separated addresses or networks); staff are counted per user name as well
# (AXES_LOCKOUT_PARAMETERS).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "bibblix.lib.client_address.client_ip"
# Staff sessions end 8 hours after login or 30 minutes after the last request
# (bibblix/lib/staff_sessions.py); children keep SESSION_COOKIE_AGE below.
STAFF_SESSION_SECONDS = env_int("STAFF_SESSION_SECONDS", 8 * 60 * 60)
STAFF_IDLE_SECONDS = env_int("STAFF_IDLE_SECONDS", 30 * 60)
# Two-step login (TOTP) for the association's administrators and economy
# (bibblix/members/two_factor.py): on by default in production, STAFF_TWO_FACTOR=1 elsewhere.
STAFF_TWO_FACTOR = env_bool("STAFF_TWO_FACTOR", IS_PRODUCTION)
OTP_TOTP_ISSUER = "Bibblix"
# Deprecated (children's card logins, before TRUSTED_PROXIES): the header with the client's
# address, believed from any peer; used only while TRUSTED_PROXIES is empty, with a warning.
RATELIMIT_IP_META_KEY = env("RATELIMIT_IP_META_KEY") or None
# patrons: networks (comma-separated CIDRs) a library's SIP2 login may reach although they are
# not public (loopback, private, link-local...); empty refuses them all (against SSRF).
SIP2_ALLOWED_NETWORKS = env_list("SIP2_ALLOWED_NETWORKS")
# patrons: each web (or task) process keeps its own pool of SIP2 connections per library, of at
# most this many connections (and at most the library's own "connections at most"). A library
# system therefore sees up to processes x this: with 2 gunicorn workers on each of 3 machines
# and the default 4, up to 24 connections (docs/login.md says how to size it).
SIP2_POOL_SIZE = max(1, env_int("SIP2_POOL_SIZE", 4))

# Native apps' bearer tokens (POST /api/v1/session with {"token": true}) last a school day.
APP_TOKEN_SECONDS = env_int("APP_TOKEN_SECONDS", 8 * 60 * 60)
# Children stay logged in for a school term on their own device.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 140)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_SECURE = IS_PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if IS_PRODUCTION else None
SECURE_CONTENT_TYPE_NOSNIFF = True
# Production is HTTPS only: browsers remember it (HSTS) and plain HTTP is redirected, except the
# load balancer's health check.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if IS_PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", IS_PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "same-origin"
# Every HTML page without a policy of its own gets a strict Content-Security-Policy
# (bibblix/lib/csp.py): our own scripts and styles only. Covers from the file storage's origin
# are allowed by themselves; other image origins (e.g. publishers' cover hosts) only if listed.
CSP_EXTRA_IMG_SRC = env_list("CSP_EXTRA_IMG_SRC")
X_FRAME_OPTIONS = "SAMEORIGIN"
# SAMEORIGIN, not DENY: the reader shows the book's own pages in frames of the same site.
SILENCED_SYSTEM_CHECKS = ["security.W019"]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
# Translations of other projects' labels that staff see (django-axes, django-tasks) after ours.
LOCALE_PATHS = [BASE_DIR / "bibblix" / "locale", BASE_DIR / "bibblix" / "thirdparty" / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(VAR_DIR / "static")))
FRONTEND_DIR = BASE_DIR / "frontend" / "node_modules"
# Front-end parts come pinned from the npm registry (frontend/package.json); only the files
# the pages use are exposed as static files.
STATICFILES_DIRS = [BASE_DIR / "bibblix" / "static"] + [
    (prefix, FRONTEND_DIR / path)
    for prefix, path in [
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/foliate-js", "foliate-js"),
        ("vendor/fonts/opendyslexic", "@fontsource/opendyslexic"),
        ("vendor/fonts/atkinson-hyperlegible", "@fontsource/atkinson-hyperlegible"),
        ("vendor/axe-core", "axe-core"),
        ("vendor/echarts", "echarts/dist"),
    ]
    if (FRONTEND_DIR / path).exists()
]
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Book files and covers go through Django's storage API: local files in the embedded mode,
# S3-compatible object storage in production (STORAGE_BACKEND=s3 plus the AWS_* variables).
STORAGE_BACKEND = env("STORAGE_BACKEND", "local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "signature_version": "s3v4",  # presigned URLs expire as READER_OBJECT_URL_SECONDS say
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
# The reader is redirected to a presigned URL for the book file, valid this long (after the
# loan check on our side; a returned loan gets no new URL).
READER_OBJECT_URL_SECONDS = env_int("READER_OBJECT_URL_SECONDS", 60)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where guardians send data requests and anyone reports an accessibility problem (shown on the
# privacy and accessibility pages).
CONTACT_EMAIL = env("CONTACT_EMAIL", "kontakt@bibblix.se")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Bibblix <noreply@bibblix.localhost>")

# Logging never writes personal data: every record passes through a filter that masks card
# numbers, PINs and e-mail addresses, and request bodies are never logged.
LOG_LEVEL = env("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "bibblix.lib.logging.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"], "formatter": "plain"}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers follow LOG_LEVEL too (its defaults would pass WARNING on anyway).
        "django": {"level": LOG_LEVEL},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint and fontTools log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 24


# --- production refuses to start unsafe (bibblix/lib/startup.py prints the one line) ---------
MIN_SECRET_LENGTH = 50


def _production_refusal() -> str | None:
    if DEBUG:
        return "DEBUG must be off when BIBBLIX_ENV=production (an error page would show secrets)."
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return "DATABASE_URL must point to PostgreSQL when BIBBLIX_ENV=production, not SQLite."
    if "*" in ALLOWED_HOSTS:
        return "ALLOWED_HOSTS must list the site's host names when BIBBLIX_ENV=production, not *."
    for name, value in (("SECRET_KEY", SECRET_KEY), ("CARD_HASH_KEY", CARD_HASH_KEY)):
        if len(value) < MIN_SECRET_LENGTH:
            return f"{name} must be at least {MIN_SECRET_LENGTH} characters when BIBBLIX_ENV=production."
    if not REDIS_URL:
        return (
            "REDIS_URL must be set when BIBBLIX_ENV=production "
            "(login lockout counters must be shared by every web worker)."
        )
    return None


if IS_PRODUCTION and (_refusal := _production_refusal()):
    raise UnsafeSettings(_refusal)
