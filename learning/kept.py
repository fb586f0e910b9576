"""Per-learner values kept in the shared cache between requests, never served stale.

Every request of a signed-in learner loads their account, and every page shows their unread
notifications: a query or two each time, for data that changes rarely. Where the cache is shared
by every process (Redis: settings.SHARED_CACHE), such a value is kept there beside the stamps it
was read under: one token per thing that can change it. Changing that thing draws a new token, at
once and again when the transaction commits, so a value read before the change (even one stored
after it) no longer matches and is read again. One MGET fetches the value and its tokens.

Without a shared cache (the embedded default: the worker is a process of its own, with its own
memory) nothing is kept and every read goes to the database.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

# A token outlives every value stamped without it: a value stored before the token was drawn
# would otherwise match again once the token expired.
TOKEN_MARGIN_SECONDS = 60


def enabled() -> bool:
    return getattr(settings, "SHARED_CACHE", False)


def fetch[T](key: str, tokens: list[str], load: Callable[[], T], seconds: int) -> T:
    """The kept value of key if its tokens are unchanged, else load() (kept unless None)."""
    if not enabled():
        return load()
    found = cache.get_many([key, *tokens])
    stamp = tuple(found.get(token) for token in tokens)
    kept = found.get(key)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    value = load()
    if value is not None:
        cache.set(key, (stamp, value), seconds)
    return value


def change(token: str, seconds: int) -> None:
    """Make every value stamped with token stale, now and when the transaction commits."""
    if not enabled():
        return

    def draw() -> None:
        cache.set(token, uuid.uuid4().hex, seconds + TOKEN_MARGIN_SECONDS)

    draw()
    transaction.on_commit(draw)
