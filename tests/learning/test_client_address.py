"""The learner's address behind the site's proxy, believed only from trusted proxies."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from learning.middleware import ForwardedClientAddressMiddleware


def address_seen(remote_addr: str, real_ip: str | None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if real_ip is not None:
        request.META["HTTP_X_REAL_IP"] = real_ip
    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    ForwardedClientAddressMiddleware(view)(request)
    return seen["address"]


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "unix"])
@pytest.mark.parametrize("proxy", ["127.0.0.1", ""])
def test_a_trusted_proxy_names_the_learners_address(proxy):
    assert address_seen(proxy, "203.0.113.7") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_anyone_else_cannot_choose_their_address():
    assert address_seen("198.51.100.9", "203.0.113.7") == "198.51.100.9"
    assert address_seen("", "203.0.113.7") == ""  # a unix socket is not trusted unless named


def test_nobody_is_trusted_by_default():
    assert address_seen("127.0.0.1", "203.0.113.7") == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_without_the_header_the_proxy_address_stays():
    assert address_seen("127.0.0.1", None) == "127.0.0.1"
