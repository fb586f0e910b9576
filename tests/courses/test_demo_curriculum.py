import copy

import pytest
from django.core.management import call_command
from wagtail.models import Page

from courses.demo import ContentError, read_courses, validate_course
from courses.models import CoursePage, LessonPage, ModulePage

EXPECTED_TITLES = {
    "Làm quen với điện thoại thông minh và Internet",
    "Tài khoản định danh điện tử VNeID",
    "Dịch vụ công trực tuyến toàn trình",
    "Thanh toán và mua sắm trực tuyến an toàn",
    "An toàn trên không gian mạng — nhận diện lừa đảo",
}


def test_the_five_courses_are_valid_and_complete():
    courses = read_courses()
    assert {course["title"] for course in courses} == EXPECTED_TITLES
    for course in courses:
        assert 2 <= len(course["modules"]) <= 4, course["title"]
        assert sum(len(module["lessons"]) for module in course["modules"]) >= 6, course["title"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(colour="red"), "unknown fields"),
        (lambda c: c.update(skill_area="bay"), "unknown skill_area"),
        (lambda c: c["modules"][0]["lessons"][0]["blocks"].append({"type": "video"}), "unknown block type"),
        (
            lambda c: c["modules"][0]["lessons"][0]["blocks"].append(
                {"type": "paragraph", "text": "<script>alert(1)</script>"}
            ),
            "not allowed",
        ),
        (
            lambda c: c["modules"][0]["lessons"][0]["blocks"].append(
                {
                    "type": "checkpoint",
                    "question": "?",
                    "choices": ["a", "b"],
                    "answer": 2,
                    "explanation": ".",
                }
            ),
            "answer out of range",
        ),
    ],
)
def test_bad_content_is_refused_with_its_place(change, message):
    course = copy.deepcopy(read_courses()[0])
    change(course)
    with pytest.raises(ContentError, match=message):
        validate_course(course, "thu.toml")


@pytest.mark.django_db
def test_demo_command_builds_the_curriculum_once():
    call_command("load_demo_content", verbosity=0)
    pages = Page.objects.count()
    call_command("load_demo_content", verbosity=0)

    assert Page.objects.count() == pages
    assert set(CoursePage.objects.live().values_list("title", flat=True)) == EXPECTED_TITLES
    for course in CoursePage.objects.all():
        assert course.cover_image is not None
        assert ModulePage.objects.child_of(course).live().count() >= 2
        assert LessonPage.objects.descendant_of(course).live().count() >= 6


@pytest.mark.django_db
def test_demo_command_embeds_every_practice_scenario_in_its_lesson_and_adds_learners_in_many_provinces():
    from courses.models import Scenario
    from courses.sandboxes.demo import SCENARIOS
    from learning.demo_learners import PREFIX
    from learning.models import Profile

    call_command("load_demo_content", verbosity=0)

    assert len(SCENARIOS) >= 8
    for data in SCENARIOS:
        scenario = Scenario.objects.get(slug=data["slug"])
        lesson = LessonPage.objects.live().get(slug=data["lesson"])
        embedded = [block.value["scenario"] for block in lesson.body if block.block_type == "sandbox"]
        assert scenario in embedded, data["slug"]
    learners = Profile.objects.filter(user__username__startswith=PREFIX)
    assert learners.count() >= 300
    assert learners.values("commune__province").distinct().count() >= 10


@pytest.mark.django_db
def test_demo_lessons_render_with_their_checkpoints(client):
    call_command("load_demo_content", verbosity=0)
    course = CoursePage.objects.get(slug="vneid")
    first = LessonPage.objects.descendant_of(course).live().order_by("path").first()
    html = client.get(first.url).content.decode()
    assert first.title in html
    assert "Câu hỏi nhanh" in html
