"""The stages of the learning funnel, as a registry other apps add to.

Each stage is a queryset of rows "this learner reached this stage in this course at this time".
Learning registers enrolled → completed the lessons → passed the final quiz; certificates, which
learning must not import (DESIGN §4), registers "certified" from its own ``AppConfig.ready()``.
The "registered" step before them all is the learner's profile itself (see ``funnel``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from courses.models import LessonPage
from learning.models import Enrollment, LessonProgress
from quizzes.models import Attempt


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    queryset: Callable[[], QuerySet]
    time_field: str  # when the learner reached it (a field or an annotation of the queryset)
    order: int
    learner_field: str = "learner_id"
    course_field: str = "course_id"


_stages: dict[str, Stage] = {}


def register_stage(
    name: str,
    label: str,
    queryset_fn: Callable[[], QuerySet],
    *,
    time_field: str,
    order: int,
    learner_field: str = "learner_id",
    course_field: str = "course_id",
) -> None:
    """Add (or replace) a funnel stage; ``order`` places it (enrolled 10, lessons 20, quiz 30)."""
    _stages[name] = Stage(name, label, queryset_fn, time_field, order, learner_field, course_field)


def get_stages() -> list[Stage]:
    return sorted(_stages.values(), key=lambda stage: stage.order)


def _lessons_completed() -> QuerySet:
    """Enrolments whose every required live lesson is completed, with when the last one was."""
    done = LessonProgress.objects.filter(
        learner_id=OuterRef(OuterRef("learner_id")), lesson_id=OuterRef("pk")
    )
    missing = (
        LessonPage.objects.live()
        .filter(required=True, path__startswith=OuterRef("course__path"))
        .filter(~Exists(done))
    )
    last = (
        LessonProgress.objects.filter(learner_id=OuterRef("learner_id"), course_id=OuterRef("course_id"))
        .order_by("-completed_at")
        .values("completed_at")[:1]
    )
    return (
        Enrollment.objects.filter(~Exists(missing))
        .annotate(lessons_done_at=Subquery(last))
        .filter(lessons_done_at__isnull=False)
    )


def _final_quiz_passed() -> QuerySet:
    """Enrolments whose course's final quiz the learner has passed, with the first pass."""
    first_pass = (
        Attempt.objects.filter(
            learner_id=OuterRef("learner_id"), quiz_id=OuterRef("course__final_quiz_id"), passed=True
        )
        .order_by("finished_at")
        .values("finished_at")[:1]
    )
    return Enrollment.objects.annotate(passed_at=Subquery(first_pass)).filter(passed_at__isnull=False)


register_stage("enrolled", _("Ghi danh"), Enrollment.objects.all, time_field="enrolled_at", order=10)
register_stage(
    "lessons_completed", _("Học xong các bài"), _lessons_completed, time_field="lessons_done_at", order=20
)
register_stage("quiz_passed", _("Đạt bài kiểm tra"), _final_quiz_passed, time_field="passed_at", order=30)
