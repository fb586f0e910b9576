from django.utils.functional import SimpleLazyObject

UNREAD_SHOWN_ON_EVERY_PAGE = 3


def notifications(request) -> dict:
    """Unread notifications for the page layout; queried only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        return list(user.notifications.unread()[:UNREAD_SHOWN_ON_EVERY_PAGE])

    def unread_count():
        return user.notifications.unread().count()

    return {
        "unread_notifications": SimpleLazyObject(unread),
        "unread_notification_count": SimpleLazyObject(unread_count),
    }
