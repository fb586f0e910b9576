from django.core.cache import cache
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


def _catalogue_url() -> str:
    from courses.models import CourseIndexPage

    def find() -> str:
        catalogue = CourseIndexPage.objects.live().first()
        return catalogue.url if catalogue else ""

    # Every page links to the catalogue; its address changes only when an official moves it.
    return cache.get_or_set("catalogue-url", find, 300)


def site_links(request) -> dict:
    return {"catalogue_url": SimpleLazyObject(_catalogue_url)}
