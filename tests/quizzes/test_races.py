"""50 concurrent requests of one learner: one attempt, limits kept, one grade (both databases)."""

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
