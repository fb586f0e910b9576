"""The attempt lifecycle through its domain functions: draw, answer, submit, time out, limits."""

import random
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes import attempts
from quizzes.models import Accommodation, Attempt, AttemptQuestion, FinishedBy
from quizzes.signals import attempt_passed
from tests.quizzes.builders import bank, make_question, make_quiz

pytestmark = pytest.mark.django_db


def answer_all_right(attempt: Attempt) -> None:
    for question in attempt.questions.order_by("position"):
        ids = question.option_ids
        positions = [ids.index(option_id) + 1 for option_id in question.correct_ids]
        attempts.save_answer(attempt, question.position, positions, question.revision)


def test_start_draws_from_the_tag_shuffles_and_stores_the_order(learner):
    questions = bank(kinds=["single"] * 12)
    make_question(tag="chu-de-khac")
    quiz = make_quiz(count=10)
    attempt = attempts.start_attempt(learner, quiz, rng=random.Random(1))
    drawn = list(attempt.questions.order_by("position"))
    assert len(drawn) == 10
    assert {q.question_id for q in drawn} <= {q.pk for q in questions}
    assert [q.position for q in drawn] == list(range(1, 11))
    # The stored order is what every later read sees, whatever the bank does meanwhile.
    first = drawn[0]
    shown = [option["text"] for option in first.options]
    first.question.options.all().delete()
    assert [option["text"] for option in AttemptQuestion.objects.get(pk=first.pk).options] == shown


def test_different_attempts_get_different_draws_and_option_orders(learner, django_user_model):
    bank(kinds=["single"] * 12)
    quiz = make_quiz(count=10, attempts_allowed=0)
    orders = set()
    for seed in range(6):
        attempt = attempts.start_attempt(learner, quiz, rng=random.Random(seed))
        orders.add(tuple((q.question_id, tuple(o["id"] for o in q.options)) for q in attempt.questions.all()))
        attempts.submit_attempt(attempt)
    assert len(orders) == 6


def test_ordering_questions_never_start_in_the_right_order(learner):
    make_question("ordering")
    quiz = make_quiz(count=1, attempts_allowed=0)
    for seed in range(20):
        attempt = attempts.start_attempt(learner, quiz, rng=random.Random(seed))
        question = attempt.questions.get()
        assert question.option_ids != question.correct_ids
        attempts.submit_attempt(attempt)


def test_inactive_questions_are_not_drawn(learner):
    active = make_question()
    make_question(active=False)
    quiz = make_quiz(count=5)
    attempt = attempts.start_attempt(learner, quiz)
    assert [q.question_id for q in attempt.questions.all()] == [active.pk]


def test_a_quiz_without_questions_says_so(learner):
    quiz = make_quiz(tag="khong-co-cau-nao")
    with pytest.raises(attempts.QuizUnavailable):
        attempts.start_attempt(learner, quiz)
    assert not Attempt.objects.exists()


def test_starting_again_returns_the_open_attempt(learner):
    bank()
    quiz = make_quiz()
    first = attempts.start_attempt(learner, quiz)
    assert attempts.start_attempt(learner, quiz).pk == first.pk
    assert Attempt.objects.count() == 1


def test_full_marks_pass_and_send_the_signal_once(learner, django_capture_on_commit_callbacks):
    bank()
    quiz = make_quiz(count=6)
    received = []

    def listener(sender, attempt, learner, quiz, **kwargs):
        received.append(attempt.pk)

    attempt_passed.connect(listener)
    try:
        attempt = attempts.start_attempt(learner, quiz)
        answer_all_right(attempt)
        with django_capture_on_commit_callbacks(execute=True):
            done = attempts.submit_attempt(attempt, key="k1")
        with django_capture_on_commit_callbacks(execute=True):
            again = attempts.submit_attempt(attempt, key="k1")
    finally:
        attempt_passed.disconnect(listener)
    assert done.passed and done.percent == 100.0 and done.points == 6
    assert again.finished_at == done.finished_at and again.points == done.points
    assert received == [attempt.pk]
    assert all(q.correct for q in attempt.questions.all())


