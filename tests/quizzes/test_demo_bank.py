"""The Vietnamese demo question bank and the final quiz of every demo course."""

import copy
from collections import Counter

import pytest
from django.core.management import call_command

from courses.demo import read_courses
from courses.models import CoursePage
from quizzes import attempts
from quizzes.demo import ContentError, read_files, validate_file
from quizzes.models import Question, Quiz


def test_at_least_sixty_questions_ten_per_course_all_explained():
    files = read_files()
    assert {data["course"] for data in files} == {course["slug"] for course in read_courses()}
    assert sum(len(data["questions"]) for data in files) >= 60
    kinds = Counter()
    for data in files:
        assert len(data["questions"]) >= 10, data["course"]
        assert data["quiz"]["draw"][0]["count"] >= 10
        for question in data["questions"]:
            assert question["explanation"].strip(), question["text"]
            assert data["course"] in question["tags"]
            kinds[question["kind"]] += 1
    assert set(kinds) == {"single", "multiple", "true_false", "image_choice", "ordering"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(colour="red"), "unknown fields"),
        (lambda d: d["questions"][0].update(kind="essay"), "unknown kind"),
        (lambda d: d["questions"][0].update(tags=["Có Dấu"]), "tags must be"),
        (lambda d: d["quiz"]["draw"][0].update(count=99), "which has"),
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "repeated"),
    ],
)
def test_the_loader_refuses_bad_content_naming_the_place(change, message):
    data = copy.deepcopy(read_files()[0])
    change(data)
    with pytest.raises(ContentError, match=message):
        validate_file(data, "thu.toml")


def test_a_question_without_one_right_option_is_refused():
    data = copy.deepcopy(read_files()[0])
    single = next(q for q in data["questions"] if q["kind"] == "single")
    for option in single["options"]:
        option["correct"] = False
    with pytest.raises(ContentError, match="đúng một đáp án"):
        validate_file(data, "thu.toml")


@pytest.mark.django_db
def test_demo_content_links_every_course_to_a_final_quiz_that_can_be_taken(learner):
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo_content", stdout=open("/dev/null", "w"))  # noqa: SIM115 - twice: nothing doubles
    assert Question.objects.count() == sum(len(data["questions"]) for data in read_files())
    assert Quiz.objects.count() == 5
    for course in CoursePage.objects.live():
        quiz = course.final_quiz
        assert quiz is not None, course.slug
        attempt = attempts.start_attempt(learner, quiz)
        assert attempt.questions.count() == 10
        pictures = [o for q in attempt.questions.all() for o in q.options if o.get("image_id")]
        assert all(o["text"] for o in pictures)
    assert course.latest_revision.as_object().final_quiz_id == course.final_quiz_id
