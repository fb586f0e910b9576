import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.demo import ensure_catalogue, lesson_body
from learning import progress
from learning.models import CheckpointAnswer, Enrollment, LessonProgress
from learning.signals import course_completed
from tests.courses.builders import build_course, lessons_of
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def complete(client, lesson):
    return client.post(reverse("learning:complete_lesson", args=[lesson.pk]))


def html(response) -> str:
    return response.content.decode()


# --- enrolment and completion --------------------------------------------------------------


def test_enrolling_twice_keeps_one_enrolment_and_goes_to_the_first_lesson(learner_client, learner):
    course = build_course()
    first = lessons_of(course)[0]
    url = reverse("learning:enrol", args=[course.pk])

    responses = [learner_client.post(url), learner_client.post(url)]

    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1
    assert all(response.url == first.url for response in responses)


def test_completing_a_lesson_twice_counts_once_and_moves_on(learner_client, learner):
    course = build_course()
    first, second = lessons_of(course)[:2]

    responses = [complete(learner_client, first), complete(learner_client, first)]

    assert LessonProgress.objects.filter(learner=learner, lesson=first).count() == 1
    assert all(response.url == second.url for response in responses)


def test_marking_a_lesson_done_writes_once_without_reading_the_pages_again(learner_client):
    course = build_course(modules=1, lessons_per_module=3)
    first, second, third = lessons_of(course)
    complete(learner_client, first)
    someone_else = Client()
    someone_else.force_login(ProfileFactory().user)
    complete(someone_else, first)
    complete(someone_else, second)  # the process remembers the lessons and their course

    with CaptureQueriesContext(connection) as captured:
        response = complete(learner_client, second)
    assert response.status_code == 302 and response["Location"] == third.url
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [sql for sql in statements if "wagtailcore_page" in sql]
    assert sum(sql.startswith("INSERT") for sql in statements) == 1
    # Its own transaction only (a savepoint inside the test's): no savepoint around the insert.
    assert sum(sql.startswith("SAVEPOINT") for sql in statements) == 1

    third.unpublish()
    assert complete(learner_client, third).status_code == 404
    assert LessonProgress.objects.filter(lesson=third).count() == 0


def test_course_completion_is_announced_exactly_once(
    learner_client, learner, django_capture_on_commit_callbacks
):
    course = build_course(modules=1, lessons_per_module=2)
    heard = []

    def listener(sender, learner, course, **kwargs):
        heard.append((learner.pk, course.pk))

    course_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in lessons_of(course):
                complete(learner_client, lesson)
            response = complete(learner_client, lessons_of(course)[-1])  # a second tab, or a retry
    finally:
        course_completed.disconnect(listener)

    assert heard == [(learner.pk, course.pk)]
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None
    assert response.status_code == 302


def test_optional_lessons_are_not_needed_to_complete(learner_client, learner):
    course = build_course(modules=1, lessons_per_module=3, optional_lessons={3})
    for lesson in lessons_of(course)[:2]:
        complete(learner_client, lesson)
    assert Enrollment.objects.get(learner=learner, course=course).completed_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_enrolments_and_completions_still_happen_once(learner):
    course = build_course(modules=1, lessons_per_module=2)
    lesson = lessons_of(course)[0]
    barrier = threading.Barrier(4)
    errors = []

    def act():
        try:
            barrier.wait(timeout=10)
            progress.enrol(learner, course)
            progress.complete_lesson(learner, course, lesson)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=act) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1
    assert LessonProgress.objects.filter(learner=learner, lesson=lesson).count() == 1


# --- gating and checkpoints ----------------------------------------------------------------


def test_course_in_order_locks_later_lessons_with_a_clear_explanation(learner_client, learner):
    course = build_course(in_order=True)
    first, second = lessons_of(course)[:2]

    page = html(learner_client.get(second.url))
    assert "Bài này chưa mở." in page
    assert first.title in page
    assert "Nội dung bài 2." not in page

    refused = complete(learner_client, second)
    assert not LessonProgress.objects.filter(learner=learner, lesson=second).exists()
    assert refused.url == second.url

    complete(learner_client, first)
    assert "Nội dung bài 2." in html(learner_client.get(second.url))


def test_optional_lessons_do_not_lock_the_next_one(learner_client):
    course = build_course(in_order=True, optional_lessons={1})
    second = lessons_of(course)[1]
    assert "Nội dung bài 2." in html(learner_client.get(second.url))


def test_course_not_in_order_leaves_every_lesson_open(learner_client):
    course = build_course(in_order=False)
    assert "Nội dung bài 5." in html(learner_client.get(lessons_of(course)[4].url))


