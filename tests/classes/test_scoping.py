"""Facilitators see and change only their own classes; learners reach no facilitator page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from courses.models import Scenario
from courses.sandboxes.demo import load_scenarios
from learning import classes, progress, sandboxes
from learning.models import AssistedMark, ClassMembership, LearningClass, PasswordResetCode, StepRecord, User
from tests.classes.conftest import open_class_for
from tests.classes.test_assisted_registration import form_data
from tests.courses.builders import build_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def helped(membership, learner):
    """A member with a course and a sandbox step a facilitator could mark."""
    course = build_course(modules=1, lessons_per_module=2)
    progress.enrol(learner, course)
    load_scenarios()
    run = sandboxes.start_run(learner, Scenario.objects.get(slug="dang-nhap-dich-vu-cong"))
    StepRecord.objects.create(run=run, step_index=0, kind="info", first_seen_at=timezone.now(), mistakes=2)
    return {"course": course, "run": run}


def class_pages(learning_class, membership) -> list[str]:
    member = [learning_class.pk, membership.pk]
    return [
        reverse("classes:detail", args=[learning_class.pk]),
        reverse("classes:poster", args=[learning_class.pk]),
        reverse("classes:assisted_registration", args=[learning_class.pk]),
        reverse("classes:member", args=member),
    ]


def class_actions(learning_class, membership, helped) -> list[tuple[str, dict]]:
    member = [learning_class.pk, membership.pk]
    return [
        (reverse("classes:set_joining", args=[learning_class.pk]), {"nhan": "0"}),
        (reverse("classes:assisted_registration", args=[learning_class.pk]), form_data()),
        (reverse("classes:mark_course", args=member), {"khoa_hoc": helped["course"].pk}),
        (reverse("classes:mark_step", args=member), {"luot": helped["run"].pk, "buoc": 0}),
        (reverse("classes:issue_reset_code", args=member), {}),
    ]


def assert_nothing_changed(learning_class) -> None:
    learning_class.refresh_from_db()
    assert learning_class.join_open
    assert not AssistedMark.objects.exists()
    assert not PasswordResetCode.objects.exists()
    assert not User.objects.filter(phone="0912345678").exists()
    assert ClassMembership.objects.count() == 1


def test_another_facilitator_gets_404_for_every_page_and_action_and_changes_nothing(
    other_client, learning_class, membership, helped
):
    for url in class_pages(learning_class, membership):
        assert other_client.get(url).status_code == 404, url
    for url, data in class_actions(learning_class, membership, helped):
        assert other_client.post(url, data).status_code == 404, url
    assert_nothing_changed(learning_class)


def test_a_member_cannot_be_reached_through_another_facilitators_own_class(
    other_facilitator, other_client, learning_class, membership, helped
):
    own = open_class_for(other_facilitator, name="Lớp của người khác")
    foreign_member = [own.pk, membership.pk]

    assert other_client.get(reverse("classes:member", args=foreign_member)).status_code == 404
    for name, data in [
        ("classes:mark_course", {"khoa_hoc": helped["course"].pk}),
        ("classes:mark_step", {"luot": helped["run"].pk, "buoc": 0}),
        ("classes:issue_reset_code", {}),
    ]:
        assert other_client.post(reverse(name, args=foreign_member), data).status_code == 404
    assert_nothing_changed(learning_class)


def test_each_facilitator_lists_only_their_own_classes(other_facilitator, other_client, learning_class):
    own = open_class_for(other_facilitator, name="Lớp tin học xã bên")

    page = other_client.get(reverse("classes:mine")).content.decode()

    assert own.name in page and learning_class.name not in page


def test_a_plain_learner_reaches_no_facilitator_page(learner_client, learning_class, membership, helped):
    assert learner_client.get(reverse("classes:mine")).status_code == 403
    assert learner_client.get(reverse("classes:create")).status_code == 403
    for url in class_pages(learning_class, membership):
        assert learner_client.get(url).status_code == 403, url
    for url, data in class_actions(learning_class, membership, helped):
        assert learner_client.post(url, data).status_code == 403, url
    created = learner_client.post(reverse("classes:create"), {"name": "Lớp giả", "place": "Nhà tôi"})
    assert created.status_code == 403
    assert LearningClass.objects.count() == 1
    assert_nothing_changed(learning_class)


def test_a_visitor_is_asked_to_sign_in(client, learning_class, membership):
    for url in [reverse("classes:mine"), *class_pages(learning_class, membership)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url


def test_domain_actions_check_the_class_is_the_facilitators(other_facilitator, learning_class, membership):
    with pytest.raises(PermissionDenied):
        classes.issue_reset_code(other_facilitator, membership)
    with pytest.raises(PermissionDenied):
        classes.set_joining(other_facilitator, learning_class, False)
    with pytest.raises(PermissionDenied):
        classes.open_class(
            membership.learner,
            name="Lớp",
            place="Nhà",
            province=learning_class.province,
            commune=learning_class.commune,
            meets_on=learning_class.meets_on,
        )
    assert_nothing_changed(learning_class)
