"""The embedded default used by ``make run`` and ``manage.py``: no services needed."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR


def _local_secret_key() -> str:
    """Keep one random key per checkout so sessions survive a restart."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
CERTIFICATE_SIGNING_KEY_FILE = VAR_DIR / "certificate_signing_key"
DEMO_CONTENT_ALLOWED = True
