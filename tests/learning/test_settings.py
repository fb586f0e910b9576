"""Settings are chosen by environment variables; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "init_command": settings.DATABASES["default"].get("OPTIONS", {}).get("init_command", ""),
    "db_name": settings.DATABASES["default"]["NAME"],
    "channel_layer": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "sessions": settings.SESSION_ENGINE,
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "hasher": settings.PASSWORD_HASHERS[0],
    "language": settings.LANGUAGE_CODE,
    "pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "health_checks": settings.DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
}))
"""


def clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"}
    }
    env.update(extra)
    return env


def probe(settings_module: str, tmp_path, **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE=settings_module, VAR_DIR=str(tmp_path), **env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_embedded_default_is_sqlite_wal_in_memory_layer_and_local_cache(tmp_path):
    found = probe("learning.settings.dev", tmp_path)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in found["init_command"]
    assert found["db_name"] == str(tmp_path / "db.sqlite3")
    assert found["channel_layer"] == "channels.layers.InMemoryChannelLayer"
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["debug"] is False
    assert found["hasher"] == "learning.accounts.hashers.OwaspArgon2PasswordHasher"
    assert found["language"] == "vi"
    assert (tmp_path / "secret_key").exists()


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    found = probe(
        "learning.settings.dev",
        tmp_path,
        DATABASE_URL="postgres://hocvu@db.internal:5432/hocvu",
        REDIS_URL="redis://cache.internal:6379/0",
        ALLOWED_HOSTS="hocvuso.example.vn,www.hocvuso.example.vn",
        DEBUG="false",
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["db_name"] == "hocvu"
    assert found["channel_layer"] == "channels_redis.core.RedisChannelLayer"
    assert found["cache"] == "learning.cache.ReusingRedisCache"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert found["allowed_hosts"] == ["hocvuso.example.vn", "www.hocvuso.example.vn"]


def test_postgresql_connections_come_from_a_pool_unless_the_pool_size_is_zero(tmp_path):
    url = "postgres://hocvu@db.internal:5432/hocvu"
    pooled = probe("learning.settings.dev", tmp_path, DATABASE_URL=url, DATABASE_POOL_SIZE="6")
    assert pooled["pool"]["max_size"] == 6
    assert pooled["conn_max_age"] == 0  # the pool keeps them, not the thread
    # One thread serving one request at a time keeps its own connection, checked before reuse.
    kept = probe("learning.settings.dev", tmp_path, DATABASE_URL=url, DATABASE_POOL_SIZE="0")
    assert kept["pool"] is None
    assert kept["conn_max_age"] == 60
    assert kept["health_checks"] is True


def test_bad_boolean_is_refused_at_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="learning.settings.dev", VAR_DIR=str(tmp_path), DEBUG="maybe"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


SIGNING_KEY = "c2lnbmluZy1rZXktZm9yLXNldHRpbmdzLXRlc3RzISE"  # 32 bytes, base64url


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "CERTIFICATE_SIGNING_KEY"])
def test_production_refuses_to_start_without_its_required_settings(tmp_path, missing):
    env = {
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://hocvu@127.0.0.1:5432/hocvu",
        "ALLOWED_HOSTS": "hocvuso.example.vn",
        "CERTIFICATE_SIGNING_KEY": SIGNING_KEY,
    }
    del env[missing]
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean_env(DJANGO_SETTINGS_MODULE="learning.settings.production", VAR_DIR=str(tmp_path), **env),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert f"{missing} must be set" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="learning.settings.production",
            VAR_DIR=str(tmp_path),
            SECRET_KEY="kR7#v2!pQ9zL@x4Wm8&nT3$yB6^cF1*hJ5%dG0(sA)eU+iO-lP=qZ_wE",
            ALLOWED_HOSTS="hocvuso.example.vn",
            DATABASE_URL="postgres://hocvu@127.0.0.1:5432/hocvu",
            CERTIFICATE_SIGNING_KEY=SIGNING_KEY,
        ),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_sends_hsts_and_secure_cookies(tmp_path):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps([settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE, "
        "settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SECURE_SSL_REDIRECT]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_env(
            DJANGO_SETTINGS_MODULE="learning.settings.production",
            VAR_DIR=str(tmp_path),
            SECRET_KEY="y" * 60,
            ALLOWED_HOSTS="hocvuso.example.vn",
            DATABASE_URL="postgres://hocvu@127.0.0.1:5432/hocvu",
            CERTIFICATE_SIGNING_KEY=SIGNING_KEY,
        ),
        capture_output=True,
        text=True,
        check=True,
    )
    hsts, session_secure, csrf_secure, httponly, ssl_redirect = json.loads(result.stdout)
    assert hsts >= 31_536_000
    assert session_secure and csrf_secure and httponly and ssl_redirect
