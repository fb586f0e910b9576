"""Officials: the question bank, quizzes, accommodations, item statistics and the CSV export."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.editorial import APPROVERS, EDITORS
from learning.models import Profile
from quizzes import attempts
from quizzes.models import Accommodation, Attempt, Question
from quizzes.statistics import question_statistics
from tests.quizzes.builders import make_question, make_quiz

pytestmark = pytest.mark.django_db


def question_form(kind: str, options: list[tuple[str, bool]], **extra) -> dict:
    data = {
        "kind": kind,
        "text": "Ai được biết mã OTP của bạn?",
        "explanation": "OTP chỉ dành cho bạn.",
        "tags": "an-toan, otp",
        "active": "on",
        "options-TOTAL_FORMS": str(len(options)),
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "1000",
    }
    for n, (text, correct) in enumerate(options):
        data.update(
            {f"options-{n}-text": text, f"options-{n}-ORDER": str(n + 1), f"options-{n}-explanation": ""}
        )
        if correct:
            data[f"options-{n}-is_correct"] = "on"
    return {**data, **extra}


ADD_QUESTION = reverse("wagtailsnippets_quizzes_question:add")


def test_an_official_adds_a_question_with_options_and_tags(official_client):
    response = official_client.post(
        ADD_QUESTION, question_form("single", [("Chỉ mình tôi", True), ("Công an", False)])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert [o.text for o in question.options.all()] == ["Chỉ mình tôi", "Công an"]
    assert set(question.tags.names()) == {"an-toan", "otp"}


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("single", [("A", True), ("B", True)], "đúng một đáp án"),
        ("single", [("A", False), ("B", False)], "đúng một đáp án"),
        ("multiple", [("A", True), ("B", False), ("C", False)], "ít nhất hai đáp án đúng"),
        ("multiple", [("A", True), ("B", True)], "ít nhất một đáp án sai"),
        ("ordering", [("A", True), ("B", False)], "không đánh dấu"),
        ("image_choice", [("A", True), ("B", False)], "một hình cho mỗi đáp án"),
        ("true_false", [("Đúng", True), ("Sai", False), ("Có thể", False)], "hai đáp án"),
    ],
)
def test_questions_that_cannot_be_graded_are_refused_with_a_reason(official_client, kind, options, message):
    response = official_client.post(ADD_QUESTION, question_form(kind, options))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_editors_and_approvers_get_the_bank_and_only_approvers_grant_accommodations():
    editors = Group.objects.get(name=EDITORS)
    approvers = Group.objects.get(name=APPROVERS)
    editor_codes = set(editors.permissions.values_list("codename", flat=True))
    approver_codes = set(approvers.permissions.values_list("codename", flat=True))
    assert {"add_question", "change_question", "add_quiz", "change_quiz"} <= editor_codes
    assert "add_accommodation" not in editor_codes and "add_accommodation" in approver_codes


def test_an_approver_grants_extra_time_and_the_open_attempt_gets_it(official_client, learner):
    make_question()
    quiz = make_quiz(count=1, time_limit_minutes=10)
    attempt = attempts.start_attempt(learner, quiz)
    url = reverse("quiz_accommodations:add")
    form = {
        "learner_login": learner.phone,
        "quiz": quiz.pk,
        "extra_minutes": "20",
        "extra_attempts": "0",
        "reason": "Thị lực kém",
    }
    response = official_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    attempt.refresh_from_db()
    assert attempt.deadline == attempt.started_at + timedelta(minutes=30)
    assert Accommodation.objects.get().granted_by.username == "canbo"
    unknown = official_client.post(url, {**form, "learner_login": "0900000000"})
    assert "Không tìm thấy người học" in unknown.content.decode()
    duplicate = official_client.post(url, form)
    assert "đã có điều chỉnh" in duplicate.content.decode()
    assert Accommodation.objects.count() == 1


def finished_attempts(learners, quiz, choose):
    for learner in learners:
        attempt = attempts.start_attempt(learner, quiz)
        for question in attempt.questions.all():
            attempts.save_answer(attempt, question.position, choose(question), 0)
        attempts.submit_attempt(attempt)


def test_item_statistics_count_answers_right_share_and_option_choices(django_user_model):
    from tests.factories import ProfileFactory

    question = make_question(options=["Không bao giờ", "Khi công an hỏi", "Khi ngân hàng hỏi"], correct=[0])
    quiz = make_quiz(count=1)
    learners = [ProfileFactory().user for _ in range(4)]

    def by_text(wanted):
        def choose(attempt_question):
            return [
                next(i for i, o in enumerate(attempt_question.options, 1) if o["text"].startswith(wanted))
            ]

        return choose

    finished_attempts(learners[:3], quiz, by_text("Không bao giờ"))
    finished_attempts(learners[3:], quiz, by_text("Khi công an"))
    attempts.start_attempt(ProfileFactory().user, quiz)  # open: not counted
    [stat] = question_statistics(quiz)
    assert stat.key == question.pk and stat.shown == 4 and stat.answered == 4 and stat.right_percent == 75.0
    chosen = {
        option.text.split(" [")[0]: (option.chosen, option.percent, option.correct)
        for option in stat.option_list
    }
    assert chosen == {
        "Không bao giờ": (3, 75.0, True),
        "Khi công an hỏi": (1, 25.0, False),
        "Khi ngân hàng hỏi": (0, 0.0, False),
    }


def test_statistics_page_and_csv_export(official_client, learner):
    make_question()
    quiz = make_quiz(count=1)
    Profile.objects.filter(user=learner).update(full_name='=HYPERLINK("http://x")')
    attempts.submit_attempt(attempts.start_attempt(learner, quiz))
    page = official_client.get(reverse("quiz_statistics", args=[quiz.pk])).content.decode()
    assert "1 lượt đã nộp, 0 lượt đạt" in page and "Được hỏi 1 lần" in page
    response = official_client.get(reverse("quiz_attempts_csv", args=[quiz.pk]))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["Mã lượt", "Tên đăng nhập", "Họ và tên"]
    attempt = Attempt.objects.get()
    assert rows[1][0] == str(attempt.pk) and rows[1][2].startswith("'=") and rows[1][-1] == "không"
    assert rows[1][3] == learner.profile.province.name


def test_learners_cannot_reach_the_statistics_or_the_export(learner_client):
    quiz = make_quiz()
    for url in (reverse("quiz_statistics", args=[quiz.pk]), reverse("quiz_attempts_csv", args=[quiz.pk])):
        response = learner_client.get(url)
        assert response.status_code in (302, 403)
        assert not getattr(response, "streaming", False)


def test_quiz_listing_links_to_statistics(official_client):
    quiz = make_quiz()
    listing = official_client.get(reverse("wagtailsnippets_quizzes_quiz:list")).content.decode()
    assert reverse("quiz_statistics", args=[quiz.pk]) in listing


def test_the_admin_menu_holds_the_bank_the_quizzes_and_the_accommodations(official_client):
    page = official_client.get("/admin/").content.decode()
    props = page.split('id="wagtail-sidebar-props" type="application/json">')[1].split("</script>")[0]
    home = json.dumps(json.loads(props), ensure_ascii=False)
    for label in ("Ngân hàng câu hỏi", "Bài kiểm tra", "Thêm giờ, thêm lượt"):
        assert label in home, label