def test_checkpoint_must_be_answered_before_completing_and_its_answer_stays_on_the_server(
    learner_client, learner
):
    course = build_course(checkpoint_lessons={1})
    lesson = lessons_of(course)[0]
    block_id = next(iter(lesson.checkpoints()))

    before = html(learner_client.get(lesson.url))
    assert "Mã OTP có nên đưa cho người khác không?" in before
    assert "OTP chỉ dành cho bạn" not in before  # the explanation, which gives the answer away
    assert 'name="choice" value="2"' in before and "correct" not in before.lower()

    complete(learner_client, lesson)
    assert not LessonProgress.objects.filter(learner=learner, lesson=lesson).exists()

    learner_client.post(reverse("learning:answer_checkpoint", args=[lesson.pk, block_id]), {"choice": "1"})
    answer = CheckpointAnswer.objects.get(learner=learner, lesson=lesson)
    assert not answer.correct
    after = html(learner_client.get(lesson.url))
    assert "OTP chỉ dành cho bạn" in after
    assert "chưa đúng" in after

    complete(learner_client, lesson)
    assert LessonProgress.objects.filter(learner=learner, lesson=lesson).exists()


@pytest.mark.parametrize("choice", ["", "0", "9", "abc"])
def test_bad_checkpoint_answers_are_refused_clearly(learner_client, learner, choice):
    course = build_course(checkpoint_lessons={1})
    lesson = lessons_of(course)[0]
    block_id = next(iter(lesson.checkpoints()))
    response = learner_client.post(
        reverse("learning:answer_checkpoint", args=[lesson.pk, block_id]), {"choice": choice}, follow=True
    )
    assert "Hãy chọn một câu trả lời" in html(response)
    assert not CheckpointAnswer.objects.exists()


# --- resume, dashboard, privacy ------------------------------------------------------------


def test_resume_where_you_left_off_on_another_device(learner, learner_password):
    course = build_course()
    third = lessons_of(course)[2]
    phone = Client()
    phone.login(username=learner.phone, password=learner_password)
    phone.get(third.url)

    computer = Client()
    computer.login(username=learner.phone, password=learner_password)
    dashboard = html(computer.get(reverse("learning:dashboard")))
    course_page = html(computer.get(course.url))

    assert f'href="{third.url}"' in dashboard
    assert "Tiếp tục" in dashboard
    assert (
        f'href="{third.url}">Tiếp tục học' in course_page or f'href="{third.url}">Bắt đầu học' in course_page
    )


def test_dashboard_empty_state_and_certificates_placeholder(learner_client):
    page = html(learner_client.get(reverse("learning:dashboard")))
    assert "Bạn chưa bắt đầu khoá học nào." in page
    assert "Bạn chưa có chứng nhận nào" in page


def test_dashboard_counts_each_course_on_its_own_in_one_query(learner_client):
    one, two = build_course(modules=1, lessons_per_module=3), build_course(modules=2, lessons_per_module=2)
    complete(learner_client, lessons_of(one)[0])
    for lesson in lessons_of(two)[:3]:
        complete(learner_client, lesson)

    with CaptureQueriesContext(connection) as captured:
        page = html(learner_client.get(reverse("learning:dashboard")))

    rows = {title: page.split(title, 1)[1].split("</li>", 1)[0] for title in (one.title, two.title)}
    assert "Đã học 1/3 bài" in rows[one.title] and 'value="33"' in rows[one.title]
    assert "Đã học 3/4 bài" in rows[two.title] and 'value="75"' in rows[two.title]
    assert sum('"learning_lessonprogress"' in q["sql"] for q in captured.captured_queries) == 1
    assert f'href="{one.get_parent().url}"' in page  # "Xem tất cả khoá học"


def test_dashboard_lists_the_course_last_opened_first_and_a_new_enrolment_by_its_date(
    learner_client, learner
):
    opened_last_week, opened_yesterday, enrolled_today = (build_course(modules=1) for _ in range(3))
    now = timezone.now()
    for course, opened, enrolled in [
        (opened_last_week, now - timedelta(days=7), now - timedelta(days=30)),
        (opened_yesterday, now - timedelta(days=1), now - timedelta(days=20)),
        (enrolled_today, None, now - timedelta(hours=2)),  # enrolled, not opened yet
    ]:
        enrolment = Enrollment.objects.create(learner=learner, course=course, last_opened_at=opened)
        Enrollment.objects.filter(pk=enrolment.pk).update(enrolled_at=enrolled)  # auto_now_add

    page = html(learner_client.get(reverse("learning:dashboard")))

    places = [page.index(course.title) for course in (enrolled_today, opened_yesterday, opened_last_week)]
    assert places == sorted(places)


def test_dashboard_names_a_course_as_last_published_and_reads_no_page_per_course(learner_client, learner):
    courses = [build_course(modules=1) for _ in range(3)]
    for course in courses:
        Enrollment.objects.create(learner=learner, course=course)
    learner_client.get(reverse("learning:dashboard"))  # the process remembers the pages

    with CaptureQueriesContext(connection) as captured:
        page = html(learner_client.get(reverse("learning:dashboard")))
    assert all(course.title in page for course in courses)
    assert not [q for q in captured.captured_queries if "wagtailcore_page" in q["sql"]]

    renamed = courses[1]
    renamed.title = "Khoá học đã đổi tên"
    renamed.save_revision().publish()
    page = html(learner_client.get(reverse("learning:dashboard")))
    assert "Khoá học đã đổi tên" in page
    assert f'href="{renamed.url}"' in page


