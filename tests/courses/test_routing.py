"""Routes remembered per process (courses/routing.py): cheaper, and never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from courses.models import LessonPage, ModulePage
from tests.courses.builders import build_course, lessons_of

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, len(captured.captured_queries)


def test_a_remembered_route_skips_the_tree_walk(learner_client):
    course = build_course(modules=1, lessons_per_module=2)
    lesson = lessons_of(course)[0]
    first_status, first = queries_for(learner_client, lesson.url)
    second_status, second = queries_for(learner_client, lesson.url)  # remembers the page
    _, third = queries_for(learner_client, lesson.url)
    _, fourth = queries_for(learner_client, lesson.url)
    assert first_status == second_status == 200
    assert third == fourth
    assert second <= first - 5  # the walk down five levels cost two queries a level


def test_an_unpublished_page_is_gone_at_once(client):
    course = build_course(modules=1, lessons_per_module=1)
    assert client.get(course.url).status_code == 200
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_lesson_of_a_course_unpublished_is_gone_at_once(client):
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]  # the first lesson is open to visitors
    assert client.get(lesson.url).status_code == 200
    course.unpublish()  # the course alone: its lesson stays live, and is not served without it
    assert LessonPage.objects.get(pk=lesson.pk).live
    assert client.get(lesson.url).status_code == 404
    course.save_revision().publish()
    assert client.get(lesson.url).status_code == 200


def test_the_course_page_leads_back_to_the_catalogue(client):
    course = build_course(modules=1, lessons_per_module=1)
    html = client.get(course.url).content.decode()
    assert f'<nav class="breadcrumbs" aria-label="Vị trí"><a href="{course.get_parent().url}">' in html


def test_a_page_unpublished_without_signals_is_still_not_served(client):
    course = build_course(modules=1, lessons_per_module=1)
    assert client.get(course.url).status_code == 200
    Page.objects.filter(pk=course.pk).update(live=False)  # as a raw SQL fix would
    assert client.get(course.url).status_code == 404


def test_a_remembered_page_is_not_read_again_but_an_edit_of_its_final_quiz_shows(client):
    from tests.quizzes.builders import make_quiz

    course = build_course(modules=1, lessons_per_module=1)
    course.final_quiz = make_quiz(pass_percent=70)
    course.save_revision().publish()
    client.get(course.url)  # the route is remembered,
    client.get(course.url)  # then its page
    with CaptureQueriesContext(connection) as captured:
        assert course.final_quiz.title in client.get(course.url).content.decode()
    assert not [q for q in captured.captured_queries if '"courses_coursepage"' in q["sql"]]

    quiz = course.final_quiz
    quiz.title, quiz.pass_percent = "Bài kiểm tra đã sửa", 85
    quiz.save()
    page = client.get(course.url).content.decode()
    assert "Bài kiểm tra đã sửa" in page and "85%" in page


def test_a_courses_required_scenarios_are_not_read_again_but_their_edits_show(learner_client):
    from courses.models import Scenario
    from courses.sandboxes.demo import load_scenarios

    load_scenarios()
    course = build_course(modules=1, lessons_per_module=1)
    first, second = Scenario.objects.order_by("title")[:2]
    course.required_scenarios.add(first)
    course.save_revision().publish()
    learner_client.get(course.url)  # remembered
    with CaptureQueriesContext(connection) as captured:
        assert first.title in learner_client.get(course.url).content.decode()
    assert not [q for q in captured.captured_queries if 'FROM "courses_scenario"' in q["sql"]]

    first.title = "Bài thực hành đã đổi tên"
    first.save()
    assert "Bài thực hành đã đổi tên" in learner_client.get(course.url).content.decode()
    course.required_scenarios.add(second)
    course.save_revision().publish()
    assert second.title in learner_client.get(course.url).content.decode()
    first.delete()
    page = learner_client.get(course.url).content.decode()
    assert "Bài thực hành đã đổi tên" not in page and second.title in page


def test_a_new_slug_moves_the_page_and_frees_the_old_path(client):
    course = build_course(modules=1, lessons_per_module=1)
    old_url = course.url
    assert client.get(old_url).status_code == 200
    course.slug = "ten-moi-cua-khoa-hoc"
    course.save_revision().publish()
    course.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert client.get(course.url).status_code == 200
    assert course.url.endswith("/ten-moi-cua-khoa-hoc/")


def test_a_moved_page_answers_at_its_new_path_only(learner_client):
    course = build_course(modules=2, lessons_per_module=1)
    _first, second_module = ModulePage.objects.child_of(course).order_by("path")
    lesson = lessons_of(course)[0]
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200
    lesson.move(second_module, pos="last-child")
    lesson.refresh_from_db()
    assert lesson.url != old_url
    old = learner_client.get(old_url)  # Wagtail's redirects take over once the old path is a 404
    assert old.status_code in (301, 302) and old["Location"].endswith(lesson.url)
    assert learner_client.get(lesson.url).status_code == 200


def test_a_deleted_page_is_not_found(client):
    course = build_course(modules=1, lessons_per_module=1)
    url = course.url
    assert client.get(url).status_code == 200
    Page.objects.get(pk=course.pk).delete()
    assert client.get(url).status_code == 404


def test_a_page_published_where_there_was_none_is_found(client):
    course = build_course(modules=1, lessons_per_module=1)
    assert client.get(course.url + "chua-co/").status_code == 404
    module = ModulePage(title="Chưa có", slug="chua-co")
    course.add_child(instance=module)
    module.save_revision().publish()
    assert client.get(course.url + "chua-co/").status_code != 404


def test_the_outline_follows_a_lesson_published_or_renamed(learner_client):
    from learning import progress

    course = build_course(modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    assert [lesson.title for lesson in progress.get_outline(course).lessons] == ["Bài 1"]
    lesson = LessonPage(title="Bài mới xuất bản", slug="bai-moi", summary="Tóm tắt", estimated_minutes=5)
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    assert [lesson.title for lesson in progress.get_outline(course).lessons] == ["Bài 1", "Bài mới xuất bản"]
    lesson.title = "Bài đã đổi tên"
    lesson.save_revision().publish()
    assert "Bài đã đổi tên" in learner_client.get(course.url).content.decode()


def test_other_processes_changes_are_seen_within_a_second(client, monkeypatch):
    """Another process's publish changes only the shared token; this one reads it at most once a
    second, then forgets what it remembered."""
    from courses import generation
    from courses.models import PageGeneration

    clock = [1000.0]
    monkeypatch.setattr(generation.time, "monotonic", lambda: clock[0])
    generation.forget()
    course = build_course(modules=1, lessons_per_module=1)
    assert client.get(course.url).status_code == 200
    Page.objects.filter(pk=course.pk).update(slug="doi-o-noi-khac", url_path="/home/khoa-hoc/doi-o-noi-khac/")
    PageGeneration.objects.filter(pk=1).update(token="of-another-process")  # as its publish would

    clock[0] += 0.5
    assert client.get(course.url).status_code == 200  # still remembered: the old route, live page
    clock[0] += generation.REFRESH_SECONDS
    assert client.get(course.url).status_code == 404
