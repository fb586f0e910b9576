import base64
import re

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from wagtail.models import Site

from courses.models import HomePage
from learning.models import User

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_and_leads_to_registration(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert 'href="/dang-ky/"' in html
    assert ">Đăng ký<" in html
    assert "Bình dân học vụ số" in html


def test_home_page_is_the_site_root_and_editable_in_wagtail():
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page.specific == home
    assert home.live


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_admin_refuses_a_learner(learner_client):
    response = learner_client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/" not in response.get("Location", "") or "login" in response.get("Location", "")


def test_demo_content_is_idempotent_and_prints_how_to_log_in(client, capsys):
    call_command("load_demo_content")
    call_command("load_demo_content")
    out = capsys.readouterr().out

    assert User.objects.filter(username="canbo.demo", is_staff=True).count() == 1
    assert User.objects.filter(phone="0912345678").count() == 1
    assert "canbo.demo" in out
    assert "demo-canbo-2025" in out
    assert client.login(username="canbo.demo", password="demo-canbo-2025")
    secret = re.search(r"khoá bí mật TOTP ([A-Z2-7]+)", out).group(1)
    code = totp(base64.b32decode(secret + "=" * (-len(secret) % 8)))
    client.post("/can-bo/xac-thuc-hai-buoc/", {"code": f"{code:06d}"})
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.login(username="0912 345 678", password="demo-hocvien-2025")


def test_demo_content_is_refused_where_it_is_not_allowed(settings):
    settings.DEMO_CONTENT_ALLOWED = False
    with pytest.raises(CommandError):
        call_command("load_demo_content")
