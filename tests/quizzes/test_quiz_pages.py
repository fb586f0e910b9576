"""Taking a quiz through its URLs, as a browser would (with and without JavaScript)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import attempts
from quizzes.models import Attempt, AttemptQuestion, Question
from tests.factories import ProfileFactory
from tests.quizzes.builders import bank, make_question, make_quiz

pytestmark = pytest.mark.django_db


def start(client, quiz) -> Attempt:
    response = client.post(reverse("learning:start_quiz", args=[quiz.pk]))
    assert response.status_code == 302
    return Attempt.objects.order_by("-pk").first()


def right_positions(question: AttemptQuestion) -> list[str]:
    ids = question.option_ids
    return [str(ids.index(option_id) + 1) for option_id in question.correct_ids]


def autosave(client, attempt, question, positions, revision=None, **extra):
    """What quiz.js posts when an option is chosen."""
    data = {f"rev{question.position}": revision if revision is not None else question.revision, **extra}
    if question.kind == "ordering":
        for rank, shown in enumerate(positions, start=1):
            data[f"q{question.position}-{shown}"] = str(rank)
    else:
        data[f"q{question.position}"] = positions
        data[f"q{question.position}-shown"] = "1"
    return client.post(reverse("learning:save_answer", args=[attempt.pk, question.position]), data)


@pytest.fixture
def quiz(db):
    bank(kinds=["single", "multiple", "true_false", "ordering", "single", "single", "single", "single"])
    return make_quiz(count=5)


def test_quiz_page_states_the_rules_and_starts(learner_client, quiz):
    page = learner_client.get(reverse("learning:quiz", args=[quiz.pk])).content.decode()
    assert "5 câu hỏi" in page and "70%" in page and "Bắt đầu làm bài" in page
    attempt = start(learner_client, quiz)
    page = learner_client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "Câu 1/5" in page and "Nộp bài" in page


def test_visitors_are_sent_to_log_in(client, quiz):
    response = client.get(reverse("learning:quiz", args=[quiz.pk]))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_autosave_then_submit_grades_on_the_server(learner_client, quiz):
    attempt = start(learner_client, quiz)
    for question in attempt.questions.all():
        response = autosave(learner_client, attempt, question, right_positions(question))
        assert response.status_code == 200, response.content
        assert response.json()["saved"] is True
    response = learner_client.post(
        reverse("learning:attempt", args=[attempt.pk]), {"submit": "1", "submit_key": "a1"}
    )
    assert response["Location"] == reverse("learning:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.passed and attempt.percent == 100.0
    page = learner_client.get(response["Location"]).content.decode()
    assert "5/5 điểm (100%)" in page and "Chúc mừng" in page


def test_an_autosave_reads_neither_the_quiz_nor_the_question_wording(learner_client, quiz):
    """The most frequent request: one read of the question and its attempt, then the write."""
    attempt = start(learner_client, quiz)
    question = attempt.questions.filter(kind="single").first()
    autosave(learner_client, attempt, question, ["1"])  # warm: the session and user are cached

    with CaptureQueriesContext(connection) as queries:
        response = autosave(learner_client, attempt, question, ["2"], revision=1)

    assert response.status_code == 200 and response.json()["revision"] == 2
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if "quizzes_quiz" in sql], reads
    assert not [sql for sql in reads if '"quizzes_attemptquestion"."text"' in sql], reads
    # The write is one statement: no lock taken beforehand, no re-read.
    quiz_sql = [q["sql"] for q in queries.captured_queries if "quizzes_" in q["sql"]]
    assert len(quiz_sql) == 2 and quiz_sql[1].startswith("UPDATE"), quiz_sql
    question.refresh_from_db()
    assert question.revision == 2 and question.answer == [question.option_ids[1]]


def test_the_form_works_without_javascript(learner_client, quiz):
    attempt = start(learner_client, quiz)
    questions = list(attempt.questions.order_by("position"))
    data = {"go": "2"}
    first = questions[0]
    if first.kind == "ordering":
        for rank, shown in enumerate(right_positions(first), start=1):
            data[f"q1-{shown}"] = str(rank)
    else:
        data["q1"] = right_positions(first)
        data["q1-shown"] = "1"
    data.update({"rev1": "0", "was1": ""})
    response = learner_client.post(reverse("learning:attempt", args=[attempt.pk]), data)
    assert response.status_code == 302 and response["Location"].endswith("?cau=2#cau-2")
    assert AttemptQuestion.objects.get(attempt=attempt, position=1).is_answered
    page = learner_client.get(response["Location"]).content.decode()
    assert 'class="question is-current" id="cau-2"' in page


def test_submitting_the_form_after_autosaves_grades_without_saving_again(learner_client, quiz):
    """The browser with the script: answers saved as chosen, then the whole form is submitted,
    carrying those answers again with the revisions the script updated."""
    attempt = start(learner_client, quiz)
    form = {"submit": "1", "submit_key": "k1"}
    for question in attempt.questions.order_by("position"):
        form.update({f"rev{question.position}": "0", f"was{question.position}": ""})
        if question.kind == "ordering":
            form.update({f"q{question.position}-{n}": "" for n in range(1, len(question.options) + 1)})
            continue  # left unanswered
        assert autosave(learner_client, attempt, question, right_positions(question)).status_code == 200
        form.update({f"q{question.position}": right_positions(question), f"q{question.position}-shown": "1"})
        form[f"rev{question.position}"] = "1"
    revisions = dict(attempt.questions.values_list("position", "revision"))

    with CaptureQueriesContext(connection) as queries:
        response = learner_client.post(reverse("learning:attempt", args=[attempt.pk]), form)

    assert response["Location"] == reverse("learning:attempt_result", args=[attempt.pk])
    attempt.refresh_from_db()
    answered = attempt.questions.exclude(kind="ordering").count()
    assert attempt.state == "finished" and attempt.points == answered
    assert dict(attempt.questions.values_list("position", "revision")) == revisions
    answer_reads = [
        q["sql"] for q in queries.captured_queries if 'SELECT "quizzes_attemptquestion"."answer"' in q["sql"]
    ]
    assert not answer_reads  # no answer was saved a second time


def test_forged_scores_and_flags_are_ignored(learner_client, quiz):
    attempt = start(learner_client, quiz)
    question = attempt.questions.get(position=1)
    forged = {"score": "100", "points": "5", "correct": "true", "passed": "1", "percent": "100"}
    wrong = [p for p in range(1, len(question.options) + 1) if str(p) not in right_positions(question)]
    if question.kind != "ordering":
        autosave(learner_client, attempt, question, [str(wrong[0])], **forged)
    learner_client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1", **forged})
    attempt.refresh_from_db()
    assert attempt.points == 0 and attempt.percent == 0 and attempt.passed is False


def test_replaying_an_old_answer_payload_is_refused_and_changes_nothing(learner_client, quiz):
    attempt = start(learner_client, quiz)
    question = attempt.questions.exclude(kind="ordering").order_by("position").first()
    old = autosave(learner_client, attempt, question, ["1"])
    assert old.status_code == 200
    assert autosave(learner_client, attempt, question, ["2"], revision=1).status_code == 200
    replay = autosave(learner_client, attempt, question, ["1"], revision=0)
    assert replay.status_code == 409
    body = replay.json()
    assert body["positions"] == [2] and body["revision"] == 2 and "nơi khác" in body["error"]
    question.refresh_from_db()
    assert question.revision == 2
    # Into a later attempt, or after submitting, the same payload does nothing either.
    learner_client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1"})
    closed = autosave(learner_client, attempt, question, ["1"], revision=2)
    assert closed.status_code == 410 and closed.json()["result_url"]
    question.refresh_from_db()
    assert question.revision == 2


@pytest.mark.parametrize(
    "payload",
    [
        {"q{p}": "99"},
        {"q{p}": "0"},
        {"q{p}": "abc"},
        {"q{p}": ["1", "1", "1", "1", "1", "1", "1", "1", "1"]},
        {"rev{p}": "x", "q{p}": "1"},
        {},
    ],
)
def test_malformed_answers_get_a_clear_error_and_change_nothing(learner_client, quiz, payload):
    attempt = start(learner_client, quiz)
    question = attempt.questions.filter(kind="single").first()
    p = question.position
    data = {key.format(p=p): value for key, value in payload.items()}
    data.setdefault(f"rev{p}", "0")
    data[f"q{p}-shown"] = "1" if payload else data.get(f"q{p}-shown")
    data = {key: value for key, value in data.items() if value is not None}
    if not payload:
        data = {}
    response = learner_client.post(reverse("learning:save_answer", args=[attempt.pk, p]), data)
    assert response.status_code == 400
    assert re.search(r"[àáảãạăâđêôơưệộ]", response.json()["error"])  # a Vietnamese sentence
    assert not AttemptQuestion.objects.filter(attempt=attempt).exclude(answer=[]).exists()


def test_answers_to_questions_not_in_the_attempt_are_refused(learner_client, quiz):
    attempt = start(learner_client, quiz)
    response = learner_client.post(
        reverse("learning:save_answer", args=[attempt.pk, 6]), {"q6": "1", "rev6": "0"}
    )
    assert response.status_code == 404 and "không có trong bài làm" in response.json()["error"]


def test_huge_bodies_are_refused_before_reading(learner_client, quiz):
    attempt = start(learner_client, quiz)
    response = learner_client.post(
        reverse("learning:save_answer", args=[attempt.pk, 1]), {"q1": "1", "rev1": "0", "pad": "x" * 20_000}
    )
    assert response.status_code == 413 and "quá lớn" in response.json()["error"]
    response = learner_client.post(
        reverse("learning:attempt", args=[attempt.pk]), {"submit": "1", "pad": "x" * 100_000}, follow=True
    )
    assert "quá lớn" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.is_open and not AttemptQuestion.objects.filter(attempt=attempt).exclude(answer=[]).exists()


def test_resume_on_a_second_device_shows_exactly_the_saved_answers(learner, learner_client, quiz):
    attempt = start(learner_client, quiz)
    question = attempt.questions.filter(kind="single").first()
    autosave(learner_client, attempt, question, ["3"])
    phone = Client()
    phone.force_login(learner)
    # Starting again on the phone returns to the same attempt.
    assert start(phone, quiz).pk == attempt.pk
    page = phone.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert f'name="q{question.position}" value="3" id="q{question.position}-3" checked' in page
    # Same options in the same order on both devices.
    first = learner_client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    options = re.compile(r'<label for="q\d+-\d+">\s*(?:<img[^>]*>)?\s*<span>([^<]+)</span>')
    assert options.findall(first) == options.findall(page)


def test_another_learners_attempt_does_not_exist_for_them(quiz, learner_client):
    attempt = start(learner_client, quiz)
    stranger = Client()
    stranger.force_login(ProfileFactory().user)
    for url in [
        reverse("learning:attempt", args=[attempt.pk]),
        reverse("learning:attempt_result", args=[attempt.pk]),
    ]:
        assert stranger.get(url).status_code == 404
    assert (
        stranger.post(
            reverse("learning:save_answer", args=[attempt.pk, 1]), {"q1": "1", "rev1": "0"}
        ).status_code
        == 404
    )
    assert stranger.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_double_submit_changes_nothing(learner_client, quiz):
    attempt = start(learner_client, quiz)
    url = reverse("learning:attempt", args=[attempt.pk])
    first = learner_client.post(url, {"submit": "1", "submit_key": "k"})
    attempt.refresh_from_db()
    finished_at = attempt.finished_at
    second = learner_client.post(url, {"submit": "1", "submit_key": "k"})
    assert first["Location"] == second["Location"]
    attempt.refresh_from_db()
    assert attempt.finished_at == finished_at and Attempt.objects.count() == 1


# --- the leak scan -------------------------------------------------------------------------


def test_no_key_explanation_or_unused_question_reaches_the_learner_during_an_attempt(learner_client, quiz):
    """Every payload a learner can get before submitting: pages, JSON replies of every kind."""
    payloads: list[str] = []

    def keep(response):
        payloads.append(response.content.decode())
        return response

    keep(learner_client.get(reverse("learning:quiz", args=[quiz.pk])))
    attempt = start(learner_client, quiz)
    questions = list(attempt.questions.order_by("position"))
    for question in questions:
        keep(learner_client.get(reverse("learning:attempt", args=[attempt.pk]) + f"?cau={question.position}"))
    for question in questions:
        keep(autosave(learner_client, attempt, question, right_positions(question)))  # 200
        keep(autosave(learner_client, attempt, question, ["1"], revision=0))  # 409 or 200
        keep(autosave(learner_client, attempt, question, ["99"]))  # 400
    keep(learner_client.post(reverse("learning:save_answer", args=[attempt.pk, 99]), {}))  # 404
    keep(learner_client.get(reverse("learning:attempt", args=[attempt.pk])))
    keep(learner_client.get(reverse("learning:quiz", args=[quiz.pk])))
    keep(learner_client.get(reverse("learning:attempt_result", args=[attempt.pk]), follow=True))

    drawn = {q.question_id for q in questions}
    secrets = []
    for question in Question.objects.prefetch_related("options"):
        secrets.append(question.explanation)
        secrets.extend(option.explanation for option in question.options.all())
        if question.pk not in drawn:
            secrets.append(question.text)
            secrets.extend(option.text for option in question.options.all())
    assert len(secrets) > 20
    everything = "\n".join(payloads)
    leaked = [secret for secret in secrets if secret in everything]
    assert leaked == []
    for word in ("correct", "is_correct", "explanation", "giải thích", "đáp án đúng", "GIAI-THICH"):
        assert word not in everything, word
    # Options are named by their place on the page, never by an id from the bank.
    values = re.findall(r'name="q\d+(?:-\d+)?" value="(\d+)"', everything)
    assert values and all(1 <= int(value) <= 8 for value in values)
    for reply in payloads:
        if reply.startswith("{"):
            assert set(json.loads(reply)) <= {
                "saved",
                "revision",
                "saved_at",
                "error",
                "positions",
                "result_url",
            }


def test_review_follows_the_quiz_policy(learner_client):
    make_question(options=["Không bao giờ", "Khi được hỏi"], correct=[0])
    for show_correct, show_explanations in [(False, False), (True, False), (True, True)]:
        quiz = make_quiz(count=1, show_correct_answers=show_correct, show_explanations=show_explanations)
        attempt = start(learner_client, quiz)
        learner_client.post(reverse("learning:attempt", args=[attempt.pk]), {"submit": "1"})
        page = learner_client.get(reverse("learning:attempt_result", args=[attempt.pk])).content.decode()
        assert "0/1 điểm" in page and "Bạn bỏ trống câu này" in page
        assert ("đáp án đúng</span>" in page) == show_correct
        assert ("GIAI-THICH" in page) == show_explanations


def test_the_data_export_holds_attempts_and_deleting_the_account_removes_them(learner_client, learner, quiz):
    attempt = start(learner_client, quiz)
    question = attempt.questions.filter(kind="single").first()
    autosave(learner_client, attempt, question, ["2"])
    exported = learner_client.get(reverse("accounts:export_data")).json()
    [record] = exported["quiz_attempts"]
    assert record["number"] == 1 and record["finished_at"] is None
    answer = next(a for a in record["answers"] if a["question"] == question.text)
    assert answer["chosen"] == [question.options[1]["text"]] and answer["points"] is None
    learner.delete()
    assert not Attempt.objects.exists() and not AttemptQuestion.objects.exists()


def test_a_quiz_practised_many_times_lists_the_latest_attempts_and_points_to_the_best(
    learner, learner_client, quiz, django_capture_on_commit_callbacks
):
    quiz.attempts_allowed, quiz.wait_minutes = 0, 0  # unlimited practice
    quiz.save()
    attempt_ids = []
    for number in range(1, 15):
        attempt = attempts.start_attempt(learner, quiz)
        if number == 3:  # the best, long ago
            for question in attempt.questions.all():
                right = [question.option_ids.index(i) + 1 for i in question.correct_ids]
                attempts.save_answer(attempt, question.position, right, question.revision)
        with django_capture_on_commit_callbacks(execute=True):
            attempts.submit_attempt(attempt)
        attempt_ids.append(attempt.pk)

    with CaptureQueriesContext(connection) as queries:
        page = learner_client.get(reverse("learning:quiz", args=[quiz.pk])).content.decode()

    assert "Bạn đã làm 14 lần; dưới đây là 10 lần gần nhất." in page
    results = {pk: reverse("learning:attempt_result", args=[pk]) for pk in attempt_ids}
    assert all(results[pk] in page for pk in attempt_ids[4:])  # attempts 5 to 14
    assert not any(results[pk] in page for pk in [*attempt_ids[:2], attempt_ids[3]])
    assert f'<a href="{results[attempt_ids[2]]}">Điểm cao nhất: 100% (lần 3)</a>' in page
    assert "Bạn đã đạt bài kiểm tra này." in page  # only attempt 3 passed
    # Only the newest attempts are read whole; the rest are counted and the best is fetched.
    attempt_reads = [q["sql"] for q in queries.captured_queries if 'FROM "quizzes_attempt"' in q["sql"]]
    assert attempt_reads and all("LIMIT" in sql or "COUNT(" in sql for sql in attempt_reads), attempt_reads

    assert attempts.start_attempt(learner, quiz).number == 15
    page = learner_client.get(reverse("learning:quiz", args=[quiz.pk])).content.decode()
    assert "Làm tiếp bài đang dở" in page and "Bạn đã làm 14 lần" in page
