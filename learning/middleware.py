from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import LazyObject, empty

from learning.accounts.second_factor import needs_second_factor
from learning.security import ADMIN_PREFIX

# Pages of the admin an official must reach before the second factor.
_BEFORE_SECOND_FACTOR = ("login/", "logout/", "password_reset/")


def _guarded(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX) and not path[len(ADMIN_PREFIX) :].startswith(_BEFORE_SECOND_FACTOR)


class RequireSecondFactorMiddleware:
    """Every admin URL requires the second factor from users who may use the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _guarded(request.path) and needs_second_factor(request.user):
            target = reverse("second_factor")
            return redirect(f"{target}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class PlainUserMiddleware:
    """``request.user`` as the user itself, not behind two lazy wrappers (auth's, then
    django-otp's): a page reads it hundreds of times (template tags, permission checks), each
    read going through both. Every page needs it (the header says whether one is signed in), so
    reading it here costs no query that the page would not make."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        request.user = user
        return self.get_response(request)


class VietnameseFirstLocaleMiddleware:
    """Vietnamese unless the learner chose another language with the switcher (a cookie).

    Many phones in Vietnam run an English system language; that is not a request for an
    English site, so the Accept-Language header is not consulted.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ForwardedClientAddressMiddleware:
    """Behind the site's own proxy, a request's address is the one the proxy saw.

    nginx passes it as X-Real-IP. It is believed only from a proxy named in TRUSTED_PROXIES
    ("unix" for a unix socket, where the WSGI server knows no peer address), so nobody chooses
    their own address by sending the header; the login throttle counts failures per address.
    (Daphne's --proxy-headers does the same for the requests it serves.)
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = {"" if proxy == "unix" else proxy for proxy in settings.TRUSTED_PROXIES}

    def __call__(self, request):
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded and request.META.get("REMOTE_ADDR", "") in self.trusted:
            request.META["REMOTE_ADDR"] = forwarded
        return self.get_response(request)
