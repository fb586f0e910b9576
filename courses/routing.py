"""Page routing from memory: a URL path goes straight to its page, without walking the tree.

Wagtail finds the page for a URL by walking down from the site root, two queries per level; a
lesson sits five levels down, so every lesson view paid ten queries and a fifth of its time
before doing anything. Routes found by that walk, the site of each host, and the live page of
each route are remembered per process for the current page generation (courses/generation.py):
publishing, unpublishing, moving or deleting a page (or editing a course's final quiz, which
the page carries) draws a new one, so every process serves the new page within a second (the
others read the generation at most once a second), as for outlines. Whether the page is still
live is read on every request, so an unpublished page is never served, whatever way it was
unpublished. Each request gets its own copy of the page: loading it and its body each time
cost a fifth of a lesson's CPU.

Only plain routes are remembered: a page whose class routes sub-paths itself is walked as
Wagtail walks it.
"""

import copy
from contextlib import suppress

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from courses.generation import PerGeneration
from courses.queries import the_one

_routes = PerGeneration(limit=20_000)  # (site, path) → (content type, page)
_sites = PerGeneration(limit=100)  # (host, port) → site
_root_paths = PerGeneration(limit=1)
_pages = PerGeneration(limit=2_000)  # (content type, page id) → the live page, or None


def site_for(request) -> Site | None:
    """Site.find_for_request, without its query once the host is known."""
    if not hasattr(request, "_wagtail_site"):
        key = (split_domain_port(request._get_raw_host())[0], request.get_port())  # as Wagtail reads it
        sites = _sites.fresh()
        if key not in sites:
            sites.remember(key, Site._find_for_request(request))
        request._wagtail_site = sites[key] if key in sites else Site._find_for_request(request)
    return request._wagtail_site


def site_root_paths() -> list:
    """Site.get_site_root_paths, from memory instead of the shared cache."""
    remembered = _root_paths.fresh()
    if "paths" not in remembered:
        remembered.remember("paths", Site.get_site_root_paths())
    return remembered["paths"]


def remembered_route(request, path: str) -> RouteResult | None:
    site = site_for(request)
    found = _routes.fresh().get((site.pk, path)) if site is not None else None
    if found is None:
        return None
    content_type_id, page_id = found
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    remembered = _pages.fresh()
    if found not in remembered:
        remembered.remember(found, live_page(model, page_id))
    page = remembered[found] if found in remembered else live_page(model, page_id)
    if page is None or not still_live(page_id):
        return None
    # Each request its own copy: views set their own attributes on it.
    return RouteResult(copy.copy(page))


def still_live(page_id: int) -> bool:
    """Whether the page is live now, even if it was unpublished without Wagtail's signals (a fix
    in SQL): one indexed row, read without the ORM, which would cost more than the read itself."""
    table = connection.ops.quote_name(Page._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT live FROM {table} WHERE id = %s", [page_id])  # noqa: S608
        row = cursor.fetchone()
    return bool(row and row[0])


def live_page(model, page_id: int) -> Page | None:
    # What every view of the page reads (CoursePage: its final quiz), in the same query.
    pages = model.objects.filter(pk=page_id, live=True)
    if related := getattr(model, "route_select_related", ()):
        pages = pages.select_related(*related)
    return the_one(pages)


def remember(request, path: str, result) -> None:
    if result is None:
        return
    page, args, kwargs = result
    if args or kwargs or type(page).route is not Page.route:
        return
    site = site_for(request)
    if site is not None:
        _routes.fresh().remember((site.pk, path), (page.content_type_id, page.pk))


def serve(request, path: str):
    """Wagtail's page view, with the route taken from memory when it is known."""
    if (result := remembered_route(request, path)) is not None:
        request._wagtail_route_for_request = result  # Wagtail's own per-request slot
    else:
        remember(request, path, Page.route_for_request(request, path))
    return wagtail_views.serve(request, path)


class RememberedSiteMiddleware:
    """Every request learns its Wagtail site and the sites' root paths from memory (menus and page
    URLs ask for them), in the slots Wagtail keeps them in on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without the database, whatever needs the site asks again and fails in its own way.
        with suppress(DatabaseError):
            site_for(request)
            request._wagtail_cached_site_root_paths = site_root_paths()
        return self.get_response(request)