def test_score_comes_from_stored_answers_only(learner):
    bank(kinds=["single"] * 4)
    quiz = make_quiz(count=4)
    attempt = attempts.start_attempt(learner, quiz)
    question = attempt.questions.first()
    wrong = next(
        i for i, option_id in enumerate(question.option_ids, 1) if option_id not in question.correct_ids
    )
    attempts.save_answer(attempt, question.position, [wrong], 0)
    done = attempts.submit_attempt(attempt)
    assert done.points == 0 and done.percent == 0 and not done.passed


def test_a_stale_or_replayed_answer_changes_nothing(learner):
    make_question(options=["A", "B", "C"], correct=[0])
    quiz = make_quiz(count=1)
    attempt = attempts.start_attempt(learner, quiz)
    attempts.save_answer(attempt, 1, [1], 0)  # the old payload: position 1 at revision 0
    attempts.save_answer(attempt, 1, [2], 1)  # changed on another device
    with pytest.raises(attempts.StaleAnswer):
        attempts.save_answer(attempt, 1, [1], 0)  # the old payload, replayed
    question = attempt.questions.get()
    assert attempts.answer_positions(question) == [2] and question.revision == 2
    # The same answer sent twice (a retry after a lost response) is simply accepted.
    assert attempts.save_answer(attempt, 1, [2], 1).revision == 2


def test_a_question_passed_in_is_checked_again_under_the_lock(learner):
    make_question(options=["A", "B", "C"], correct=[0])
    make_question(options=["D", "E", "F"], correct=[0])
    quiz = make_quiz(count=2)
    attempt = attempts.start_attempt(learner, quiz)
    first, second = attempt.questions.order_by("position")
    loaded = AttemptQuestion.objects.get(pk=first.pk)  # as the autosave view loaded it
    attempts.save_answer(attempt, 1, [2], 0, question=first)  # another tab saves meanwhile
    with pytest.raises(attempts.StaleAnswer):
        attempts.save_answer(attempt, 1, [3], 0, question=loaded)  # its old revision is seen
    # A question of another position is not trusted: the one at the position is saved.
    attempts.save_answer(attempt, 2, [3], 0, question=first)
    assert attempts.answer_positions(AttemptQuestion.objects.get(pk=second.pk)) == [3]
    assert attempts.answer_positions(AttemptQuestion.objects.get(pk=first.pk)) == [2]


def test_answers_that_cannot_belong_to_the_question_are_refused(learner):
    make_question("single")
    make_question("ordering")
    quiz = make_quiz(count=2)
    attempt = attempts.start_attempt(learner, quiz)
    single = attempt.questions.get(kind="single")
    ordering = attempt.questions.get(kind="ordering")
    for position, positions in [
        (single.position, [9]),
        (single.position, [0]),
        (single.position, [1, 2]),
        (ordering.position, [1, 1, 2, 3]),
        (ordering.position, [1, 2]),
        (99, [1]),
    ]:
        with pytest.raises(attempts.InvalidAnswer):
            attempts.save_answer(attempt, position, positions, 0)
    assert not AttemptQuestion.objects.filter(attempt=attempt).exclude(answer=[]).exists()


def test_no_answer_after_submit(learner):
    make_question()
    quiz = make_quiz(count=1)
    attempt = attempts.start_attempt(learner, quiz)
    attempts.submit_attempt(attempt)
    with pytest.raises(attempts.AttemptClosed):
        attempts.save_answer(attempt, 1, [1], 0)


def test_attempt_limit_and_wait_between_attempts(learner):
    make_question()
    quiz = make_quiz(count=1, attempts_allowed=2, wait_minutes=30)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempts.submit_attempt(attempts.start_attempt(learner, quiz))
        with pytest.raises(attempts.MustWait) as waited:
            attempts.start_attempt(learner, quiz)
        assert waited.value.until == start + timedelta(minutes=30)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        attempts.submit_attempt(attempts.start_attempt(learner, quiz))
    with time_machine.travel(start + timedelta(hours=2), tick=False), pytest.raises(attempts.NoAttemptsLeft):
        attempts.start_attempt(learner, quiz)
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 2


