"""One token for "the page tree as it is now", shared by every server process.

Saving, publishing, unpublishing, moving or deleting any page, or changing a site, draws a new
token, written in the same transaction (courses.models.PageGeneration). What is derived from the
page tree alone (routes, live pages, course outlines, the site of a host) is remembered per
process under the token and dropped when it changes. A process reads the token at most once a
second, so a change committed by one process reaches the others within a second; the process
that made it reads it again as soon as its transaction commits.
"""

import time
import uuid

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

REFRESH_SECONDS = 1.0

_state = {"token": "", "read_at": float("-inf"), "epoch": 0}


def current() -> str:
    now = time.monotonic()
    if now - _state["read_at"] >= REFRESH_SECONDS:
        from courses.models import PageGeneration

        token = PageGeneration.objects.filter(pk=1).values_list("token", flat=True).first()
        _state["token"] = f"{_state['epoch']}:{token or 'none yet'}"
        _state["read_at"] = now
    return _state["token"]


# Rows that pages remembered per process carry with them (a course page its final quiz, read in
# the same query: courses/routing.py; its required scenarios: learning/progress.py), so that
# changing one is changing the page tree.
CARRIED_BY_PAGES = {"quizzes.quiz", "courses.scenario"}


def bump(sender=None, **_kwargs) -> None:
    if (
        isinstance(sender, type)
        and not issubclass(sender, (Page, Site))
        and sender._meta.label_lower not in CARRIED_BY_PAGES
    ):
        return  # a row of some other model
    from courses.models import PageGeneration

    PageGeneration.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})
    forget()  # this process reads it again at once, and again once it is committed
    transaction.on_commit(forget)


def forget() -> None:
    """Read the token afresh on next use, and drop what this process remembered."""
    _state.update(token="", read_at=float("-inf"), epoch=_state["epoch"] + 1)


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
