from django.db.models import Count, Window
from django.utils.functional import SimpleLazyObject

from courses.generation import PerGeneration

UNREAD_SHOWN_ON_EVERY_PAGE = 3


def notifications(request) -> dict:
    """Unread notifications for the page layout: the newest few and how many there are, in one
    query (a window count beside the rows), made only if a template uses them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    newest: list = []

    def unread():
        if not newest:
            rows = user.notifications.unread().annotate(unread_total=Window(Count("pk")))
            newest.append(list(rows[:UNREAD_SHOWN_ON_EVERY_PAGE]))
        return newest[0]

    def unread_count():
        rows = unread()
        return rows[0].unread_total if rows else 0

    return {
        "unread_notifications": SimpleLazyObject(unread),
        "unread_notification_count": SimpleLazyObject(unread_count),
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
    return {"catalogue_url": SimpleLazyObject(_catalogue_url)}
