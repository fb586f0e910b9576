"""A learner's rights over their data: a full export and deletion of the account.

Every link from a stored row to a user is either exported (a section says it covers it) or
listed in ``NOT_THE_SUBJECT`` with the reason; a test walks the models so a new table cannot be
left out of the export unnoticed.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learning.models import (
    AssistedMark,
    CheckpointAnswer,
    ClassMembership,
    Enrollment,
    LearningClass,
    LessonProgress,
    Notification,
    PasswordResetCode,
    ReportScope,
    SandboxRun,
    User,
)
from quizzes.models import Accommodation, Attempt

ExportSection = Callable[[User], Any]
_export_sections: dict[str, ExportSection] = {}
_covered: set[str] = set()

# Links to a user that record what an official or facilitator did to someone else's record: the
# row is exported to the person it is about (without naming the official), not to the official.
NOT_THE_SUBJECT = {
    "learning.AssistedMark.marked_by",
    "learning.PasswordResetCode.issued_by",
    "quizzes.Accommodation.granted_by",
    "certificates.Certificate.revoked_by",
}


def register_export_section(name: str, build: ExportSection, covers: Iterable[str] = ()) -> None:
    """Let another app add what it stores about a learner (enrolments, attempts, ...).

    ``covers`` names the links to the user whose rows the section exports, as
    "app_label.Model.field".
    """
    _export_sections[name] = build
    _covered.update(covers)


def covered_links() -> set[str]:
    """The links to a user that some export section covers."""
    return set(_covered)


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "phone": user.phone,
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def _profile(user: User) -> dict[str, Any] | None:
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    return {
        "full_name": profile.full_name,
        "birth_year": profile.birth_year,
        "gender": profile.gender,
        "province": {"code": profile.province.official_code, "name": profile.province.name},
        "commune": {"code": profile.commune.official_code, "name": profile.commune.name},
        "learner_group": profile.learner_group,
        "consent": {"given_at": profile.consent_at.isoformat(), "version": profile.consent_version},
        "guardian": (
            {
                "name": profile.guardian_name,
                "relationship": profile.guardian_relationship,
                "phone": profile.guardian_phone,
                "consent_at": profile.guardian_consent_at.isoformat(),
            }
            if profile.guardian_consent_at
            else None
        ),
    }


def _courses(user: User) -> list[dict[str, Any]]:
    done: dict[int, list[dict[str, Any]]] = {}
    for lesson_id, title, course_id, at in LessonProgress.objects.filter(learner=user).values_list(
        "lesson_id", "lesson__title", "course_id", "completed_at"
    ):
        done.setdefault(course_id, []).append(
            {"lesson": title, "lesson_id": lesson_id, "completed_at": at.isoformat()}
        )
    return [
        {
            "course": enrollment.course.title,
            "enrolled_at": enrollment.enrolled_at.isoformat(),
            "completed_at": enrollment.completed_at.isoformat() if enrollment.completed_at else None,
            "lessons_completed": done.get(enrollment.course_id, []),
        }
        for enrollment in Enrollment.objects.filter(learner=user).select_related("course")
    ]


def _quiz_attempts(user: User) -> list[dict[str, Any]]:
    attempts = Attempt.objects.filter(learner=user).select_related("quiz").prefetch_related("questions")
    return [
        {
            "quiz": attempt.quiz.title,
            "number": attempt.number,
            "started_at": attempt.started_at.isoformat(),
            "finished_at": _when(attempt.finished_at),
            "percent": attempt.percent,
            "passed": attempt.passed,
            "answers": [
                {
                    "question": question.text,
                    # The learner's own choices; no key is exported for an attempt still open.
                    "chosen": [
                        option["text"]
                        for option_id in question.answer
                        for option in question.options
                        if option["id"] == option_id
                    ],
                    "points": question.points,
                }
                for question in attempt.questions.all()
            ],
        }
        for attempt in attempts
    ]


def _checkpoint_answers(user: User) -> list[dict[str, Any]]:
    answers = list(
        CheckpointAnswer.objects.filter(learner=user).select_related("lesson").order_by("answered_at", "pk")
    )
    questions = {answer.lesson_id: answer.lesson.checkpoints() for answer in answers}
    return [
        {
            "lesson": answer.lesson.title,
            # A checkpoint the editors have since removed keeps only its block id.
            "question": questions[answer.lesson_id].get(answer.block_id, {}).get("question", answer.block_id),
            "chosen": answer.chosen_text,
            "correct": answer.correct,
            "answered_at": answer.answered_at.isoformat(),
        }
        for answer in answers
    ]


def _practice(user: User) -> list[dict[str, Any]]:
    runs = (
        SandboxRun.objects.filter(learner=user)
        .select_related("scenario")
        .prefetch_related("step_records", "dossiers")
        .order_by("started_at", "pk")
    )
    return [
        {
            "scenario": run.scenario.title,
            "state": run.state,
            "started_at": run.started_at.isoformat(),
            "completed_at": _when(run.completed_at),
            "mistakes": run.mistakes,
            "hints_shown": run.hints_shown,
            # Made up for the practice (see courses.sandboxes.personas), but shown to this learner.
            "persona": run.persona,
            "steps": [
                {
                    "step": record.step_index + 1,
                    "kind": record.kind,
                    "first_seen_at": record.first_seen_at.isoformat(),
                    "completed_at": _when(record.completed_at),
                    "mistakes": record.mistakes,
                    "hints_shown": record.hints_shown,
                    "entered": run.kept.get(str(record.step_index), {}),
                }
                for record in sorted(run.step_records.all(), key=lambda record: record.step_index)
            ],
            "dossiers": [
                {
                    "code": dossier.code,
                    "submitted_at": dossier.submitted_at.isoformat(),
                    "supplemented_at": _when(dossier.supplemented_at),
                }
                for dossier in sorted(run.dossiers.all(), key=lambda dossier: dossier.submitted_at)
            ],
        }
        for run in runs
    ]


def _notifications(user: User) -> list[dict[str, Any]]:
    return [
        {
            "title": notification.title,
            "body": notification.body,
            "url": notification.url,
            "created_at": notification.created_at.isoformat(),
            "read_at": _when(notification.read_at),
        }
        for notification in Notification.objects.filter(learner=user)
    ]


def _classes(user: User) -> list[dict[str, Any]]:
    memberships = ClassMembership.objects.filter(learner=user).select_related("learning_class")
    marks: dict[int, list[dict[str, Any]]] = {}
    for mark in (
        AssistedMark.objects.filter(learner=user)
        .select_related("course", "run__scenario")
        .order_by("marked_at", "pk")
    ):
        marks.setdefault(mark.learning_class_id, []).append(
            {"course": mark.course.title, "marked_at": mark.marked_at.isoformat()}
            if mark.course_id
            else {
                "scenario": mark.run.scenario.title,
                "step": mark.step_index + 1,
                "marked_at": mark.marked_at.isoformat(),
            }
        )
    return [
        {
            "class": membership.learning_class.name,
            "place": membership.learning_class.place,
            "meets_on": membership.learning_class.meets_on.isoformat(),
            "joined_at": membership.joined_at.isoformat(),
            "registered_by_facilitator": membership.assisted_registration,
            "consent_recorded_at": _when(membership.consent_recorded_at),
            "done_with_help": marks.get(membership.learning_class_id, []),
        }
        for membership in memberships.order_by("joined_at", "pk")
    ]


def _classes_led(user: User) -> list[dict[str, Any]]:
    return [
        {
            "class": name,
            "place": place,
            "meets_on": meets_on.isoformat(),
            "created_at": created_at.isoformat(),
        }
        for name, place, meets_on, created_at in LearningClass.objects.filter(facilitator=user).values_list(
            "name", "place", "meets_on", "created_at"
        )
    ]


def _password_reset_codes(user: User) -> list[dict[str, Any]]:
    # When a facilitator gave the learner a code, and what became of it; never the code's hash.
    return [
        {"issued_at": created.isoformat(), "expires_at": expires.isoformat(), "used_at": _when(used)}
        for created, expires, used in PasswordResetCode.objects.filter(learner=user)
        .order_by("created_at", "pk")
        .values_list("created_at", "expires_at", "used_at")
    ]


def _quiz_accommodations(user: User) -> list[dict[str, Any]]:
    return [
        {
            "quiz": accommodation.quiz.title,
            "extra_minutes": accommodation.extra_minutes,
            "no_time_limit": accommodation.no_time_limit,
            "extra_attempts": accommodation.extra_attempts,
            "reason": accommodation.reason,
            "granted_at": accommodation.granted_at.isoformat(),
        }
        for accommodation in Accommodation.objects.filter(learner=user).select_related("quiz").order_by("pk")
    ]


def _report_scope(user: User) -> dict[str, Any] | None:
    scope = ReportScope.objects.filter(user=user).select_related("province").first()
    if scope is None:
        return None
    return {"province": {"code": scope.province.official_code, "name": scope.province.name}}


register_export_section("account", _account)
register_export_section("profile", _profile, covers=["learning.Profile.user"])
register_export_section(
    "courses", _courses, covers=["learning.Enrollment.learner", "learning.LessonProgress.learner"]
)
register_export_section(
    "checkpoint_answers", _checkpoint_answers, covers=["learning.CheckpointAnswer.learner"]
)
register_export_section("quiz_attempts", _quiz_attempts, covers=["quizzes.Attempt.learner"])
register_export_section("quiz_accommodations", _quiz_accommodations, covers=["quizzes.Accommodation.learner"])
register_export_section("practice", _practice, covers=["learning.SandboxRun.learner"])
register_export_section("notifications", _notifications, covers=["learning.Notification.learner"])
register_export_section(
    "classes", _classes, covers=["learning.ClassMembership.learner", "learning.AssistedMark.learner"]
)
register_export_section("classes_led", _classes_led, covers=["learning.LearningClass.facilitator"])
register_export_section(
    "password_reset_codes", _password_reset_codes, covers=["learning.PasswordResetCode.learner"]
)
register_export_section("report_scope", _report_scope, covers=["learning.ReportScope.user"])


def export_learner_data(user: User) -> dict[str, Any]:
    """Everything the platform stores about one learner, as JSON-ready data."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for name, build in _export_sections.items():
        data[name] = build(user)
    return data


# Why an account stays: other people's records name it as the one who helped them (a class it
# leads, help it recorded, a reset code it gave), and those links are protected.
HELPED_OTHERS = _(
    "Tài khoản này chưa xoá được vì hồ sơ của học viên khác ghi bạn là người hướng dẫn (lớp học, "
    "ghi nhận hỗ trợ, mã đặt lại mật khẩu). Hãy tải dữ liệu của bạn về, rồi nhờ quản trị viên khoá "
    "tài khoản này."
)


class AccountKept(Exception):
    """The account cannot be deleted; the message says why, for the person who asked."""


def why_the_account_stays(user: User) -> str | None:
    """None if deleting the account would go through; otherwise the reason, to show before trying."""
    try:
        Collector(using=router.db_for_write(User)).collect([user])
    except ProtectedError:
        return str(HELPED_OTHERS)
    return None


def delete_learner_account(user: User) -> None:
    """Delete the account and everything that belongs to it, or nothing (``AccountKept``)."""
    try:
        with transaction.atomic():
            User.objects.filter(pk=user.pk).delete()
    except ProtectedError:
        raise AccountKept(str(HELPED_OTHERS)) from None
