import unicodedata

import pytest
from django.urls import reverse

from learning.models import Commune, Profile, User

pytestmark = pytest.mark.django_db

REGISTER = reverse("accounts:register")


def hoan_kiem() -> Commune:
    return Commune.objects.get(name="Phường Hoàn Kiếm")


def form_data(**overrides) -> dict:
    commune = hoan_kiem()
    data = {
        "full_name": "Lê Thị Hoa",
        "phone": "0987 654 321",
        "username": "",
        "email": "",
        "password1": "Hoa-sen-no-2025",
        "password2": "Hoa-sen-no-2025",
        "birth_year": "1958",
        "gender": "nu",
        "province": str(commune.province_id),
        "commune": str(commune.pk),
        "learner_group": "nguoi_dan",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def assert_nothing_stored(response, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_registration_page_is_vietnamese_and_asks_for_consent_unticked(client):
    response = client.get(REGISTER)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    assert "Đăng ký tài khoản học" in html
    assert 'name="consent"' in html
    consent_input = html.split('name="consent"')[1].split(">")[0]
    assert "checked" not in consent_input


def test_register_with_phone_creates_account_and_profile_and_logs_in(client):
    response = client.post(REGISTER, form_data())

    assert response.status_code == 302
    assert response.url == reverse("learning:dashboard")
    user = User.objects.get()
    assert user.phone == "0987654321"
    assert user.username == "0987654321"
    assert user.password.startswith("argon2")
    profile = user.profile
    assert profile.full_name == "Lê Thị Hoa"
    assert profile.commune == hoan_kiem()
    assert profile.province == hoan_kiem().province
    assert profile.consent_at is not None
    assert profile.guardian_consent_at is None
    assert int(client.session["_auth_user_id"]) == user.pk


def test_register_with_username_only_needs_no_phone_or_email(client):
    response = client.post(REGISTER, form_data(phone="", username="ba.tu"))

    assert response.status_code == 302
    user = User.objects.get()
    assert user.username == "ba.tu"
    assert user.phone is None
    assert user.email == ""


def test_phone_or_username_is_required(client):
    response = client.post(REGISTER, form_data(phone="", username=""))
    assert_nothing_stored(response, "Vui lòng nhập số điện thoại, hoặc chọn một tên đăng nhập")


@pytest.mark.parametrize("phone", ["12345", "0123456789", "091234567", "abc0912345678x", "+1 202 555 0100"])
def test_bad_phone_is_refused_with_a_clear_message(client, phone):
    response = client.post(REGISTER, form_data(phone=phone))
    assert_nothing_stored(response, "Số điện thoại chưa đúng")


def test_missing_commune_is_refused(client):
    response = client.post(REGISTER, form_data(commune=""))
    assert_nothing_stored(response, "Vui lòng chọn xã/phường nơi bạn sống.")


def test_commune_outside_the_chosen_province_is_refused(client):
    elsewhere = Commune.objects.exclude(province=hoan_kiem().province).first()
    response = client.post(REGISTER, form_data(commune=str(elsewhere.pk)))
    assert_nothing_stored(response, f"Xã/phường {elsewhere.name} không thuộc {hoan_kiem().province.name}")


def test_unknown_commune_code_is_refused(client):
    response = client.post(REGISTER, form_data(commune="999999"))
    assert_nothing_stored(response, "Xã/phường đã chọn không có trong danh sách.")


def test_unticked_consent_is_refused(client):
    response = client.post(REGISTER, form_data(consent=None))
    assert_nothing_stored(response, "Bạn cần đồng ý cho xử lý dữ liệu cá nhân thì mới đăng ký được.")


def test_minor_without_guardian_is_refused(client, time_machine):
    time_machine.move_to("2026-11-22")
    response = client.post(REGISTER, form_data(birth_year="2012"))
    html = response.content.decode()
    assert_nothing_stored(response, "Người học dưới 16 tuổi cần ghi họ tên người giám hộ.")
    assert "Cần có sự đồng ý của người giám hộ" in html
    assert "Vui lòng nhập số điện thoại của người giám hộ." in html


def test_minor_with_guardian_consent_is_registered_with_the_guardian_recorded(client, time_machine):
    time_machine.move_to("2026-11-22")
    data = form_data(
        birth_year="2012",
        guardian_name="Lê Văn Nam",
        guardian_relationship="bố",
        guardian_phone="0903 111 222",
        guardian_consent="on",
    )
    response = client.post(REGISTER, data)

    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.guardian_name == "Lê Văn Nam"
    assert profile.guardian_relationship == "bố"
    assert profile.guardian_phone == "0903111222"
    assert profile.guardian_consent_at is not None


def test_learner_who_may_still_be_fifteen_needs_a_guardian(client, time_machine):
    # Born in 2010: 16 after their birthday in 2026, 15 before it. Only the year is known.
    time_machine.move_to("2026-01-05")
    response = client.post(REGISTER, form_data(birth_year="2010"))
    assert_nothing_stored(response, "Người học dưới 16 tuổi cần ghi họ tên người giám hộ.")


def test_adult_guardian_fields_are_ignored(client):
    client.post(REGISTER, form_data(guardian_name="Ai đó", guardian_consent="on"))
    profile = Profile.objects.get()
    assert profile.guardian_name == ""
    assert profile.guardian_consent_at is None


def test_implausible_birth_year_is_refused(client):
    response = client.post(REGISTER, form_data(birth_year="1850"))
    assert_nothing_stored(response, "Năm sinh cần nằm trong khoảng 1900 đến")


def test_phone_already_registered_is_refused(client, learner):
    before = User.objects.count()
    response = client.post(REGISTER, form_data(phone=learner.phone))
    assert response.status_code == 200
    assert "Số điện thoại này đã được dùng cho một tài khoản khác" in response.content.decode()
    assert User.objects.count() == before


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("ab", "từ 3 đến 30 ký tự"),
        ("9hoa", "phải bắt đầu bằng một chữ cái"),
        ("hoa sen", "chỉ gồm chữ cái không dấu"),
        ("hoà", "chỉ gồm chữ cái không dấu"),
    ],
)
def test_bad_username_is_refused(client, username, message):
    response = client.post(REGISTER, form_data(phone="", username=username))
    assert_nothing_stored(response, message)


