"""The "2 minutes left" notice, pushed by the learner's own socket (DESIGN §4)."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.utils import timezone

from quizzes import attempts
from quizzes.models import Attempt
from tests.learning.test_live_socket import communicator, session_cookie_for
from tests.quizzes.builders import make_question, make_quiz

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
async def _close_connections_of_the_sync_thread():
    yield
    await sync_to_async(connections.close_all)()


def timed_quiz(minutes: int = 3):
    make_question()
    return make_quiz(count=1, time_limit_minutes=minutes)


def start_with_deadline_in(learner, quiz, seconds: float) -> Attempt:
    attempt = attempts.start_attempt(learner, quiz)
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(seconds=seconds))
    return attempt


async def test_an_open_socket_is_warned_when_a_timed_attempt_nears_its_deadline(learner):
    quiz = await sync_to_async(timed_quiz)()
    attempt = await sync_to_async(start_with_deadline_in)(learner, quiz, 121)
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected
    assert await socket.receive_json_from() == {"type": "hello"}
    warning = await socket.receive_json_from(timeout=5)
    assert warning["type"] == "notification" and warning["kind"] == "quiz-time"
    assert "2 phút" in warning["body"] and warning["url"] == f"/bai-lam/{attempt.pk}/"
    for secret in ("correct", "explanation"):
        assert secret not in str(warning)
    await socket.disconnect()


async def test_starting_a_timed_attempt_arms_the_warning_on_pages_already_open(learner):
    quiz = await sync_to_async(timed_quiz)(minutes=2)  # 2 minutes: the warning is due at once
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_json_from()
    assert await socket.receive_nothing(timeout=0.3)
    await sync_to_async(attempts.start_attempt)(learner, quiz)
    warning = await socket.receive_json_from(timeout=5)
    assert warning["kind"] == "quiz-time"
    await socket.disconnect()


async def test_no_warning_for_untimed_or_finished_attempts(learner):
    def setup():
        make_question()
        untimed = make_quiz(count=1)
        attempts.start_attempt(learner, untimed)
        timed = make_quiz(count=1, time_limit_minutes=2)
        attempts.submit_attempt(attempts.start_attempt(learner, timed))

    await sync_to_async(setup)()
    socket = communicator(cookie=await sync_to_async(session_cookie_for)(learner))
    connected, _ = await socket.connect()
    assert connected
    await socket.receive_json_from()
    assert await socket.receive_nothing(timeout=1)
    await socket.disconnect()
