"""A course's final quiz is part of its completion rule; passing reaches learning as a signal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import progress
from learning.models import Enrollment
from learning.signals import course_completed
from quizzes import attempts
from tests.courses.builders import build_course, lessons_of
from tests.factories import ProfileFactory
from tests.quizzes.builders import make_question, make_quiz

pytestmark = pytest.mark.django_db


def pass_quiz(learner, quiz, capture):
    attempt = attempts.start_attempt(learner, quiz)
    for question in attempt.questions.all():
        right = [question.option_ids.index(i) + 1 for i in question.correct_ids]
        attempts.save_answer(attempt, question.position, right, 0)
    with capture(execute=True):
        return attempts.submit_attempt(attempt)


@pytest.fixture
def course_with_quiz(db):
    make_question()
    quiz = make_quiz(count=1)
    course = build_course(modules=1, lessons_per_module=2)
    course.final_quiz = quiz
    course.save_revision().publish()
    return course, quiz


@pytest.fixture
def completions():
    received = []

    def listener(sender, learner, course, **kwargs):
        received.append(course.pk)

    course_completed.connect(listener)
    yield received
    course_completed.disconnect(listener)


def test_lessons_alone_do_not_complete_a_course_with_a_final_quiz(
    learner, course_with_quiz, completions, django_capture_on_commit_callbacks
):
    course, quiz = course_with_quiz
    for lesson in lessons_of(course):
        with django_capture_on_commit_callbacks(execute=True):
            assert progress.complete_lesson(learner, course, lesson) is False
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is None
    pass_quiz(learner, quiz, django_capture_on_commit_callbacks)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None
    # Passing again later changes nothing: completed once.
    pass_quiz(learner, quiz, django_capture_on_commit_callbacks)
    assert completions == [course.pk]


def test_passing_first_then_finishing_the_lessons_completes_it(
    learner, course_with_quiz, completions, django_capture_on_commit_callbacks
):
    course, quiz = course_with_quiz
    pass_quiz(learner, quiz, django_capture_on_commit_callbacks)
    first, last = lessons_of(course)
    progress.complete_lesson(learner, course, first)
    with django_capture_on_commit_callbacks(execute=True):
        assert progress.complete_lesson(learner, course, last) is True
    assert completions == [course.pk]


def test_a_failed_attempt_does_not_complete_the_course(
    learner, course_with_quiz, django_capture_on_commit_callbacks
):
    course, quiz = course_with_quiz
    for lesson in lessons_of(course):
        progress.complete_lesson(learner, course, lesson)
    with django_capture_on_commit_callbacks(execute=True):
        attempts.submit_attempt(attempts.start_attempt(learner, quiz))
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is None


def test_course_page_shows_the_final_quiz_and_the_quiz_page_links_back(learner_client, course_with_quiz):
    course, quiz = course_with_quiz
    page = learner_client.get(course.url).content.decode()
    assert "Bài kiểm tra cuối khoá" in page and reverse("learning:quiz", args=[quiz.pk]) in page
    quiz_page = learner_client.get(reverse("learning:quiz", args=[quiz.pk])).content.decode()
    assert course.title in quiz_page


def test_course_page_marks_the_final_quiz_passed_for_the_learner_who_passed_it(
    client, learner, course_with_quiz, django_capture_on_commit_callbacks
):
    course, quiz = course_with_quiz
    client.force_login(learner)

    def marked_passed() -> bool:
        return "✓ đã đạt" in client.get(course.url).content.decode()

    assert not marked_passed()
    attempts.submit_attempt(attempts.start_attempt(learner, quiz))  # nothing answered: failed
    assert not marked_passed()
    pass_quiz(ProfileFactory().user, quiz, django_capture_on_commit_callbacks)  # someone else
    assert not marked_passed()
    pass_quiz(learner, quiz, django_capture_on_commit_callbacks)
    assert marked_passed()


def test_a_quiz_block_in_a_lesson_opens_the_quiz(learner_client):
    from courses.demo import lesson_body
    from courses.models import LessonPage

    make_question()
    quiz = make_quiz(count=1)
    course = build_course(modules=1, lessons_per_module=1)
    lesson = LessonPage.objects.descendant_of(course).get()
    lesson.body = [
        *lesson_body([{"type": "paragraph", "text": "<p>Đọc kỹ.</p>"}]),
        ("quiz", {"quiz": quiz, "intro": "Làm thử 1 câu."}),
    ]
    lesson.save_revision().publish()
    page = learner_client.get(lesson.url).content.decode()
    assert "Làm thử 1 câu." in page and reverse("learning:quiz", args=[quiz.pk]) in page


def test_the_quiz_pages_lead_back_to_the_course_as_it_is_now(learner_client, course_with_quiz):
    course, quiz = course_with_quiz
    intro = reverse("learning:quiz", args=[quiz.pk])
    learner_client.get(intro)
    with CaptureQueriesContext(connection) as captured:  # remembered: the course is not looked up
        page = learner_client.get(intro).content.decode()
    assert f'<a href="{course.url}">{course.title}</a>' in page
    assert not any('"courses_coursepage"' in query["sql"] for query in captured.captured_queries)

    attempt = learner_client.post(reverse("learning:start_quiz", args=[quiz.pk]))["Location"]
    assert f'<a href="{course.url}">← Về khoá học' in learner_client.get(attempt).content.decode()

    course.title = "Khoá học đã đổi tên"
    course.save_revision().publish()
    assert '">Khoá học đã đổi tên</a>' in learner_client.get(intro).content.decode()

    course.unpublish()
    assert "Về khoá học" not in learner_client.get(intro).content.decode()
