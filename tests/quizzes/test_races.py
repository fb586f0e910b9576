"""50 concurrent requests of one learner: one attempt, limits kept, one grade (both databases)."""

import random
import time

import pytest

from quizzes import attempts
from quizzes.models import Attempt, AttemptQuestion
from quizzes.signals import attempt_passed
from tests.concurrency import all_at_once
from tests.quizzes.builders import bank, make_quiz

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
REQUESTS = 50


def test_fifty_concurrent_starts_make_one_attempt(learner):
    bank()
    quiz = make_quiz(count=5, attempts_allowed=1)
    started, errors = all_at_once(lambda: attempts.start_attempt(learner, quiz).pk, REQUESTS)
    assert errors == []
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 1
    assert len(set(started)) == 1 and len(started) == REQUESTS
    assert AttemptQuestion.objects.filter(attempt_id=started[0]).count() == 5


def test_fifty_concurrent_starts_after_the_last_allowed_attempt_make_none(learner):
    bank()
    quiz = make_quiz(count=5, attempts_allowed=2)
    attempts.submit_attempt(attempts.start_attempt(learner, quiz))
    # The second (last) attempt, started by 50 taps at once, then 50 more taps once it is used.
    _started, errors = all_at_once(lambda: attempts.start_attempt(learner, quiz), REQUESTS)
    assert errors == []
    attempts.submit_attempt(Attempt.objects.get(learner=learner, quiz=quiz, state="open"))
    _started, errors = all_at_once(lambda: attempts.start_attempt(learner, quiz), REQUESTS)
    assert len(errors) == REQUESTS and all(isinstance(error, attempts.NoAttemptsLeft) for error in errors)
    assert sorted(Attempt.objects.filter(learner=learner, quiz=quiz).values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_fifty_concurrent_submits_grade_once(learner):
    bank(kinds=["single"] * 5)
    quiz = make_quiz(count=5)
    attempt = attempts.start_attempt(learner, quiz)
    for question in attempt.questions.all():
        right = question.option_ids.index(question.correct_ids[0]) + 1
        attempts.save_answer(attempt, question.position, [right], 0)
    passed = []

    def listener(sender, attempt, **kwargs):
        passed.append(attempt.pk)

    attempt_passed.connect(listener)
    try:
        results, errors = all_at_once(lambda: attempts.submit_attempt(attempt, key="nop-1"), REQUESTS)
    finally:
        attempt_passed.disconnect(listener)
    assert errors == []
    assert {result.finished_at for result in results} == {results[0].finished_at}
    assert passed == [attempt.pk]
    attempt.refresh_from_db()
    assert attempt.passed and attempt.points == 5


DELAYS = [0.0, 0.002, 0.005, 0.01, 0.02, 0.04]  # so that answers arrive before, during and after


def submit_among_answers(attempt: Attempt) -> tuple[list[object], list[Exception]]:
    """The attempt submitted while three answers to each question arrive, each over revision 0
    (the first written makes the other two stale), each after a delay of its own."""

    def answer(position: int, choice: int, delay: float):
        time.sleep(delay)
        return attempts.save_answer(attempt, position, [choice], 0)

    calls = [lambda: attempts.submit_attempt(attempt)]
    for position in range(1, attempt.questions.count() + 1):
        for choice, delay in zip((1, 2, 3), random.sample(DELAYS, 3), strict=True):
            calls.append(lambda p=position, c=choice, d=delay: answer(p, c, d))
    return all_at_once(lambda: calls.pop()(), len(calls))


def test_answers_saved_while_the_attempt_is_submitted_are_graded_or_refused(learner):
    """Each answer racing a submit is either in the grade or refused as closed, never written
    after the grading: the graded points always match the answers kept."""
    from quizzes import grading

    bank(kinds=["single"] * 5)
    quiz = make_quiz(count=5, attempts_allowed=20)
    refused = written = 0
    for _round in range(6):
        attempt = attempts.start_attempt(learner, quiz)
        results, errors = submit_among_answers(attempt)
        assert all(isinstance(e, (attempts.AttemptClosed, attempts.StaleAnswer)) for e in errors), errors
        refused += sum(isinstance(e, attempts.AttemptClosed) for e in errors)
        written += sum(isinstance(r, AttemptQuestion) for r in results)
        attempt.refresh_from_db()
        assert attempt.state == "finished"
        kept = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
        for question in kept:
            assert question.points == float(grading.score_question(question.key, question.answer))
            assert question.revision == (1 if question.answer else 0)
        assert attempt.points == sum(question.points for question in kept)
    assert written and refused  # both sides of the race happened
