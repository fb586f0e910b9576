import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from courses.models import HomePage
from tests.admin_forms import page_form

pytestmark = pytest.mark.django_db

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split("; ")}


def assert_common_headers(response) -> None:
    for name, value in COMMON.items():
        assert response[name] == value, name
    assert "camera=()" in response["Permissions-Policy"]


def assert_learner_policy(response) -> None:
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/dang-ky/", "/healthz/", "/dia-ban/1/xa.json", "/khong-co-trang/"])
def test_learner_side_responses_carry_the_strict_policy(client, path):
    response = client.get(path)
    assert_common_headers(response)
    assert_learner_policy(response)


def test_signed_in_pages_and_json_exports_carry_the_strict_policy(learner_client):
    for path in ["/tai-khoan/", "/thong-bao/", "/tai-khoan/du-lieu.json"]:
        response = learner_client.get(path)
        assert_common_headers(response)
        assert_learner_policy(response)


def test_csrf_failure_page_carries_the_strict_policy(learner):
    response = Client(enforce_csrf_checks=True).post("/dang-nhap/", {})
    assert response.status_code == 403
    assert_learner_policy(response)


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/login/"])
def test_admin_gets_a_policy_that_lets_wagtail_work_but_only_frames_itself(official_client, path):
    response = official_client.get(path)
    assert_common_headers(response)
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'self'"]
    assert "'unsafe-inline'" in csp["script-src"]
    assert csp["object-src"] == ["'none'"]


@pytest.mark.parametrize(
    "path", ["/", "/tai-khoan/", "/thong-bao/", "/tai-khoan/xoa/", "/tai-khoan/doi-mat-khau/"]
)
def test_signed_in_learner_pages_have_no_inline_script(learner_client, path):
    html = learner_client.get(path).content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert not re.search(r"\son[a-z]+=", html)


def test_session_and_csrf_cookies(client, learner, learner_password):
    client.get("/dang-nhap/")
    csrf = client.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    client.post("/dang-nhap/", {"username": learner.phone, "password": learner_password})
    session = client.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


def test_html_is_compressed_for_slow_networks(client):
    response = client.get("/dang-ky/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"


# --- Wagtail still works under its policy ------------------------------------------------


def home() -> HomePage:
    return HomePage.objects.get()


HOME_FIELDS = {
    "title": "Hướng dẫn dùng VNeID",
    "slug": "huong-dan-vneid",
    "intro": "Giới thiệu ngắn",
    "body": '{"blocks": [], "entityMap": {}}',
    "call_to_action": "Bắt đầu",
}


def add_page_form(**extra) -> dict:
    return page_form(HOME_FIELDS, **extra)


def test_official_edits_and_saves_a_page_in_the_admin(official_client):
    page = home()
    edit_url = f"/admin/pages/{page.pk}/edit/"
    form = official_client.get(edit_url)
    assert form.status_code == 200
    assert policy(form)["frame-ancestors"] == ["'self'"]

    data = add_page_form(title=page.title, slug=page.slug, intro="Lời giới thiệu mới")
    response = official_client.post(edit_url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert home().get_latest_revision_as_object().intro == "Lời giới thiệu mới"


def test_official_schedules_a_page_and_it_waits_for_its_time(official_client):
    page = home()
    go_live = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    # Wagtail's own HomePage-only rule allows one home page, so schedule an edit of it.
    data = add_page_form(
        title=page.title, slug=page.slug, intro="Lịch mới", go_live_at=go_live, **{"action-publish": "1"}
    )
    response = official_client.post(f"/admin/pages/{page.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    revision = Page.objects.get(pk=page.pk).specific.latest_revision
    assert revision.approved_go_live_at is not None
    assert home().live_revision_id != revision.pk
    assert "Lịch mới" not in Client().get("/").content.decode()  # not live until its time


def test_preview_is_served_to_the_admin_frame_with_the_admin_policy(official_client):
    page = home()
    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    data = add_page_form(title=page.title, slug=page.slug, intro="Bản xem trước")

    state = official_client.post(preview_url, data)
    assert state.json()["is_valid"]
    response = official_client.get(preview_url)

    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()
    assert policy(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
