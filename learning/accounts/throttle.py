"""Login throttling on failed attempts, keyed on account and address together.

Two fixed-window counters in the cache (Redis in production, so every server process sees
the same counts): failures for one account from one address, and failures from one address
in total. The second ceiling is high on purpose: a whole class logs in from the same
commune-hall Wi-Fi, and one forgetful learner must not lock the others out.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Lockout:
    retry_after_seconds: int


def _window() -> int:
    return settings.LOGIN_THROTTLE["WINDOW_SECONDS"]


def _keys(account_key: str, ip: str) -> tuple[str, str]:
    bucket = int(time.time()) // _window()
    digest = hashlib.sha256(f"{account_key}|{ip}".encode()).hexdigest()[:32]
    ip_digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return f"login-fail:acct-ip:{digest}:{bucket}", f"login-fail:ip:{ip_digest}:{bucket}"


def _retry_after() -> int:
    window = _window()
    return window - int(time.time()) % window


def check_login_allowed(account_key: str, ip: str) -> Lockout | None:
    """None when a login may be attempted, otherwise how long to wait."""
    limits = settings.LOGIN_THROTTLE
    account_ip_key, ip_key = _keys(account_key, ip)
    counts = cache.get_many([account_ip_key, ip_key])
    if counts.get(account_ip_key, 0) >= limits["ACCOUNT_AND_IP_FAILURES"]:
        return Lockout(_retry_after())
    if counts.get(ip_key, 0) >= limits["IP_FAILURES"]:
        return Lockout(_retry_after())
    return None


def record_login_failure(account_key: str, ip: str) -> None:
    for key in _keys(account_key, ip):
        # add() is a no-op when the key exists; incr() is atomic on Redis.
        cache.add(key, 0, timeout=_window())
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=_window())


def clear_account_failures(account_key: str, ip: str) -> None:
    account_ip_key, _ = _keys(account_key, ip)
    cache.delete(account_ip_key)