def test_a_learner_never_sees_another_learners_progress(learner_client, learner, client):
    course = build_course()
    for lesson in lessons_of(course)[:3]:
        complete(learner_client, lesson)
    other = ProfileFactory().user
    client.force_login(other)

    course_page = html(client.get(course.url))
    assert "Đã học 0/6 bài" in course_page or "Bắt đầu học" in course_page
    assert "đã học" not in course_page.split("Nội dung khoá học")[1]
    assert "Bạn chưa bắt đầu khoá học nào." in html(client.get(reverse("learning:dashboard")))
    assert "Đang học" not in html(client.get(course.get_parent().url))


def test_catalogue_marks_courses_in_progress_and_completed(learner_client):
    doing = build_course()
    done = build_course(modules=1, lessons_per_module=1)
    complete(learner_client, lessons_of(doing)[0])
    complete(learner_client, lessons_of(done)[0])
    page = html(learner_client.get(doing.get_parent().url))
    assert "Đang học" in page
    assert "Đã hoàn thành" in page


def test_catalogue_filters_by_skill_area_and_learner_group(client):
    course = build_course()
    other = build_course()
    other.skill_area = "thanh_toan"
    other.target_groups = ["hoc_sinh_sinh_vien"]
    other.save_revision().publish()
    catalogue = course.get_parent().url

    by_skill = html(client.get(catalogue, {"ky-nang": "thanh_toan"}))
    assert other.title in by_skill and course.title not in by_skill
    by_group = html(client.get(catalogue, {"doi-tuong": "nguoi_dan"}))
    assert course.title in by_group and other.title not in by_group


# --- visitors ------------------------------------------------------------------------------


def test_visitors_browse_and_read_the_first_lesson_only(client):
    course = build_course()
    first, second = lessons_of(course)[:2]
    assert client.get(course.get_parent().url).status_code == 200
    assert course.title in html(client.get(course.url))
    assert "Nội dung bài 1." in html(client.get(first.url))
    locked = html(client.get(second.url))
    assert "Nội dung bài 2." not in locked
    assert "Hãy đăng ký để học tiếp." in locked
    assert reverse("accounts:register") in locked


def test_visitors_cannot_enrol_or_complete(client):
    course = build_course()
    response = client.post(reverse("learning:complete_lesson", args=[lessons_of(course)[0].pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not LessonProgress.objects.exists()


# --- caching and cost ----------------------------------------------------------------------


def test_published_changes_reach_learners_despite_the_body_cache(learner_client):
    course = build_course()
    lesson = lessons_of(course)[0]
    assert "Nội dung bài 1." in html(learner_client.get(lesson.url))

    lesson.body = lesson_body([{"type": "paragraph", "text": "<p>Nội dung đã cập nhật.</p>"}])
    lesson.save_revision().publish()

    page = html(learner_client.get(lesson.url))
    assert "Nội dung đã cập nhật." in page
    assert "Nội dung bài 1." not in page


def lesson_page_queries(client, lesson) -> int:
    client.get(lesson.url)  # warm the caches a real server would have warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(lesson.url).status_code == 200
    return len(queries)


def test_lesson_page_costs_the_same_queries_whatever_the_course_size(learner_client):
    small = build_course(modules=1, lessons_per_module=3)
    large = build_course(modules=5, lessons_per_module=8)
    small_cost = lesson_page_queries(learner_client, lessons_of(small)[1])
    large_cost = lesson_page_queries(learner_client, lessons_of(large)[30])
    assert small_cost == large_cost
    # Measured 20: Wagtail's routing walks the tree (one or two queries per level), then the
    # outline (2), the learner's session, enrolment, progress, answers and notifications.
    assert large_cost <= 20


def test_catalogue_costs_the_same_queries_whatever_the_number_of_courses(client):
    ensure_catalogue()
    for _ in range(2):
        build_course(modules=1, lessons_per_module=1)
    url = ensure_catalogue().url
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(4):
        build_course(modules=1, lessons_per_module=1)
    client.get(url)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few) == len(many)


def test_quick_question_form_works_with_csrf_protection_on(learner, learner_password):
    course = build_course(checkpoint_lessons={1})
    lesson = lessons_of(course)[0]
    block_id = next(iter(lesson.checkpoints()))
    browser = Client(enforce_csrf_checks=True)
    browser.login(username=learner.phone, password=learner_password)
    page = html(browser.get(lesson.url))
    form = page.split(f'id="cau-hoi-{block_id}"')[1]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert token

    response = browser.post(
        reverse("learning:answer_checkpoint", args=[lesson.pk, block_id]),
        {"choice": "2", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert CheckpointAnswer.objects.get(learner=learner).correct
