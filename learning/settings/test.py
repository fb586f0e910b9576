"""Settings for the test suite: the embedded default unless DATABASE_URL / REDIS_URL are set."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
DEMO_CONTENT_ALLOWED = True
# A fixed test key (never used anywhere else): Ed25519 seed, base64url.
CERTIFICATE_SIGNING_KEY = "dGVzdC1vbmx5LWNlcnRpZmljYXRlLXNpZ25pbmchISE"
# Argon2 stays the default hasher (tests check it); a cheap one is prepended by a fixture
# only where many accounts are created.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Race tests need a real file: the shared-cache in-memory database ignores busy timeouts. One
# file per test run, so two runs side by side never share (and wreck) one database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")}

# Tests open and close many connections of their own; no pool there.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"].pop("pool", None)
    DATABASES["default"]["CONN_MAX_AGE"] = 60
