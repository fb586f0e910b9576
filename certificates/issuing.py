"""Issuing, revoking and re-issuing certificates.

Exactly one current certificate per learner and course is a partial unique constraint; issuing
is safe to repeat and to race (the loser of a race returns the winner's certificate).
"""

import contextlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.codes import new_short_code, new_token
from certificates.credentials import forget_status_list
from certificates.models import Certificate, CertificateState
from courses.models import CoursePage
from learning.models import Enrollment, User
from learning.notifications import notify_learner
from learning.text import one_line
from quizzes.models import Attempt

CODE_RETRIES = 5


class NotEligible(Exception):
    pass


def is_eligible(learner: User, course: CoursePage) -> bool:
    """The course's completion rule is met (learning records it) and the learner has a name to print."""
    completed = Enrollment.objects.filter(learner=learner, course=course, completed_at__isnull=False).exists()
    profile = getattr(learner, "profile", None)
    return completed and profile is not None and bool(one_line(profile.full_name))


def final_quiz_score(learner: User, course: CoursePage) -> float | None:
    if not course.final_quiz_id:
        return None
    return Attempt.objects.filter(learner=learner, quiz_id=course.final_quiz_id, passed=True).aggregate(
        best=Max("percent")
    )["best"]


def _new_certificate(learner: User, course: CoursePage, **fields) -> Certificate:
    """Insert with fresh codes; a (vanishingly rare) code collision is retried with new ones."""
    issuer = settings.CERTIFICATE_ISSUER
    values = {
        "learner": learner,
        "course": course,
        "learner_name": one_line(learner.profile.full_name),
        "course_title": course.title,
        "content_version": course.live_revision_id,
        "score": final_quiz_score(learner, course),
        "issued_at": timezone.now(),
        "issuer_name": issuer["NAME"],
        "signatory_name": issuer["SIGNATORY_NAME"],
        "signatory_title": issuer["SIGNATORY_TITLE"],
        **fields,
    }
    for attempt in range(CODE_RETRIES):
        try:
            with transaction.atomic():
                return Certificate.objects.create(token=new_token(), short_code=new_short_code(), **values)
        except IntegrityError:
            if (
                Certificate.objects.current().filter(learner=learner, course=course).exists()
                or attempt + 1 == CODE_RETRIES
            ):
                raise
    raise AssertionError("unreachable")


def issue_certificate(learner: User, course: CoursePage) -> Certificate:
    """The learner's current certificate for the course, issued now if there is none.

    Raises NotEligible when the course is not completed (or the profile has no name).
    """
    existing = Certificate.objects.current().filter(learner=learner, course=course).first()
    if existing:
        return existing
    if not is_eligible(learner, course):
        raise NotEligible
    try:
        with transaction.atomic():
            certificate = _new_certificate(learner, course)
            notify_learner(
                learner,
                kind="certificate",
                title=_("Bạn đã được cấp chứng nhận"),
                body=_("Chứng nhận hoàn thành khoá học “%(title)s” đã sẵn sàng để tải về và chia sẻ.")
                % {"title": course.title},
                url=reverse("certificates:mine"),
            )
    except IntegrityError:  # a concurrent completion event issued it first
        return Certificate.objects.current().get(learner=learner, course=course)
    return certificate


def _forget_status_list_now_and_after_commit() -> None:
    # After commit too: a request may rebuild the list from data this transaction has not committed.
    forget_status_list()
    transaction.on_commit(forget_status_list)


def on_course_completed(sender, learner: User, course: CoursePage, **kwargs) -> None:
    """Receiver of learning's "course completed" signal (sent after commit)."""
    with contextlib.suppress(NotEligible):
        issue_certificate(learner, course)


def revoke_certificate(certificate: Certificate, *, reason: str, by: User | None) -> Certificate:
    """Revoke a current certificate; the page, the credential's status and the list all say so."""
    if not reason.strip():
        raise ValueError(_("Hãy ghi lý do thu hồi."))
    with transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk, state=CertificateState.CURRENT).update(
            state=CertificateState.REVOKED,
            revoked_at=timezone.now(),
            revoked_reason=reason.strip()[:300],
            revoked_by=by,
        )
        _forget_status_list_now_and_after_commit()
    certificate.refresh_from_db()
    return certificate


def reissue_certificate(certificate: Certificate, *, by: User | None) -> Certificate:
    """Replace a current certificate by a new one with the profile's name as it is now
    (after a legal name correction, say); the old one is marked superseded."""
    if (
        certificate.state != CertificateState.CURRENT
        or certificate.learner is None
        or certificate.course is None
    ):
        raise ValueError(_("Chỉ cấp lại được chứng nhận còn hiệu lực của người học còn tài khoản."))
    with transaction.atomic():
        ended = Certificate.objects.filter(pk=certificate.pk, state=CertificateState.CURRENT).update(
            state=CertificateState.SUPERSEDED,
            revoked_at=timezone.now(),
            revoked_reason=_("Đã cấp lại chứng nhận mới."),
            revoked_by=by,
        )
        if not ended:
            raise ValueError(_("Chứng nhận này vừa được thay đổi. Hãy tải lại trang."))
        replacement = _new_certificate(
            certificate.learner,
            certificate.course,
            issued_at=timezone.now(),
            score=certificate.score,
            content_version=certificate.content_version,
            course_title=certificate.course_title,
        )
        Certificate.objects.filter(pk=certificate.pk).update(superseded_by=replacement)
        _forget_status_list_now_and_after_commit()
    return replacement


def on_learner_deleted(sender, instance: User, **kwargs) -> None:
    """Before an account is deleted: revoke its certificates and remove the name from them."""
    Certificate.objects.filter(learner=instance, state=CertificateState.CURRENT).update(
        state=CertificateState.REVOKED,
        revoked_at=timezone.now(),
        revoked_reason=_("Người học đã xoá tài khoản."),
    )
    Certificate.objects.filter(learner=instance).update(learner_name="")
    _forget_status_list_now_and_after_commit()
