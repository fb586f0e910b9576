"""Settings shared by every environment; everything that differs is read from the environment.

With no environment variables set the site runs on the embedded default: SQLite in WAL mode,
the in-memory channel layer and the local-memory cache. ``DATABASE_URL`` switches to
PostgreSQL, ``REDIS_URL`` to Redis for the channel layer and the cache.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Proxies whose X-Real-IP header names the learner's address (learning/middleware.py): their
# addresses, and "unix" for a WSGI server reached over a unix socket. Nobody by default.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "daphne",
    "learning",
    "courses",
    "quizzes",
    "certificates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "channels",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so it compresses what everything else produced (it pads against BREACH).
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "learning.middleware.ForwardedClientAddressMiddleware",
    "learning.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "learning.middleware.VietnameseFirstLocaleMiddleware",
    "courses.routing.RememberedSiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "learning.middleware.PlainUserMiddleware",
    "learning.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "learning.urls"
ASGI_APPLICATION = "learning.asgi.application"
AUTH_USER_MODEL = "learning.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "learning.context_processors.notifications",
                "learning.context_processors.site_links",
            ],
            # Django's i18n tags, with fixed text translated once per language and kept.
            "libraries": {"i18n": "learning.templatetags.kept_i18n"},
        },
    },
]
# That override is on purpose; templates.W003 warns of any library name given twice, so a test
# (tests/learning/test_kept_i18n.py) checks that no other name is.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "8"))
        if DATABASE_POOL_SIZE:
            # A pool per server process (psycopg_pool): under ASGI every request may run on a new
            # thread, and a persistent connection per thread would exhaust PostgreSQL's clients.
            DATABASES["default"]["CONN_MAX_AGE"] = 0
            DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
                "min_size": 2,
                "max_size": DATABASE_POOL_SIZE,
                "timeout": 20,
            }
        # DATABASE_POOL_SIZE=0 is for a process with one thread, serving one request at a time
        # (gunicorn's sync worker): it keeps its one connection (CONN_MAX_AGE, checked before each
        # request), cheaper than taking one from a pool and giving it back on every request
        # (the health check through one gunicorn under wrk: 1.71 → 1.57 ms of CPU a request).
        # Wagtail's database search backend uses PostgreSQL's full-text search there.
        INSTALLED_APPS.append("django.contrib.postgres")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets the worker and the server read while the other writes;
                # IMMEDIATE takes the write lock up front so busy waits happen at BEGIN,
                # where the timeout applies, instead of failing mid-transaction.
                "init_command": ("PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache ---------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Presence (learning/presence.py): how long a server process's published counts live in Redis
# without a refresh — the most a dead process's learners can linger in the totals.
PRESENCE_TTL_SECONDS = int(os.environ.get("PRESENCE_TTL_SECONDS", "60"))
PRESENCE_KEY_PREFIX = os.environ.get("PRESENCE_KEY_PREFIX", "bdhvs:presence")
# When a server closes an open live socket (a deploy closes every one at once), each page waits a
# random time up to this many seconds before reconnecting, so the handshakes arrive spread out
# instead of as one storm (learning/static/js/live.js). A socket handshake costs a server about
# 10 ms of CPU (loadtests/measure_sockets.py): set it to at least the learners per server process
# divided by the handshakes per second a process can spare beside its other work.
LIVE_RECONNECT_SPREAD_SECONDS = int(os.environ.get("LIVE_RECONNECT_SPREAD_SECONDS", "60"))
# A server process works on at most this many socket handshakes at once, and on none that
# queued longer than the wait; any other is accepted and closed at once with 4503 "try again
# later", and its page comes back within the reconnect spread (learning/handshakes.py).
LIVE_HANDSHAKES_IN_FLIGHT = int(os.environ.get("LIVE_HANDSHAKES_IN_FLIGHT", "100"))
LIVE_HANDSHAKE_MAX_WAIT_SECONDS = float(os.environ.get("LIVE_HANDSHAKE_MAX_WAIT_SECONDS", "10"))
# Threads per server process for the sockets' database work (learning/consumers.py): handshakes
# overlap their waits for the database. Keep it below DATABASE_POOL_SIZE.
LIVE_DATABASE_THREADS = int(os.environ.get("LIVE_DATABASE_THREADS", "4"))
# Whether every process (servers and the worker) shares one cache, so that what one process
# changes another never serves stale: only then are accounts and unread notifications kept in it
# between requests (learning/kept.py).
SHARED_CACHE = bool(REDIS_URL)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # channels_redis blocks 5 s at a time waiting for a message; redis-py 8 gives
                # every read a 5 s timeout by default, so a briefly stalled event loop killed
                # consumers (and their sockets). Reads get 30 s here.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30, "socket_connect_timeout": 5}],
                "prefix": "bdhvs:channels",
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "learning.cache.ReusingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bdhvs",
        }
    }
    # Every request and every socket handshake reads the session: from Redis, with the database
    # behind it (written first, so a flushed cache loses nothing).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "bdhvs",
        }
    }

# --- Background work ------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Accounts and passwords -----------------------------------------------------------------
AUTHENTICATION_BACKENDS = ["learning.accounts.backends.UsernameOrPhoneBackend"]
PASSWORD_HASHERS = [
    "learning.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "learning:dashboard"

# Failed logins allowed per window: per account from one address, and per address overall.
# The per-address ceiling is generous because a whole class shares one commune-hall Wi-Fi.
LOGIN_THROTTLE = {
    "WINDOW_SECONDS": int(os.environ.get("LOGIN_THROTTLE_WINDOW_SECONDS", 15 * 60)),
    "ACCOUNT_AND_IP_FAILURES": int(os.environ.get("LOGIN_THROTTLE_ACCOUNT_FAILURES", 5)),
    "IP_FAILURES": int(os.environ.get("LOGIN_THROTTLE_IP_FAILURES", 200)),
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Bình dân học vụ số <no-reply@localhost>")

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "learning" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# The embedded default serves uploads itself; in production nginx serves /media/.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Bình dân học vụ số"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "odt", "ods", "mp4", "webm", "vtt"]
# Documents always go through Wagtail's serve view, whatever the storage: it applies collection
# privacy, sends everything but PDFs as a download, with nosniff and "CSP: default-src 'none'".
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Image uploads: at most 10 MB and 40 megapixels (a phone's full-size photo is 12–20). Decoding is
# what costs: 40 Mpx is ~160 MB of memory while a rendition is made, Wagtail's default 128 Mpx
# would be ~0.5 GB on a small server. SVG stays off (Wagtail's default): it can carry script.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# A file Pillow cannot read is refused with a message (courses/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "courses.images.ImageForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Security defaults shared by all environments -------------------------------------------
from learning.security import LEARNER_CSP  # noqa: E402

SECURE_CSP = LEARNER_CSP
OTP_TOTP_ISSUER = "Bình dân học vụ số"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to outside servers from the admin
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "learning.views.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview views opt back in to same-origin framing themselves.
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Only the demo settings may create the demo official with a published password.
DEMO_CONTENT_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Secrets in capability URLs (certificate tokens, reset links) never reach a log line.
    "filters": {"redact_capability_urls": {"()": "learning.capability_urls.RedactCapabilityURLs"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_capability_urls"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}


def read_secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
    return key


# --- Certificates ---------------------------------------------------------------------------
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
CERTIFICATE_ISSUER = {
    "NAME": os.environ.get("CERTIFICATE_ISSUER_NAME", "Nền tảng Bình dân học vụ số"),
    "SIGNATORY_NAME": os.environ.get("CERTIFICATE_SIGNATORY_NAME", "Ban quản lý nền tảng"),
    "SIGNATORY_TITLE": os.environ.get("CERTIFICATE_SIGNATORY_TITLE", "TM. ĐƠN VỊ CẤP CHỨNG NHẬN"),
}
# The issuer's Ed25519 key: a base64url 32-byte seed. The embedded default keeps its own in VAR_DIR.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_KEY_FILE = None
# Look-ups by short code: per browser, and a far higher ceiling per address (a commune hall).
CERTIFICATE_LOOKUP_LIMITS = {
    "PER_CLIENT": int(os.environ.get("CERTIFICATE_LOOKUPS_PER_CLIENT", 30)),
    "PER_ADDRESS": int(os.environ.get("CERTIFICATE_LOOKUPS_PER_ADDRESS", 600)),
    "WINDOW_SECONDS": int(os.environ.get("CERTIFICATE_LOOKUP_WINDOW_SECONDS", 600)),
}
