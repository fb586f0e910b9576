"""One token for "the published pages as they are now", shared by every server process.

Saving, publishing, unpublishing, moving or deleting any page, or changing a site, draws a new
token. What is derived from the page tree alone (routes, course outlines, the site of a host) is
remembered per process under the token and dropped when it changes. A process reads the shared
token at most once a second, so a change made in one process reaches the others within a
second; the process that made it sees it at once.
"""

import time
import uuid

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

KEY = "courses:pages:generation"
REFRESH_SECONDS = 1.0

_state = {"token": "", "read_at": float("-inf")}


def current() -> str:
    now = time.monotonic()
    if now - _state["read_at"] >= REFRESH_SECONDS:
        _state["token"] = cache.get_or_set(KEY, lambda: uuid.uuid4().hex, timeout=None)
        _state["read_at"] = now
    return _state["token"]


def bump(sender=None, **_kwargs) -> None:
    if isinstance(sender, type) and not issubclass(sender, (Page, Site)):
        return  # a row of some other model
    token = uuid.uuid4().hex
    cache.set(KEY, token, timeout=None)
    _state.update(token=token, read_at=time.monotonic())


def forget() -> None:
    """Read the shared token afresh on next use (tests clear the cache between cases)."""
    _state.update(token="", read_at=float("-inf"))


class PerGeneration(dict):
    """A process-local mapping emptied whenever the token changes, bounded in size."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit, self.token = limit, ""

    def fresh(self) -> "PerGeneration":
        token = current()
        if token != self.token:
            self.clear()
            self.token = token
        return self

    def remember(self, key, value) -> None:
        if len(self) < self.limit:
            self[key] = value


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"pages-generation-{id(signal)}")
    post_save.connect(bump, dispatch_uid="pages-generation-save")
    post_delete.connect(bump, dispatch_uid="pages-generation-delete")
