"""Editors write and submit; only approvers publish (Wagtail moderation workflow)."""

import pytest
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Workflow, WorkflowPage

from courses.editorial import APPROVERS, EDITORS, WORKFLOW
from courses.models import LessonPage, ModulePage
from tests.admin_forms import page_form
from tests.courses.builders import build_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def official_in(group_name: str, client):
    user = UserFactory(phone=None)
    user.groups.add(Group.objects.get(name=group_name))
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


LESSON_FIELDS = {
    "title": "Bài mới về VNeID",
    "slug": "bai-moi-ve-vneid",
    "summary": "Tóm tắt",
    "estimated_minutes": "5",
    "required": "on",
    "body-count": "1",
    "body-0-type": "heading",
    "body-0-value": "Mở đầu",
    "body-0-deleted": "",
    "body-0-order": "0",
    "body-0-id": "",
}


def lesson_form(**extra) -> dict:
    return page_form(LESSON_FIELDS, **extra)


def test_groups_and_workflow_are_seeded():
    assert Group.objects.filter(name__in=[EDITORS, APPROVERS]).count() == 2
    workflow = Workflow.objects.get(name=WORKFLOW)
    site_root = Page.objects.get(depth=2)
    assert WorkflowPage.objects.get(page=site_root).workflow == workflow
    assert [task.specific.groups.get().name for task in workflow.tasks] == [APPROVERS]


def test_editor_cannot_publish_and_approver_can(client):
    course = build_course(modules=1, lessons_per_module=1)
    module = ModulePage.objects.child_of(course).get()
    editor = official_in(EDITORS, client)

    client.post(f"/admin/pages/add/courses/lessonpage/{module.pk}/", lesson_form(**{"action-publish": "1"}))
    lesson = LessonPage.objects.get(slug="bai-moi-ve-vneid")
    assert not lesson.live
    assert not lesson.permissions_for_user(editor).can_publish()

    response = client.post(f"/admin/pages/{lesson.pk}/edit/", lesson_form(**{"action-submit": "1"}))
    assert response.status_code == 302
    state = lesson.current_workflow_state
    assert state is not None and state.status == "in_progress"

    approver_client = client.__class__()
    approver = official_in(APPROVERS, approver_client)
    assert lesson.permissions_for_user(approver).can_publish()
    task_state = state.current_task_state
    response = approver_client.post(
        f"/admin/pages/workflow/action/{lesson.pk}/approve/{task_state.pk}/", {"comment": "Đã duyệt"}
    )
    assert response.status_code in (200, 302)
    lesson.refresh_from_db()
    assert lesson.live
