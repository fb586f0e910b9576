import pytest
from django.urls import reverse

from learning.models import Commune
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def profile_data(user, **overrides) -> dict:
    profile = user.profile
    data = {
        "full_name": profile.full_name,
        "phone": user.phone or "",
        "email": user.email,
        "birth_year": str(profile.birth_year),
        "gender": profile.gender,
        "province": str(profile.province_id),
        "commune": str(profile.commune_id),
        "learner_group": profile.learner_group,
    }
    data.update(overrides)
    return data


def test_profile_needs_login(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_learner_moves_to_a_commune_in_another_province(learner_client, learner):
    commune = Commune.objects.exclude(province=learner.profile.province).select_related("province").first()
    response = learner_client.post(
        PROFILE,
        profile_data(
            learner,
            province=str(commune.province_id),
            commune=str(commune.pk),
            full_name="Trần Văn Bình An",
        ),
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.profile.commune == commune
    assert learner.profile.province == commune.province
    assert learner.profile.full_name == "Trần Văn Bình An"


def test_commune_outside_province_leaves_the_profile_unchanged(learner_client, learner):
    before = learner.profile.commune_id
    elsewhere = Commune.objects.exclude(province=learner.profile.province).first()
    response = learner_client.post(
        PROFILE, profile_data(learner, commune=str(elsewhere.pk), full_name="Đổi tên")
    )
    assert response.status_code == 200
    assert "không thuộc" in response.content.decode()
    learner.refresh_from_db()
    assert learner.profile.commune_id == before
    assert learner.profile.full_name == "Trần Văn Bình"


def test_new_phone_number_also_becomes_the_login_when_it_was_one(client):
    user = UserFactory(username="0911000111", phone="0911000111")
    from tests.factories import ProfileFactory

    ProfileFactory(user=user)
    client.force_login(user)
    response = client.post(PROFILE, profile_data(user, phone="0922 000 222"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == "0922000222"
    assert user.username == "0922000222"


def test_phone_of_another_learner_is_refused(learner_client, learner):
    other = UserFactory()
    response = learner_client.post(PROFILE, profile_data(learner, phone=other.phone))
    assert "Số điện thoại này đã được dùng cho một tài khoản khác" in response.content.decode()
    learner.refresh_from_db()
    assert learner.phone != other.phone


def test_bad_phone_on_profile_gets_a_clear_message(learner_client, learner):
    response = learner_client.post(PROFILE, profile_data(learner, phone="0123"))
    assert "Số điện thoại chưa đúng" in response.content.decode()


def test_a_name_pasted_with_a_direction_override_is_stored_as_it_reads(learner_client, learner):
    response = learner_client.post(PROFILE, profile_data(learner, full_name="Trần \u202eVăn\u202c  Bình"))
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.profile.full_name == "Trần Văn Bình"
