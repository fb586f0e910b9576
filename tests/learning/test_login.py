import pytest
from django.urls import reverse

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKED = "Bạn đã nhập sai nhiều lần"


def attempt(client, login: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": login, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("login", ["0900000000", "+84 900 000 000", "090.000.0000", "HOCVIEN0"])
def test_login_by_phone_in_any_common_format_or_username_in_any_case(client, learner_password, login):
    ProfileFactory(user__username="hocvien0", user__phone="0900000000")
    response = attempt(client, login, learner_password)
    assert response.status_code == 302
    assert signed_in(client)


def test_wrong_password_gets_a_vietnamese_message(client, learner):
    response = attempt(client, learner.phone, "sai-mat-khau")
    assert response.status_code == 200
    assert "hoặc mật khẩu chưa đúng" in response.content.decode()
    assert not signed_in(client)


def test_account_is_throttled_per_address_after_five_failures(client, learner, learner_password):
    for _ in range(5):
        attempt(client, learner.phone, "sai-mat-khau", ip="10.0.0.1")

    response = attempt(client, learner.phone, learner_password, ip="10.0.0.1")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not signed_in(client)


def test_throttle_on_one_address_does_not_lock_the_account_elsewhere(client, learner, learner_password):
    for _ in range(5):
        attempt(client, learner.phone, "sai-mat-khau", ip="10.0.0.1")

    response = attempt(client, learner.phone, learner_password, ip="10.0.0.2")

    assert response.status_code == 302
    assert signed_in(client)


def test_classmates_on_the_same_wifi_can_still_log_in(client, learner, learner_password):
    classmate = ProfileFactory().user
    for _ in range(5):
        attempt(client, learner.phone, "sai-mat-khau", ip="10.0.0.1")

    response = attempt(client, classmate.phone, learner_password, ip="10.0.0.1")

    assert response.status_code == 302


def test_address_ceiling_stops_guessing_across_many_accounts(client, settings, learner, learner_password):
    settings.LOGIN_THROTTLE = {**settings.LOGIN_THROTTLE, "IP_FAILURES": 8}
    for n in range(8):
        attempt(client, f"09{n:08d}9", "sai-mat-khau", ip="10.0.0.9")

    assert attempt(client, learner.phone, learner_password, ip="10.0.0.9").status_code == 429
    assert attempt(client, learner.phone, learner_password, ip="10.0.0.10").status_code == 302


def test_lock_lifts_when_the_window_has_passed(client, learner, learner_password, time_machine):
    time_machine.move_to("2026-11-22 08:00:00+07:00", tick=False)
    for _ in range(5):
        attempt(client, learner.phone, "sai-mat-khau")
    assert attempt(client, learner.phone, learner_password).status_code == 429

    time_machine.shift(16 * 60)

    assert attempt(client, learner.phone, learner_password).status_code == 302


def test_success_clears_earlier_failures(client, learner, learner_password):
    for _ in range(4):
        attempt(client, learner.phone, "sai-mat-khau")
    assert attempt(client, learner.phone, learner_password).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, learner.phone, "sai-mat-khau")
    assert attempt(client, learner.phone, learner_password).status_code == 302


def test_logout_is_a_post_and_ends_the_session(learner_client):
    response = learner_client.post(reverse("accounts:logout"))
    assert response.status_code == 200
    assert "Bạn đã đăng xuất" in response.content.decode()
    assert not signed_in(learner_client)


def test_password_reset_mails_a_link_when_there_is_an_email(client, learner, mailoutbox):
    learner.email = "hoa@example.com"
    learner.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "hoa@example.com"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "Đặt lại mật khẩu" in message.subject
    assert "/quen-mat-khau/" in message.body
    link = next(line for line in message.body.splitlines() if "/quen-mat-khau/" in line)
    path = link.split("testserver", 1)[1]
    page = client.get(path, follow=True)
    assert "Đặt mật khẩu mới" in page.content.decode()
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("Mat-khau-moi-2026")


def test_passwords_are_hashed_with_owasp_argon2_and_older_hashes_upgraded_at_sign_in(client, learner):
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    assert "$m=19456,t=2,p=1$" in make_password("mat-khau-moi-2026")
    learner.password = Argon2PasswordHasher().encode("mat-khau-cu-2024", Argon2PasswordHasher().salt())
    learner.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in learner.password  # as Django's defaults stored it

    assert attempt(client, learner.phone, "mat-khau-cu-2024").status_code == 302
    learner.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in learner.password
    assert learner.check_password("mat-khau-cu-2024")
