from django.conf import settings
from django.utils.functional import SimpleLazyObject

from courses.generation import PerGeneration


def notifications(request) -> dict:
    """Unread notifications for the page layout: the newest few and how many there are, read
    only if a template uses them (learning.notifications.unread_summary)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from learning.notifications import unread_summary

    summary: list = []

    def read():
        if not summary:
            summary.append(unread_summary(user))
        return summary[0]

    return {
        "unread_notifications": SimpleLazyObject(lambda: read()[0]),
        "unread_notification_count": SimpleLazyObject(lambda: read()[1]),
    }


_catalogue = PerGeneration(limit=1)


def _catalogue_url() -> str:
    """Every page links to the catalogue; its address changes only with the page tree."""
    from courses.models import CourseIndexPage

    remembered = _catalogue.fresh()
    if "url" not in remembered:
        catalogue = CourseIndexPage.objects.live().first()
        remembered.remember("url", catalogue.url if catalogue else "")
    return remembered["url"]


def site_links(request) -> dict:
    return {
        "catalogue_url": SimpleLazyObject(_catalogue_url),
        "live_reconnect_spread": settings.LIVE_RECONNECT_SPREAD_SECONDS,
    }
