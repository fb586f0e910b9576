"""A learner's rights over their data: a full export and deletion of the account."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from learning.models import Enrollment, LessonProgress, User
from quizzes.models import Attempt

ExportSection = Callable[[User], Any]
_export_sections: dict[str, ExportSection] = {}


def register_export_section(name: str, build: ExportSection) -> None:
    """Let another app add what it stores about a learner (enrolments, attempts, ...)."""
    _export_sections[name] = build


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
            "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
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


register_export_section("account", _account)
register_export_section("profile", _profile)
register_export_section("courses", _courses)
register_export_section("quiz_attempts", _quiz_attempts)


def export_learner_data(user: User) -> dict[str, Any]:
    """Everything the platform stores about one learner, as JSON-ready data."""
    data: dict[str, Any] = {"exported_at": timezone.now().isoformat()}
    for name, build in _export_sections.items():
        data[name] = build(user)
    return data


@transaction.atomic
def delete_learner_account(user: User) -> None:
    """Delete the account and everything that belongs to it."""
    User.objects.filter(pk=user.pk).delete()
