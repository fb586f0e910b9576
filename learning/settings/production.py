"""Production: PostgreSQL (DATABASE_URL, required), Redis (REDIS_URL, recommended), HTTPS."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, env_bool, read_secret_key

SECRET_KEY = read_secret_key()
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
if not os.environ.get("CERTIFICATE_SIGNING_KEY"):
    raise ImproperlyConfigured(
        "CERTIFICATE_SIGNING_KEY must be set in production (a base64url Ed25519 seed)."
    )

DEBUG = False
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Password-reset mail goes out through the operator's SMTP relay.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", 587)),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", True),
            "timeout": 10,
        },
    }
}
