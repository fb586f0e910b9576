"""Page routing from memory: a URL path goes straight to its page, without walking the tree.

Wagtail finds the page for a URL by walking down from the site root, two queries per level; a
lesson sits five levels down, so every lesson view paid ten queries and a fifth of its time
before doing anything. Routes found by that walk are remembered in each server process, under
a generation token kept in the shared cache. Publishing, unpublishing, moving or deleting any
page draws a new token, and every process forgets its routes at once. A remembered page is
still loaded from the database, and only if it is live, so an unpublished page is never served.

Only plain routes are remembered: a page whose class routes sub-paths itself is walked as
Wagtail walks it.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import post_delete
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
from wagtail.url_routing import RouteResult

GENERATION_KEY = "courses:routes:generation"
MAX_ROUTES = 20_000

_routes: dict[tuple[int, str], tuple[int, int]] = {}  # (site, path) → (content type, page)
_generation = ""


def current_generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def forget_routes(sender=None, **_kwargs) -> None:
    """Every process drops its remembered routes (a page moved, appeared or went)."""
    if sender is not None and isinstance(sender, type) and not issubclass(sender, Page):
        return  # a row of some other model was deleted
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    _routes.clear()


def remembered_route(request, path: str) -> RouteResult | None:
    global _generation
    site = Site.find_for_request(request)
    if site is None:
        return None
    generation = current_generation()
    if generation != _generation:
        _routes.clear()
        _generation = generation
    found = _routes.get((site.pk, path))
    if found is None:
        return None
    content_type_id, page_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    page = model.objects.filter(pk=page_id, live=True).first() if model else None
    return RouteResult(page) if page is not None else None


def remember(request, path: str, result) -> None:
    if result is None or len(_routes) >= MAX_ROUTES:
        return
    page, args, kwargs = result
    if args or kwargs or type(page).route is not Page.route:
        return
    site = Site.find_for_request(request)
    if site is not None:
        _routes[(site.pk, path)] = (page.content_type_id, page.pk)


def serve(request, path: str):
    """Wagtail's page view, with the route taken from memory when it is known."""
    if (result := remembered_route(request, path)) is not None:
        request._wagtail_route_for_request = result  # Wagtail's own per-request slot
    else:
        remember(request, path, Page.route_for_request(request, path))
    return wagtail_views.serve(request, path)


def connect_signals() -> None:
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(forget_routes, dispatch_uid=f"forget-routes-{signal}")
    post_delete.connect(forget_routes, dispatch_uid="forget-routes-delete")
