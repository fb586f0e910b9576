"""Issuing exactly once, when the course's rule is met; revoking; re-issuing; deleted accounts."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certificates.issuing import (
    NotEligible,
    issue_certificate,
    on_course_completed,
    reissue_certificate,
    revoke_certificate,
)
from certificates.models import Certificate, CertificateState
from learning import progress
from learning.models import Notification, Profile
from quizzes import attempts
from tests.concurrency import all_at_once
from tests.courses.builders import build_course, lessons_of
from tests.quizzes.builders import make_question, make_quiz

pytestmark = pytest.mark.django_db


def pass_quiz(learner, quiz):
    attempt = attempts.start_attempt(learner, quiz)
    for question in attempt.questions.all():
        attempts.save_answer(
            attempt, question.position, [question.option_ids.index(i) + 1 for i in question.correct_ids], 0
        )
    return attempts.submit_attempt(attempt)


def test_an_unfinished_course_gets_no_certificate(learner):
    course = build_course(modules=1, lessons_per_module=2)
    progress.complete_lesson(learner, course, lessons_of(course)[0])
    with pytest.raises(NotEligible):
        issue_certificate(learner, course)
    on_course_completed(sender=None, learner=learner, course=course)
    assert not Certificate.objects.exists()


def test_completing_the_course_issues_the_certificate_and_tells_the_learner(
    learner, django_capture_on_commit_callbacks
):
    make_question()
    quiz = make_quiz(count=1)
    course = build_course(modules=1, lessons_per_module=2)
    course.final_quiz = quiz
    course.save_revision().publish()
    for lesson in lessons_of(course):
        with django_capture_on_commit_callbacks(execute=True):
            progress.complete_lesson(learner, course, lesson)
    assert not Certificate.objects.exists()  # the final quiz is still to pass
    with django_capture_on_commit_callbacks(execute=True):
        pass_quiz(learner, quiz)
    certificate = Certificate.objects.get()
    course.refresh_from_db()
    assert certificate.learner_name == "Trần Văn Bình"
    assert certificate.course_title == course.title
    assert certificate.content_version == course.live_revision_id
    assert certificate.score == 100.0
    assert certificate.issuer_name == "Nền tảng Bình dân học vụ số"
    notification = Notification.objects.get(learner=learner, kind="certificate")
    assert course.title in notification.body and notification.url == "/chung-nhan-cua-toi/"


def test_a_learner_without_a_name_gets_no_certificate(learner, completed_course):
    Profile.objects.filter(user=learner).update(full_name=" ")
    learner.refresh_from_db()
    with pytest.raises(NotEligible):
        issue_certificate(learner, completed_course)


def test_repeated_completion_events_issue_one_certificate(learner, completed_course):
    first = issue_certificate(learner, completed_course)
    for _ in range(3):
        on_course_completed(sender=None, learner=learner, course=completed_course)
    assert Certificate.objects.get() == first


def test_the_database_refuses_a_second_current_certificate(certificate):
    fields = {
        field: getattr(certificate, field)
        for field in ("learner_id", "course_id", "learner_name", "course_title", "issued_at", "issuer_name")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(token="x" * 43, short_code="0000000000", **fields)


def test_revoking_records_when_why_and_who(certificate, official):
    with pytest.raises(ValueError):
        revoke_certificate(certificate, reason="  ", by=official)
    revoked = revoke_certificate(certificate, reason="Cấp nhầm người", by=official)
    assert revoked.state == CertificateState.REVOKED and revoked.revoked_reason == "Cấp nhầm người"
    assert revoked.revoked_by == official and revoked.revoked_at <= timezone.now()
    # A revoked certificate frees the slot: completing again may issue a new one.
    assert issue_certificate(certificate.learner, certificate.course).pk != certificate.pk


def test_reissue_after_a_name_correction_supersedes_the_old_one(certificate, official, learner):
    Profile.objects.filter(user=learner).update(full_name="Trần Văn Bính")
    certificate.learner.refresh_from_db()
    new = reissue_certificate(certificate, by=official)
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.SUPERSEDED and certificate.superseded_by == new
    assert new.learner_name == "Trần Văn Bính" and new.is_valid and new.token != certificate.token
    assert Certificate.objects.current().filter(learner=learner).count() == 1
    with pytest.raises(ValueError):
        reissue_certificate(certificate, by=official)


def test_deleting_the_account_revokes_and_removes_the_name(certificate, learner):
    learner.delete()
    certificate.refresh_from_db()
    assert certificate.state == CertificateState.REVOKED and certificate.learner_name == ""
    assert certificate.learner is None


def test_data_export_lists_the_certificates(learner_client, certificate):
    exported = learner_client.get("/tai-khoan/du-lieu.json").json()
    assert exported["certificates"] == [
        {
            "course": certificate.course_title,
            "name": "Trần Văn Bình",
            "issued_at": certificate.issued_at.isoformat(),
            "short_code": certificate.display_code,
            "state": "current",
        }
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_concurrent_completion_events_issue_exactly_one(learner):
    course = build_course(modules=1, lessons_per_module=1)
    progress.complete_lesson(learner, course, lessons_of(course)[0])

    def event():
        on_course_completed(sender=None, learner=learner, course=course)
        return Certificate.objects.current().get(learner=learner, course=course).pk

    issued, errors = all_at_once(event, 20)
    assert errors == []
    assert Certificate.objects.filter(learner=learner, course=course).count() == 1
    assert len(set(issued)) == 1 and len(issued) == 20
    assert Notification.objects.filter(learner=learner, kind="certificate").count() == 1


def test_the_dashboard_lists_certificates_newest_first_and_marks_a_revoked_one(
    learner, client, certificate, official
):
    later_course = build_course(modules=1, lessons_per_module=1)
    for lesson in lessons_of(later_course):
        progress.complete_lesson(learner, later_course, lesson)
    newer = issue_certificate(learner, later_course)
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=newer.issued_at - timedelta(days=3))
    revoke_certificate(certificate, reason="Cấp nhầm người", by=official)

    client.force_login(learner)
    page = client.get(reverse("learning:dashboard")).content.decode()

    listed = page.split('class="certificate-list"', 1)[1].split("</ul>", 1)[0]
    newer_row, older_row = listed.split("<li>")[1:]
    assert newer.course_title in newer_row and "Đã thu hồi" not in newer_row
    assert certificate.course_title in older_row and "Đã thu hồi" in older_row


def test_a_name_stored_with_invisible_characters_is_printed_as_it_reads(learner):
    # Stored before names were cleaned on input, or typed into the admin.
    Profile.objects.filter(user=learner).update(full_name=" Trần \u202eVăn\u202c\u200b  Bình ")
    learner.refresh_from_db()
    course = build_course(modules=1, lessons_per_module=1)
    progress.complete_lesson(learner, course, lessons_of(course)[0])
    assert issue_certificate(learner, course).learner_name == "Trần Văn Bình"
