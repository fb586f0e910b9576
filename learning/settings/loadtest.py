"""The load test's settings: production's, on loopback without TLS, with its seeded accounts.

Differences from production (the load-test report lists them too): no HTTPS, so no redirect to
it, no HSTS and no Secure-only cookies; the seed command's accounts are allowed.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
DEMO_CONTENT_ALLOWED = True
