"""The site's URLs plus views that fail on purpose, to exercise the error handlers."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from learning.urls import handler400, handler403, handler404, handler500
from learning.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page test")


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("deliberate")


urlpatterns = [
    path("test/500/", boom),
    path("test/403/", forbidden),
    path("test/400/", suspicious),
    *site_urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
