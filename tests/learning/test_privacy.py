import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.sandboxes.demo import load_scenarios
from learning import classes
from learning.accounts.privacy import NOT_THE_SUBJECT, covered_links
from learning.models import Dossier, PasswordResetCode, Profile, SandboxRun, User
from learning.notifications import notify_learner
from quizzes.models import Accommodation
from tests.classes.conftest import make_facilitator, open_class_for, signed_in
from tests.courses.builders import build_course, lessons_of
from tests.quizzes.builders import make_quiz
from tests.sandboxes.test_runs import login_data, post_step

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


# --- the export leaves nothing out -----------------------------------------------------------

PROJECT_APPS = ["learning", "courses", "quizzes", "certificates"]


def links_to_users() -> set[str]:
    """Every "app.Model.field" in the project's own apps that points at a user.

    Wagtail's and django-otp's tables, and the page fields inherited from Wagtail's Page (owner,
    locked_by), belong to officials' admin accounts (drafts, comments, authenticator secrets),
    not to what a learner does here.
    """
    found = set()
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if field.concrete and field.model is model and field.related_model is User:
                    found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_link_to_a_user_is_exported_or_said_not_to_be_theirs():
    links = links_to_users()
    assert links, "the walk found no links at all"
    assert links - covered_links() - NOT_THE_SUBJECT == set()
    # And no section claims a link that does not exist (a renamed field would hide here).
    assert (covered_links() | NOT_THE_SUBJECT) - links == set()


def test_export_holds_practice_classes_notifications_checkpoints_and_accommodations(
    learner, learner_client, django_capture_on_commit_callbacks
):
    # A practice run, done through the pages as far as its dossier, with one wrong choice.
    load_scenarios()
    started = learner_client.post(reverse("learning:sandbox_start", args=["dang-ky-tam-tru"]))
    run = SandboxRun.objects.get(pk=int(started["Location"].rstrip("/").split("/")[-1]))
    persona = run.persona
    form = {
        "noi_dung": "Đăng ký tạm trú",
        "tu_ngay": "1/12/2025",
        "quan_he_chu_ho": "Chủ hộ",
        "ly_do": "làm việc",
    }
    with django_capture_on_commit_callbacks(execute=True):
        for data in [
            login_data(run),
            {"thu_tuc": "Đăng ký thường trú"},  # the wrong procedure
            {"thu_tuc": "Đăng ký tạm trú"},
            {},
            {"province": str(persona["province_code"]), "commune": str(persona["commune_code"])},
            form,
            {"giay_to_1": "tai_len", "tep_1": SimpleUploadedFile("hop-dong.pdf", b"%PDF-1.7 practice")},
            {"cach_nhan": "dien_tu"},
            {"cam_doan": "1"},
        ]:
            post_step(learner_client, run, **data)
    learner_client.get(reverse("learning:sandbox_run", args=[run.pk]))  # sees the tracking step
    run.refresh_from_db()
    dossier = Dossier.objects.get(run=run)

    # A checkpoint answered in a lesson.
    lesson = lessons_of(build_course(checkpoint_lessons={1}))[0]
    block_id = next(iter(lesson.checkpoints()))
    learner_client.post(reverse("learning:answer_checkpoint", args=[lesson.pk, block_id]), {"choice": "2"})

    # A class, a course step done with the facilitator's help, and a reset code they gave.
    facilitator = make_facilitator()
    learning_class = open_class_for(facilitator, name="Lớp thôn 3")
    membership, _ = classes.join_class(learner, learning_class.join_code)
    classes.mark_step_assisted(facilitator, membership, run, 4)
    code = classes.issue_reset_code(facilitator, membership)

    # A notification, and more time for a quiz.
    notify_learner(learner, kind="thu-nghiem", title="Hồ sơ đã được tiếp nhận", body="Mã hồ sơ 000.00")
    quiz = make_quiz(count=1)
    Accommodation.objects.create(
        learner=learner,
        quiz=quiz,
        extra_minutes=15,
        reason="Người cao tuổi, đọc chậm",
        granted_by=facilitator,
    )

    response = learner_client.get(reverse("accounts:export_data"))
    data = response.json()

    [practice] = data["practice"]
    assert practice["scenario"] == run.scenario.title and practice["state"] == "in_progress"
    assert practice["persona"]["id_number"] == persona["id_number"] and practice["mistakes"] == 1
    steps = practice["steps"]
    assert [step["step"] for step in steps] == list(range(1, run.step_index + 2))
    assert steps[1]["mistakes"] == 1 and steps[-1]["completed_at"] is None  # tracking: not done yet
    # What each step kept: the chosen procedure, the form as typed, the delivery, the declaration.
    entered = [step["entered"] for step in steps]
    assert entered[1] == {"procedure": "Đăng ký tạm trú"} and entered[4] == {"values": form}
    assert entered[5:8] == [
        {"attached": {"giay_to_1": "tai_len"}},
        {"delivery": "dien_tu"},
        {"declared": True},
    ]
    assert practice["dossiers"] == [
        {"code": dossier.code, "submitted_at": dossier.submitted_at.isoformat(), "supplemented_at": None}
    ]

    [checkpoint] = data["checkpoint_answers"]
    assert checkpoint == {
        "lesson": lesson.title,
        "question": "Mã OTP có nên đưa cho người khác không?",
        "chosen": "Không bao giờ",
        "correct": True,
        "answered_at": checkpoint["answered_at"],
    }

    [member] = data["classes"]
    assert member["class"] == "Lớp thôn 3" and member["place"] == "Nhà văn hoá thôn 3"
    assert member["done_with_help"] == [
        {"scenario": run.scenario.title, "step": 5, "marked_at": member["done_with_help"][0]["marked_at"]}
    ]
    [reset_code] = data["password_reset_codes"]
    assert reset_code["used_at"] is None and reset_code["issued_at"] < reset_code["expires_at"]
    # Neither the code nor its hash ever leaves the server.
    stored_hash = PasswordResetCode.objects.get(learner=learner).code_hash
    assert code not in response.content.decode() and stored_hash not in response.content.decode()

    assert [n["title"] for n in data["notifications"]] == ["Hồ sơ đã được tiếp nhận"]
    assert data["notifications"][0]["read_at"] is None
    [grant] = data["quiz_accommodations"]
    assert grant["quiz"] == quiz.title and grant["extra_minutes"] == 15
    assert grant["reason"] == "Người cao tuổi, đọc chậm"

    # What a facilitator exports holds the classes they lead, not their learners' records.
    led = signed_in(facilitator).get(reverse("accounts:export_data")).json()
    assert [c["class"] for c in led["classes_led"]] == ["Lớp thôn 3"]
    assert led["classes"] == [] and led["practice"] == [] and led["notifications"] == []


