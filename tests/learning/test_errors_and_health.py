import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_client(settings):
    settings.ROOT_URLCONF = "tests.urls_errors"
    client = Client(raise_request_exception=False)
    return client


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
        ("/test/403/", 403, "Bạn chưa được phép xem trang này"),
        ("/test/400/", 400, "Yêu cầu chưa đúng"),
        ("/test/500/", 500, "Hệ thống đang gặp trục trặc"),
    ],
)
def test_error_pages_are_vietnamese_and_say_what_to_do(failing_client, path, status, message):
    response = failing_client.get(path)
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="vi">' in html
    assert message in html
    assert 'href="/"' in html  # always a way back home


def test_csrf_failure_page_explains_what_to_do(learner):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/dang-nhap/", {"username": learner.phone, "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Trang đã mở quá lâu" in html
    assert "Tải lại trang" in html


def test_health_reports_the_database(client, settings):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert ("redis" in body) == bool(settings.REDIS_URL)
    assert "no-cache" in response["Cache-Control"]


def test_health_fails_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "error"}


def test_health_fails_when_the_database_is_unreachable(client, monkeypatch):
    from django.db import connection
    from django.db.utils import OperationalError

    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