def test_the_database_refuses_an_attempt_beyond_the_limit_or_a_second_open_one(learner):
    make_question()
    quiz = make_quiz(count=1, attempts_allowed=1)
    attempt = attempts.start_attempt(learner, quiz)
    common = {"quiz": quiz, "learner": learner, "pass_percent": 70, "started_at": timezone.now()}
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=2, attempts_allowed=1, **common)  # over the limit
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=2, attempts_allowed=5, **common)  # a second open attempt
    attempts.submit_attempt(attempt)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(number=1, attempts_allowed=5, **common)  # the same number again


def test_deadline_finishes_the_attempt_with_what_was_saved(learner):
    bank(kinds=["single"] * 2)
    quiz = make_quiz(count=2, time_limit_minutes=10)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = attempts.start_attempt(learner, quiz)
        assert attempt.deadline == start + timedelta(minutes=10)
        first = attempt.questions.get(position=1)
        right = first.option_ids.index(first.correct_ids[0]) + 1
        attempts.save_answer(attempt, 1, [right], 0)
    # Within the grace period an answer in flight still counts.
    with time_machine.travel(start + timedelta(minutes=10, seconds=5), tick=False):
        attempts.save_answer(attempt, 2, [1], 0)
    with time_machine.travel(start + timedelta(minutes=11), tick=False):
        with pytest.raises(attempts.AttemptClosed):
            attempts.save_answer(attempt, 2, [2], 1)
        attempt.refresh_from_db()
        assert not attempt.is_open
        assert attempt.finished_by == FinishedBy.TIMEOUT
        assert attempt.finished_at == start + timedelta(minutes=10)
        assert attempt.points >= 1
        # A late submit changes nothing.
        assert attempts.submit_attempt(attempt, key="late").submit_key == ""


def test_worker_sweep_finishes_abandoned_attempts(learner):
    make_question()
    quiz = make_quiz(count=1, time_limit_minutes=5)
    untimed = make_quiz(count=1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        timed_attempt = attempts.start_attempt(learner, quiz)
        open_attempt = attempts.start_attempt(learner, untimed)
    assert attempts.finish_overdue_attempts(start + timedelta(minutes=4)) == 0
    assert attempts.finish_overdue_attempts(start + timedelta(minutes=6)) == 1
    timed_attempt.refresh_from_db()
    open_attempt.refresh_from_db()
    assert timed_attempt.finished_by == FinishedBy.TIMEOUT and timed_attempt.passed is False
    assert open_attempt.is_open


def test_accommodations_extend_time_remove_the_limit_and_add_attempts(learner, official):
    make_question()
    quiz = make_quiz(count=1, time_limit_minutes=10, attempts_allowed=1)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        attempt = attempts.start_attempt(learner, quiz)
        grant = Accommodation.objects.create(
            learner=learner,
            quiz=quiz,
            extra_minutes=15,
            reason="Người cao tuổi, đọc chậm",
            granted_by=official,
        )
        attempts.grant_accommodation(grant)
    attempt.refresh_from_db()
    assert attempt.deadline == start + timedelta(minutes=25)
    grant.no_time_limit, grant.extra_attempts = True, 1
    grant.save()
    attempts.grant_accommodation(grant)
    attempt.refresh_from_db()
    assert attempt.deadline is None
    attempts.submit_attempt(attempt)
    second = attempts.start_attempt(learner, quiz)
    assert second.number == 2 and second.deadline is None and second.attempts_allowed == 2


def test_starting_costs_the_same_few_queries_whatever_the_bank_size(learner):
    """A class starting together: after the first start, the pool comes from the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import ProfileFactory

    def queries_to_start(bank_size: int, tag: str) -> int:
        bank(kinds=["single"] * bank_size, tag=tag)
        quiz = make_quiz(count=10, tag=tag)
        attempts.start_attempt(ProfileFactory().user, quiz)  # the first start builds the cached pool
        with CaptureQueriesContext(connection) as queries:
            attempts.start_attempt(learner, quiz)
        return len(queries)

    small, large = queries_to_start(12, "nho"), queries_to_start(80, "lon")
    assert small == large, (small, large)
    assert large <= 6, large  # 8 while the accommodation and the last number were read twice
