"""A facilitator registers a learner beside them, with the learner's consent: all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse

from learning import classes
from learning.models import ClassMembership, Commune, Notification, Profile, User
from learning.views.classes import AssistedRegistrationForm
from tests.factories import any_commune

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    commune = any_commune()
    data = {
        "full_name": "Phạm Văn Lộc",
        "phone": "0912 345 678",
        "username": "",
        "email": "",
        "password1": "Lua-chin-vang-1952",
        "password2": "Lua-chin-vang-1952",
        "birth_year": "1952",
        "gender": "nam",
        "province": str(commune.province_id),
        "commune": str(commune.pk),
        "learner_group": "nguoi_dan",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def register_url(learning_class) -> str:
    return reverse("classes:assisted_registration", args=[learning_class.pk])


def accounts() -> tuple[int, int, int]:
    return User.objects.count(), Profile.objects.count(), ClassMembership.objects.count()


def test_the_form_starts_at_the_class_commune_with_consent_unticked(facilitator_client, learning_class):
    page = facilitator_client.get(register_url(learning_class)).content.decode()

    assert "Người học đã đồng ý cho tôi đăng ký giúp" in page
    assert "checked" not in page.split('name="consent"')[1].split(">")[0]
    assert f'<option value="{learning_class.commune_id}" selected>' in page


def test_without_the_learners_consent_nothing_is_created(facilitator_client, learning_class):
    before = accounts()

    response = facilitator_client.post(register_url(learning_class), form_data(consent=None))

    assert response.status_code == 200
    assert "Cần có sự đồng ý của người học thì mới đăng ký giúp được" in response.content.decode()
    assert accounts() == before


def test_assisted_registration_creates_the_account_profile_and_membership(
    facilitator, facilitator_client, learning_class
):
    response = facilitator_client.post(register_url(learning_class), form_data())

    user = User.objects.get(phone="0912345678")
    membership = ClassMembership.objects.get(learner=user)
    assert response.status_code == 302
    assert response.url == reverse("classes:member", args=[learning_class.pk, membership.pk])
    # Exactly as a learner registering themselves: phone login, Argon2 hash, profile with consent.
    assert user.username == "0912345678"
    assert user.password.startswith("argon2") and user.check_password("Lua-chin-vang-1952")
    profile = user.profile
    assert profile.full_name == "Phạm Văn Lộc" and profile.birth_year == 1952
    assert profile.commune_id == learning_class.commune_id and profile.consent_at is not None
    assert membership.learning_class == learning_class
    assert membership.assisted_registration is True
    assert membership.consent_recorded_at == profile.consent_at
    assert Notification.objects.filter(learner=user, kind="welcome").exists()
    # The facilitator is still signed in as themselves, and sees the new member's page.
    page = facilitator_client.get(response.url).content.decode()
    assert "Đã đăng ký cho Phạm Văn Lộc" in page and "Tên đăng nhập: 0912345678" in page
    assert facilitator_client.session["_auth_user_id"] == str(facilitator.pk)


def test_the_new_learner_signs_in_with_the_password_chosen_with_them(
    facilitator_client, learning_class, client
):
    facilitator_client.post(register_url(learning_class), form_data())

    response = client.post(
        reverse("accounts:login"), {"username": "0912 345 678", "password": "Lua-chin-vang-1952"}
    )

    assert response.status_code == 302 and response.url == reverse("learning:dashboard")


def test_a_learner_without_a_phone_gets_a_username(facilitator_client, learning_class):
    facilitator_client.post(register_url(learning_class), form_data(phone="", username="ba.loc"))

    user = User.objects.get(username="ba.loc")
    assert (
        user.phone is None
        and ClassMembership.objects.filter(learner=user, assisted_registration=True).exists()
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"phone": "12345"}, "Số điện thoại chưa đúng"),
        ({"password2": "khac-nhau-2025"}, "Hai lần nhập mật khẩu không giống nhau"),
        ({"phone": "", "username": ""}, "Vui lòng nhập số điện thoại, hoặc chọn một tên đăng nhập"),
        ({"full_name": ""}, "Vui lòng nhập họ và tên"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    facilitator_client, learning_class, overrides, message
):
    before = accounts()

    response = facilitator_client.post(register_url(learning_class), form_data(**overrides))

    assert response.status_code == 200 and message in response.content.decode()
    assert accounts() == before


def test_a_commune_outside_the_province_is_refused(facilitator_client, learning_class):
    elsewhere = Commune.objects.exclude(province_id=learning_class.province_id).first()
    before = accounts()

    response = facilitator_client.post(register_url(learning_class), form_data(commune=str(elsewhere.pk)))

    assert "không thuộc" in response.content.decode()
    assert accounts() == before


def test_a_phone_already_registered_is_refused(facilitator_client, learning_class, learner):
    before = accounts()

    response = facilitator_client.post(register_url(learning_class), form_data(phone=learner.phone))

    assert "Số điện thoại này đã được dùng" in response.content.decode()
    assert accounts() == before


def test_a_failure_after_the_account_is_written_leaves_nothing_behind(
    facilitator_client, learning_class, monkeypatch
):
    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(ClassMembership.objects, "create", fail)
    before = accounts()

    response = facilitator_client.post(register_url(learning_class), form_data())

    assert response.status_code == 200 and "vừa có người đăng ký" in response.content.decode()
    assert accounts() == before


def test_choosing_a_province_without_javascript_lists_its_communes_and_stores_nothing(
    facilitator_client, learning_class
):
    other = Commune.objects.exclude(province_id=learning_class.province_id).first()
    before = accounts()

    response = facilitator_client.post(
        register_url(learning_class),
        form_data(province=str(other.province_id), commune="", refresh_communes="1"),
    )

    assert f'<option value="{other.pk}">' in response.content.decode()
    assert accounts() == before


def test_the_domain_action_checks_the_facilitator_and_the_consent(
    facilitator, other_facilitator, learning_class
):
    form = AssistedRegistrationForm(form_data())
    assert form.is_valid()
    with pytest.raises(PermissionDenied):
        classes.register_for_class(other_facilitator, learning_class, form)
    form.cleaned_data["consent"] = False
    with pytest.raises(ValueError):
        classes.register_for_class(facilitator, learning_class, form)
    assert not User.objects.filter(phone="0912345678").exists()
