"""The notifications core: store for the learner, then push to their open pages."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from learning.models import Notification, User
from learning.realtime import learner_group


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
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(learner_group(learner_id), {"type": "learner.push", "message": message})


def mark_read(learner: User, notification_id: int | None = None) -> int:
    """Mark one of the learner's notifications, or all of them, as read; returns how many."""
    unread = Notification.objects.unread().filter(learner=learner)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def refresh_timers(learner_id: int) -> None:
    """Tell the learner's open sockets to set their timers again (a quiz deadline or a dossier's
    status time line changed)."""
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(learner_group(learner_id), {"type": "learner.timers"})
