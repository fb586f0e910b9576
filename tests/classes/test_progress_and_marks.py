"""What a facilitator sees of each member (progress, where they are stuck) and the help they mark."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import Scenario
from courses.sandboxes.demo import load_scenarios
from learning import classes, progress, sandboxes
from learning.models import AssistedMark, SandboxRun, StepRecord
from tests.courses.builders import build_course, lessons_of
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

SCENARIO = "dang-nhap-dich-vu-cong"


def html(response) -> str:
    return response.content.decode()


def study(learner, course, done: int, opened: int | None = None) -> None:
    """Complete the first ``done`` lessons and open lesson number ``opened``."""
    lessons = lessons_of(course)
    for lesson in lessons[:done]:
        progress.complete_lesson(learner, course, lesson)
    enrollment = progress.enrol(learner, course)
    if opened:
        progress.record_lesson_opened(enrollment, lessons[opened - 1].pk)


def practise(learner, mistakes: list[int]) -> SandboxRun:
    """A run of the login scenario with these mistakes on its first steps."""
    load_scenarios()
    scenario = Scenario.objects.get(slug=SCENARIO)
    run = sandboxes.start_run(learner, scenario)
    for index, count in enumerate(mistakes):
        StepRecord.objects.create(
            run=run,
            step_index=index,
            kind=run.steps[index]["type"],
            first_seen_at=timezone.now(),
            mistakes=count,
        )
    return run


@pytest.fixture
def course():
    return build_course(modules=2, lessons_per_module=3)


def member_url(membership) -> str:
    return reverse("classes:member", args=[membership.learning_class_id, membership.pk])


def test_the_class_page_shows_each_members_lesson_and_hardest_step(
    facilitator_client, learning_class, membership, learner, course
):
    study(learner, course, done=2, opened=3)
    run = practise(learner, [1, 4, 0])
    hardest = classes.step_title(run, 1)

    page = html(facilitator_client.get(reverse("classes:detail", args=[learning_class.pk])))

    assert learner.profile.full_name in page
    assert course.title in page and "2/6 bài" in page and "Bài: Bài 3" in page
    assert f"Bước 2: {hardest}" in page and "4 lần sai" in page


def test_the_member_page_shows_progress_practice_and_passed_quizzes(
    facilitator_client, membership, learner, course
):
    study(learner, course, done=1)
    practise(learner, [2, 0])

    member = classes.get_member_progress(membership)
    page = html(facilitator_client.get(member_url(membership)))

    assert [(standing.done, standing.total, standing.current_lesson) for standing in member.courses] == [
        (1, 6, "Bài 2")
    ]
    assert member.stuck_step.step_index == 0 and member.stuck_step.mistakes == 2
    assert member.quizzes_passed == 0
    assert "Đã học 1/6 bài" in page and "Chỗ gặp khó nhất" in page and "Bài kiểm tra đã đạt" in page


def test_a_member_with_no_mistakes_is_not_stuck(membership, learner, course):
    practise(learner, [0, 0])
    assert classes.get_member_progress(membership).stuck_step is None


def test_marking_a_course_done_with_help_counts_once(facilitator_client, membership, learner, course):
    study(learner, course, done=1)
    url = reverse("classes:mark_course", args=[membership.learning_class_id, membership.pk])

    first = facilitator_client.post(url, {"khoa_hoc": course.pk})
    second = facilitator_client.post(url, {"khoa_hoc": course.pk})

    mark = AssistedMark.objects.get()
    assert (mark.learner, mark.course_id, mark.run, mark.learning_class) == (
        learner,
        course.pk,
        None,
        membership.learning_class,
    )
    assert first.url == member_url(membership) == second.url
    page = html(facilitator_client.get(member_url(membership)))
    assert "đã được ghi nhận từ trước" in page and "Đã ghi nhận: học với sự hỗ trợ" in page


def test_marking_a_sandbox_step_done_with_help_counts_once(
    facilitator_client, facilitator, membership, learner
):
    run = practise(learner, [3, 0])
    url = reverse("classes:mark_step", args=[membership.learning_class_id, membership.pk])

    facilitator_client.post(url, {"luot": run.pk, "buoc": 0})
    facilitator_client.post(url, {"luot": run.pk, "buoc": 0})

    mark = AssistedMark.objects.get()
    assert (mark.run, mark.step_index, mark.course, mark.marked_by) == (run, 0, None, facilitator)
    assert classes.mark_step_assisted(facilitator, membership, run, 0)[1] is False
    assert classes.get_member_progress(membership).stuck_step.assisted is True


def test_marks_for_something_that_is_not_the_members_are_refused(
    facilitator_client, membership, learner, course
):
    stranger_run = practise(ProfileFactory().user, [1])
    own_run = practise(learner, [1])
    course_url = reverse("classes:mark_course", args=[membership.learning_class_id, membership.pk])
    step_url = reverse("classes:mark_step", args=[membership.learning_class_id, membership.pk])

    not_enrolled = facilitator_client.post(course_url, {"khoa_hoc": course.pk}, follow=True)
    no_course = facilitator_client.post(course_url, {"khoa_hoc": "abc"}, follow=True)
    strangers = facilitator_client.post(step_url, {"luot": stranger_run.pk, "buoc": 0}, follow=True)
    beyond = facilitator_client.post(step_url, {"luot": own_run.pk, "buoc": 99}, follow=True)

    assert "Học viên chưa ghi danh khoá học này" in html(not_enrolled)
    assert "Không tìm thấy khoá học này" in html(no_course)
    assert "Không tìm thấy bước thực hành này" in html(strangers)
    assert "Không tìm thấy bước thực hành này" in html(beyond)
    assert not AssistedMark.objects.exists()


def test_another_facilitator_cannot_mark_through_the_domain(other_facilitator, membership, learner, course):
    study(learner, course, done=1)
    run = practise(learner, [1])
    with pytest.raises(PermissionDenied):
        classes.mark_course_assisted(other_facilitator, membership, course)
    with pytest.raises(PermissionDenied):
        classes.mark_step_assisted(other_facilitator, membership, run, 0)
    assert not AssistedMark.objects.exists()


def test_the_class_page_costs_the_same_queries_whatever_the_number_of_members(
    facilitator_client, learning_class, course
):
    url = reverse("classes:detail", args=[learning_class.pk])

    def add_member():
        learner = ProfileFactory().user
        classes.join_class(learner, learning_class.join_code)
        study(learner, course, done=2, opened=3)
        practise(learner, [1, 2])

    add_member()
    facilitator_client.get(url)
    with CaptureQueriesContext(connection) as one:
        facilitator_client.get(url)
    for _ in range(4):
        add_member()
    with CaptureQueriesContext(connection) as five:
        facilitator_client.get(url)
    assert len(one) == len(five)
