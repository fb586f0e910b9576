import re
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

VERIFY = "/can-bo/xac-thuc-hai-buoc/"


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def admin_paths() -> list[str]:
    """A concrete path for every URL pattern under /admin/, walked from the URL resolver."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                yield prefix + route

    admin = next(p for p in get_resolver().url_patterns if str(p.pattern) == "admin/")
    paths = set()
    for route in walk(admin.url_patterns, "/admin/"):
        path = re.sub(r"<int:\w+>", "1", route)
        path = re.sub(r"<[^>]+>", "x", path)
        path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
        paths.add(path.replace("^", "").replace("$", "").replace("\\", ""))
    return sorted(paths)


def before_second_factor(path: str) -> bool:
    return path.startswith(("/admin/login/", "/admin/logout/", "/admin/password_reset/"))


@pytest.fixture
def password_only_client(client, official):
    client.force_login(official)
    return client


def test_resolver_walk_finds_the_whole_admin():
    paths = admin_paths()
    assert len(paths) > 150
    assert "/admin/pages/1/edit/" in paths


def test_every_admin_url_requires_the_second_factor(password_only_client):
    for path in admin_paths():
        if before_second_factor(path):
            continue
        response = password_only_client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(VERIFY), path


def test_verified_official_reaches_the_admin(official_client):
    assert official_client.get("/admin/").status_code == 200


def test_views_get_the_user_itself_with_its_second_factor_state(official_client):
    """request.user is unwrapped once per request (learning.middleware.PlainUserMiddleware):
    the user object, still carrying what django-otp sets on it."""
    from learning.models import User

    user = official_client.get("/admin/").wsgi_request.user
    assert type(user) is User and user.is_verified()


def test_the_user_itself_without_the_second_factor_is_not_verified(password_only_client):
    from learning.models import User

    user = password_only_client.get("/").wsgi_request.user
    assert type(user) is User and not user.is_verified()


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_learners_never_meet_the_second_factor(learner_client):
    response = learner_client.get("/admin/")
    assert not response.get("Location", "").startswith(VERIFY)


def test_first_visit_enrols_an_authenticator_with_a_qr_code(client, time_machine):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)

    page = client.get(VERIFY + "?next=/admin/pages/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html
    assert "khoá bí mật" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(VERIFY, {"code": "000000", "next": "/admin/pages/"})
    assert "Mã chưa đúng hoặc đã hết hạn" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    time_machine.move_to(timezone.now() + timedelta(seconds=2))  # the wait after a wrong code
    right = client.post(VERIFY, {"code": current_code(device), "next": "/admin/pages/"})
    assert right.status_code == 302
    assert right.url == "/admin/pages/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/pages/").status_code == 200


def test_enrolled_official_is_asked_only_for_the_code(password_only_client, official):
    html = password_only_client.get(VERIFY).content.decode()
    assert "data:image/svg+xml" not in html
    device = TOTPDevice.objects.get(user=official)
    response = password_only_client.post(VERIFY, {"code": current_code(device)})
    assert response.url == "/admin/"


def test_repeated_wrong_codes_are_throttled(password_only_client, official):
    device = TOTPDevice.objects.get(user=official)
    for _ in range(3):
        password_only_client.post(VERIFY, {"code": "111111"})
    response = password_only_client.post(VERIFY, {"code": current_code(device)})
    assert "hãy đợi" in response.content.decode()
    assert password_only_client.get("/admin/").status_code == 302


def test_next_cannot_point_to_another_site(password_only_client, official):
    device = TOTPDevice.objects.get(user=official)
    response = password_only_client.post(
        VERIFY, {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response.url == "/admin/"
