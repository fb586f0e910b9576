"""One-time password-reset codes a facilitator gives a member who has no e-mail."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from learning import classes
from learning.models import Notification, PasswordResetCode, User
from tests.classes.conftest import make_facilitator

pytestmark = pytest.mark.django_db

RESET = reverse("classes:reset_with_code")
NEW_PASSWORD = "Cay-tre-xanh-2025"
GENERIC = "Tên đăng nhập hoặc mã đặt lại mật khẩu chưa đúng"


def html(response) -> str:
    return response.content.decode()


def issue_url(membership) -> str:
    return reverse("classes:issue_reset_code", args=[membership.learning_class_id, membership.pk])


def shown_code(response) -> str:
    match = re.search(r'class="reset-code">.*?</span>(\d{4}) (\d{4})</p>', html(response))
    assert match, "the code is shown to the facilitator"
    return match.group(1) + match.group(2)


def use(client, login: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        RESET, {"login": login, "code": code, "new_password1": password, "new_password2": password}
    )


def test_the_code_is_shown_once_and_only_its_hash_is_kept(facilitator, facilitator_client, membership):
    response = facilitator_client.post(issue_url(membership))

    code = shown_code(response)
    stored = PasswordResetCode.objects.get()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert len(code) == 8 and code not in stored.code_hash
    assert (stored.learner, stored.issued_by, stored.used_at, stored.failed_tries) == (
        membership.learner,
        facilitator,
        None,
        0,
    )
    assert stored.expires_at - stored.created_at == pytest.approx(
        timedelta(hours=24), abs=timedelta(seconds=5)
    )
    assert (
        "đang có một mã chưa dùng"
        in html(
            facilitator_client.get(
                reverse("classes:member", args=[membership.learning_class_id, membership.pk])
            )
        ).lower()
    )


def test_the_code_sets_a_new_password_once(facilitator, membership, learner, client):
    code = classes.issue_reset_code(facilitator, membership)

    response = use(client, "0" + learner.phone[1:4] + " " + learner.phone[4:], code)

    assert response.status_code == 302 and response.url == reverse("learning:dashboard")
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD) and learner.password.startswith("argon2")
    assert client.session["_auth_user_id"] == str(learner.pk)  # signed straight in
    assert PasswordResetCode.objects.get().used_at is not None
    assert Notification.objects.filter(learner=learner, kind="password-changed").exists()

    client.logout()
    again = use(client, learner.phone, code, password="Mot-mat-khau-khac-9")
    assert again.status_code == 200 and GENERIC in html(again)
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


def test_the_code_expires_after_24_hours(facilitator, membership, learner):
    with time_machine.travel("2025-08-15 08:00 +0700", tick=False):
        code = classes.issue_reset_code(facilitator, membership)
    with (
        time_machine.travel("2025-08-16 08:00:01 +0700", tick=False),
        pytest.raises(classes.ResetCodeRefused),
    ):
        classes.reset_password_with_code(learner.username, code, NEW_PASSWORD)
    learner.refresh_from_db()
    assert not learner.check_password(NEW_PASSWORD)


def test_the_code_still_works_just_before_it_expires(facilitator, membership, learner):
    with time_machine.travel("2025-08-15 08:00 +0700", tick=False):
        code = classes.issue_reset_code(facilitator, membership)
    with time_machine.travel("2025-08-16 07:59 +0700", tick=False):
        assert classes.reset_password_with_code(learner.username, code, NEW_PASSWORD) == learner


def test_five_wrong_tries_kill_the_code(facilitator, membership, learner):
    code = classes.issue_reset_code(facilitator, membership)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for _ in range(classes.RESET_CODE_MAX_FAILURES):
        with pytest.raises(classes.ResetCodeRefused):
            classes.reset_password_with_code(learner.phone, wrong, NEW_PASSWORD)

    with pytest.raises(classes.ResetCodeRefused):
        classes.reset_password_with_code(learner.phone, code, NEW_PASSWORD)

    assert PasswordResetCode.objects.get().failed_tries == classes.RESET_CODE_MAX_FAILURES
    learner.refresh_from_db()
    assert not learner.check_password(NEW_PASSWORD)


def test_a_new_code_kills_the_older_one(facilitator, membership, learner):
    old = classes.issue_reset_code(facilitator, membership)
    new = classes.issue_reset_code(facilitator, membership)

    with pytest.raises(classes.ResetCodeRefused):
        classes.reset_password_with_code(learner.phone, old, NEW_PASSWORD)
    assert classes.reset_password_with_code(learner.phone, new, NEW_PASSWORD) == learner
    assert (
        PasswordResetCode.objects.filter(used_at__isnull=True).get().expires_at
        <= PasswordResetCode.objects.get(used_at__isnull=False).created_at
    )


def test_an_unknown_login_and_a_wrong_code_get_the_same_answer(facilitator, membership, learner, client):
    code = classes.issue_reset_code(facilitator, membership)
    wrong = f"{(int(code) + 1) % 10**8:08d}"

    unknown = use(client, "0399999999", code)
    mistaken = use(client, learner.phone, wrong)
    no_code = use(client, make_facilitator().phone, code)

    messages = [
        html(response).split('class="error-summary"')[1].split("</div>")[0]
        for response in (unknown, mistaken, no_code)
    ]
    assert GENERIC in messages[0] and messages[0] == messages[1] == messages[2]


def test_a_weak_password_is_refused_and_the_code_kept(facilitator, membership, learner, client):
    code = classes.issue_reset_code(facilitator, membership)

    weak = use(client, learner.phone, code, password="12345678")

    assert weak.status_code == 200 and "Mật khẩu này hoàn toàn là số." in html(weak)
    stored = PasswordResetCode.objects.get()
    assert stored.used_at is None and stored.failed_tries == 0
    assert use(client, learner.phone, code).status_code == 302


def test_mismatched_passwords_are_refused_before_the_code_is_tried(facilitator, membership, learner, client):
    code = classes.issue_reset_code(facilitator, membership)

    response = client.post(
        RESET, {"login": learner.phone, "code": code, "new_password1": NEW_PASSWORD, "new_password2": "khac"}
    )

    assert "Hai lần nhập mật khẩu không giống nhau" in html(response)
    assert PasswordResetCode.objects.get().used_at is None


def test_guessing_from_one_address_is_slowed_down(facilitator, membership, learner, client):
    code = classes.issue_reset_code(facilitator, membership)
    wrong = f"{(int(code) + 1) % 10**8:08d}"
    for _ in range(classes.RESET_CODE_MAX_FAILURES):
        use(client, learner.phone, wrong)

    throttled = use(client, learner.phone, code)

    assert throttled.status_code == 429 and "Bạn đã nhập sai nhiều lần" in html(throttled)


def test_no_code_for_members_who_lead_or_administer(facilitator, facilitator_client, learning_class):
    helper = make_facilitator()
    official = User.objects.create_user("canbo.xa", password="x-Y-z-123456", is_staff=True)
    official.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for member in (helper, official):
        membership = classes.join_class(member, learning_class.join_code)[0]
        response = facilitator_client.post(issue_url(membership), follow=True)
        assert "không cấp mã đặt lại mật khẩu ở đây được" in html(response)
        with pytest.raises(classes.ResetCodeRefused):
            classes.issue_reset_code(facilitator, membership)
    assert not PasswordResetCode.objects.exists()