def test_username_is_unique_ignoring_case(client, learner):
    learner.username = "Ba.Tu"
    learner.save()
    response = client.post(REGISTER, form_data(phone="", username="ba.tu"))
    assert "Tên đăng nhập này đã có người dùng" in response.content.decode()


def test_mismatched_and_weak_passwords_are_refused(client):
    response = client.post(REGISTER, form_data(password2="khac-hoan-toan-99"))
    assert_nothing_stored(response, "Hai lần nhập mật khẩu không giống nhau.")
    response = client.post(REGISTER, form_data(password1="12345678", password2="12345678"))
    assert response.status_code == 200
    assert not User.objects.exists()


def test_choosing_a_province_without_javascript_lists_its_communes_and_stores_nothing(client):
    province = hoan_kiem().province
    response = client.post(
        REGISTER, {"province": str(province.pk), "full_name": "Lê Thị Hoa", "refresh_communes": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phường Hoàn Kiếm" in html
    assert html.count("<option") < 200  # one province's communes, not all 3,321
    assert "Vui lòng" not in html  # no errors shown for fields not filled in yet
    assert 'value="Lê Thị Hoa"' in html
    assert not User.objects.exists()


def test_signed_in_learner_is_sent_to_their_dashboard(learner_client):
    response = learner_client.get(REGISTER)
    assert response.status_code == 302
    assert response.url == reverse("learning:dashboard")


# --- names as typed on phones ----------------------------------------------------------------

DECOMPOSED = unicodedata.normalize("NFD", "Lê Thị Hoa")  # some keyboards send e + marks


def test_a_name_is_stored_composed_without_invisible_characters_or_extra_spaces(client):
    typed = f"\u202e {DECOMPOSED}\u200b \u00a0 Nguyễn\ufeff\t"
    assert typed != "Lê Thị Hoa Nguyễn" and DECOMPOSED != "Lê Thị Hoa"

    response = client.post(REGISTER, form_data(full_name=typed))

    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.full_name == "Lê Thị Hoa Nguyễn"
    assert profile.full_name == unicodedata.normalize("NFC", profile.full_name)


def test_a_name_of_invisible_characters_only_is_no_name(client):
    response = client.post(REGISTER, form_data(full_name="\u200b\u202e \u2066"))
    assert_nothing_stored(response, "Vui lòng nhập họ và tên.")