# --- an account others' records depend on ---------------------------------------------------


def test_a_facilitator_leading_a_class_is_told_why_the_account_stays_and_nothing_is_deleted(
    learner, learner_password
):
    facilitator = make_facilitator()
    learning_class = open_class_for(facilitator)
    membership, _ = classes.join_class(learner, learning_class.join_code)
    browser = signed_in(facilitator)

    page = browser.get(reverse("accounts:delete_account")).content.decode()
    assert "chưa xoá được" in page and 'name="password"' not in page

    # Posting anyway (an old tab): refused with the reason, still signed in, every row kept.
    response = browser.post(reverse("accounts:delete_account"), {"password": learner_password})
    assert response.status_code == 200 and "chưa xoá được" in response.content.decode()
    assert User.objects.filter(pk=facilitator.pk).exists() and "_auth_user_id" in browser.session
    assert Profile.objects.filter(user=facilitator).exists()
    assert learning_class.memberships.get() == membership


def test_the_admin_is_told_to_switch_such_an_account_off_and_can_delete_a_learner(official_client, learner):
    facilitator = make_facilitator()
    open_class_for(facilitator)

    refused = official_client.get(reverse("wagtailusers_users:delete", args=[facilitator.pk]), follow=True)
    assert "Không xoá được tài khoản" in refused.content.decode() and "Kích hoạt" in refused.content.decode()
    refused = official_client.post(reverse("wagtailusers_users:delete", args=[facilitator.pk]), follow=True)
    assert "Không xoá được tài khoản" in refused.content.decode()
    assert User.objects.filter(pk=facilitator.pk).exists()

    assert (
        "Không xoá được"
        not in official_client.get(reverse("wagtailusers_users:delete", args=[learner.pk])).content.decode()
    )
    official_client.post(reverse("wagtailusers_users:delete", args=[learner.pk]))
    assert not User.objects.filter(pk=learner.pk).exists()
