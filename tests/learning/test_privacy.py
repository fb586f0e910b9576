import json

import pytest
from django.urls import reverse

from learning.models import Profile, User

pytestmark = pytest.mark.django_db


def test_export_holds_everything_about_the_learner(learner_client, learner):
    response = learner_client.get(reverse("accounts:export_data"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["phone"] == learner.phone
    assert data["profile"]["full_name"] == "Trần Văn Bình"
    assert data["profile"]["commune"] == {"code": "00070", "name": "Phường Hoàn Kiếm"}
    assert data["profile"]["province"]["name"] == "Thành phố Hà Nội"
    assert data["profile"]["consent"]["given_at"]


def test_export_needs_login(client):
    response = client.get(reverse("accounts:export_data"))
    assert response.status_code == 302


def test_delete_page_says_what_happens_to_certificates(learner_client):
    html = learner_client.get(reverse("accounts:delete_account")).content.decode()
    assert "chứng nhận" in html
    assert "thu hồi" in html


def test_wrong_password_deletes_nothing(learner_client, learner):
    response = learner_client.post(reverse("accounts:delete_account"), {"password": "khong-phai"})
    assert response.status_code == 200
    assert "Mật khẩu chưa đúng, tài khoản chưa bị xoá." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()


def test_delete_removes_account_and_profile_and_signs_out(learner_client, learner, learner_password):
    response = learner_client.post(
        reverse("accounts:delete_account"), {"password": learner_password}, follow=True
    )

    assert "Tài khoản và dữ liệu của bạn đã được xoá." in response.content.decode()
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Profile.objects.filter(user_id=learner.pk).exists()
    assert "_auth_user_id" not in learner_client.session
