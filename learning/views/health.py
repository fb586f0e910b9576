"""Health endpoint for the load balancer: the database, and Redis when configured."""

from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


@cache
def _redis(url: str):
    """One client (and its connection pool) per process: a new one per check cost more than the
    check itself (connecting, and redis-py looking up its own version)."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def _redis_ok() -> bool:
    import redis

    try:
        return bool(_redis(settings.REDIS_URL).ping())
    except redis.RedisError:
        return False


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok" if _database_ok() else "error"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if _redis_ok() else "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
