"""The notifications core: store for the learner, then push to their open pages."""

from django.db import transaction
from django.db.models import Count, Window
from django.utils import timezone

from learning import kept
from learning.models import Notification, User
from learning.realtime import learner_group, send_to_group

UNREAD_SHOWN_ON_EVERY_PAGE = 3
# Every page shows the newest unread notifications; they are kept in the shared cache until one
# of the learner's notifications is stored, read or deleted (learning.kept).
UNREAD_KEPT_SECONDS = 600


def notify_learner(learner: User, *, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    """Store a notification and, once the transaction commits, push it to the learner's sockets.

    The push is at-most-once; the stored row is what every page load shows.
    """
    # Browsers read "/\host" as "//host": a backslash anywhere could lead off the site.
    if url and not (url.startswith("/") and not url.startswith("//") and "\\" not in url):
        raise ValueError("Notification links must be paths on this site.")
    notification = Notification.objects.create(learner=learner, kind=kind, title=title, body=body, url=url)
    message = notification.as_message()
    transaction.on_commit(lambda: push_to_learner(learner.pk, message))
    return notification


def push_to_learner(learner_id: int, message: dict) -> None:
    """Send a message to every open socket of one learner; nobody listening is fine."""
    send_to_group(learner_group(learner_id), {"type": "learner.push", "message": message})


def mark_read(learner: User, notification_id: int | None = None) -> int:
    """Mark one of the learner's notifications, or all of them, as read; returns how many."""
    unread = Notification.objects.unread().filter(learner=learner)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    marked = unread.update(read_at=timezone.now())
    unread_changed(learner.pk)
    return marked


def unread_summary(learner: User) -> tuple[list[Notification], int]:
    """The newest unread notifications and how many there are, in one query (a window count
    beside the rows) when they are not kept."""

    def load():
        rows = list(
            Notification.objects.unread()
            .filter(learner=learner)
            .annotate(unread_total=Window(Count("pk")))[:UNREAD_SHOWN_ON_EVERY_PAGE]
        )
        return rows, rows[0].unread_total if rows else 0

    key = f"kept:unread:{learner.pk}"
    return kept.fetch(key, [unread_token(learner.pk)], load, UNREAD_KEPT_SECONDS)


def unread_token(learner_id: int) -> str:
    return f"kept:unread:{learner_id}:token"


def unread_changed(learner_id: int) -> None:
    kept.change(unread_token(learner_id), UNREAD_KEPT_SECONDS)


def refresh_timers(learner_id: int) -> None:
    """Tell the learner's open sockets to set their timers again (a quiz deadline or a dossier's
    status time line changed)."""
    send_to_group(learner_group(learner_id), {"type": "learner.timers"})
