"""A learner's way through a course: enrolment, gating, opening and completing lessons."""

import copy
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.generation import PerGeneration
from courses.models import CoursePage, LessonPage, ModulePage
from learning.models import CheckpointAnswer, Enrollment, LessonProgress, RunState, SandboxRun, User
from learning.prepared import PreparedRead
from learning.signals import course_completed
from quizzes.models import Attempt


@dataclass(frozen=True)
class OutlineLesson:
    id: int
    title: str
    url_path: str
    module_id: int
    required: bool
    estimated_minutes: int
    position: int  # 0-based, in course order


@dataclass(frozen=True)
class OutlineModule:
    id: int
    title: str
    lessons: tuple[OutlineLesson, ...] = ()


@dataclass(frozen=True)
class CourseOutline:
    """The live modules and lessons of a course, in order: two queries whatever its size, then
    none until a page changes (get_outline remembers it)."""

    modules: tuple[OutlineModule, ...]
    lessons: tuple[OutlineLesson, ...]

    def lesson(self, lesson_id: int) -> OutlineLesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    @property
    def required_ids(self) -> set[int]:
        return {lesson.id for lesson in self.lessons if lesson.required}


_outlines = PerGeneration(limit=1_000)  # course id → its outline, while no page changes


def get_outline(course: CoursePage) -> CourseOutline:
    """The course's live modules and lessons in order (shared and read-only: do not change it)."""
    outlines = _outlines.fresh()
    if (outline := outlines.get(course.pk)) is None:
        outline = _read_outline(course)
        outlines.remember(course.pk, outline)
    return outline


def _read_outline(course: CoursePage) -> CourseOutline:
    module_rows = (
        ModulePage.objects.live().child_of(course).order_by("path").values_list("id", "title", "path")
    )
    titles: dict[int, str] = {}
    module_lessons: dict[int, list[OutlineLesson]] = {}
    module_paths = {}
    for module_id, title, path in module_rows:
        titles[module_id] = title
        module_lessons[module_id] = []
        module_paths[path] = module_id
    rows = (
        LessonPage.objects.live()
        .descendant_of(course)
        .order_by("path")
        .values_list("id", "title", "url_path", "path", "required", "estimated_minutes")
    )
    lessons = []
    for lesson_id, title, url_path, path, required, minutes in rows:
        module_id = module_paths.get(path[: -LessonPage.steplen])
        if module_id is None:  # its module is not live
            continue
        lesson = OutlineLesson(lesson_id, title, url_path, module_id, required, minutes, len(lessons))
        lessons.append(lesson)
        module_lessons[module_id].append(lesson)
    modules = tuple(OutlineModule(pk, titles[pk], tuple(module_lessons[pk])) for pk in titles)
    return CourseOutline(modules=modules, lessons=tuple(lessons))


# --- reading state -------------------------------------------------------------------------


_enrollment_of = PreparedRead(
    lambda learner, course: Enrollment.objects.filter(learner_id=learner, course_id=course)[:1],
    learner=int,
    course=int,
)
_completed_in = PreparedRead(
    lambda learner, course: LessonProgress.objects.filter(learner_id=learner, course_id=course).values_list(
        "lesson_id", flat=True
    ),
    learner=int,
    course=int,
)

# quizzes.attempts.has_passed, prepared: the course page asks it of every signed-in learner, and
# completing a lesson asks it once the required lessons are done.
_passed_attempt = PreparedRead(
    lambda learner, quiz: Attempt.objects.filter(learner_id=learner, quiz_id=quiz, passed=True).values_list(
        "pk", flat=True
    )[:1],
    learner=int,
    quiz=int,
)


def final_quiz_passed(learner: User, course: CoursePage) -> bool:
    """Whether the learner passed the course's final quiz (False when it has none)."""
    if not learner.is_authenticated or not course.final_quiz_id:
        return False
    return _passed_attempt.first(learner=learner.pk, quiz=course.final_quiz_id) is not None


def get_enrollment(learner: User, course: CoursePage) -> Enrollment | None:
    if not learner.is_authenticated:
        return None
    return _enrollment_of.first(learner=learner.pk, course=course.pk)


def completed_lesson_ids(learner: User, course: CoursePage) -> set[int]:
    if not learner.is_authenticated:
        return set()
    return set(_completed_in.all(learner=learner.pk, course=course.pk))


def completed_lesson_ids_by_course(learner: User, course_ids: list[int]) -> dict[int, set[int]]:
    """completed_lesson_ids for several courses in one query (the dashboard lists them all)."""
    completed: dict[int, set[int]] = {pk: set() for pk in course_ids}
    if learner.is_authenticated and course_ids:
        rows = LessonProgress.objects.filter(learner=learner, course_id__in=course_ids)
        for course_id, lesson_id in rows.values_list("course_id", "lesson_id"):
            completed[course_id].add(lesson_id)
    return completed


def blocking_lesson(
    course: CoursePage, outline: CourseOutline, completed: set[int], lesson_id: int
) -> OutlineLesson | None:
    """In a course taken in order, the first required lesson before this one not yet completed."""
    if not course.lessons_in_order:
        return None
    for lesson in outline.lessons:
        if lesson.id == lesson_id:
            return None
        if lesson.required and lesson.id not in completed:
            return lesson
    return None


def next_lesson_to_study(
    course: CoursePage, outline: CourseOutline, completed: set[int], enrollment: Enrollment | None
) -> OutlineLesson | None:
    """Where "Tiếp tục học" goes: the last lesson opened if still unfinished, else the first unfinished."""
    if enrollment and enrollment.last_lesson_id and enrollment.last_lesson_id not in completed:
        last = outline.lesson(enrollment.last_lesson_id)
        if last and not blocking_lesson(course, outline, completed, last.id):
            return last
    for lesson in outline.lessons:
        if lesson.id not in completed:
            return blocking_lesson(course, outline, completed, lesson.id) or lesson
    return outline.lessons[0] if outline.lessons else None


def is_free_preview(outline: CourseOutline, lesson_id: int) -> bool:
    """Visitors may read a course's first lesson before registering."""
    return bool(outline.lessons) and outline.lessons[0].id == lesson_id


# --- changing state ------------------------------------------------------------------------


class LessonLocked(Exception):
    def __init__(self, blocker: OutlineLesson):
        super().__init__(blocker.title)
        self.blocker = blocker


class CheckpointUnanswered(Exception):
    pass


def enrol(learner: User, course: CoursePage) -> Enrollment:
    """Enrol once; a double click or a second tab gets the same enrolment."""
    existing = _enrollment_of.first(learner=learner.pk, course=course.pk)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            enrollment, _created = Enrollment.objects.get_or_create(learner=learner, course=course)
    except IntegrityError:  # the other request won the race
        enrollment = Enrollment.objects.get(learner=learner, course=course)
    return enrollment


def record_lesson_opened(enrollment: Enrollment, lesson_id: int) -> None:
    if enrollment.last_lesson_id != lesson_id:
        now = timezone.now()
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson_id=lesson_id, last_opened_at=now)
        enrollment.last_lesson_id, enrollment.last_opened_at = lesson_id, now


def answer_checkpoint(learner: User, lesson: LessonPage, block_id: str, choice: int) -> CheckpointAnswer:
    """Check an answer on the server and keep the learner's latest one."""
    question = lesson.checkpoints().get(block_id)
    if question is None or not (1 <= choice <= len(question["choices"])):
        raise ValueError(_("Câu hỏi hoặc lựa chọn không hợp lệ."))
    answer, _created = CheckpointAnswer.objects.update_or_create(
        learner=learner,
        lesson=lesson,
        block_id=block_id,
        defaults={
            "choice": choice,
            "chosen_text": question["choices"][choice - 1][:250],
            "correct": choice == question["answer"],
        },
    )
    return answer


def complete_lesson(learner: User, course: CoursePage, lesson: LessonPage) -> bool:
    """Mark a lesson done (once, whatever the retries). Returns True if the course is now completed.

    Raises LessonLocked when an earlier required lesson is unfinished in a course taken in
    order, and CheckpointUnanswered when the lesson's question has not been answered yet.
    """
    outline = get_outline(course)
    completed = completed_lesson_ids(learner, course)
    blocker = blocking_lesson(course, outline, completed, lesson.pk)
    if blocker:
        raise LessonLocked(blocker)
    if checkpoints := set(lesson.checkpoints()):
        answered = CheckpointAnswer.objects.filter(learner=learner, lesson=lesson).values_list(
            "block_id", flat=True
        )
        if checkpoints - set(answered):
            raise CheckpointUnanswered
    with transaction.atomic():
        enrollment = enrol(learner, course)
        # Once, whatever the retries or a concurrent request: one INSERT … ON CONFLICT DO NOTHING
        # (get_or_create took a read and two savepoints besides).
        LessonProgress.objects.bulk_create(
            [LessonProgress(learner=learner, lesson=lesson, course=course)], ignore_conflicts=True
        )
        completed.add(lesson.pk)
        return update_completion(learner, course, enrollment, outline, completed)


def update_completion(
    learner: User, course: CoursePage, enrollment: Enrollment, outline: CourseOutline, completed: set[int]
) -> bool:
    """Mark the course completed once every rule is met; True only the first time.

    The rules: every required lesson completed, every required practice scenario completed, and
    the final quiz (if the course has one) passed.
    """
    if enrollment.completed_at is not None or not outline.required_ids <= completed:
        return False
    if course.final_quiz_id and not final_quiz_passed(learner, course):
        return False
    if missing_scenarios(learner, course):
        return False
    finished = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    if not finished:
        return False
    transaction.on_commit(lambda: course_completed.send(sender=Enrollment, learner=learner, course=course))
    return True


_required = PerGeneration(limit=1_000)  # course id → its required scenarios, while no page changes


def required_scenarios(course: CoursePage) -> list:
    """The course's required practice scenarios (their id, slug and title), remembered per page
    tree: publishing the course, or saving or deleting a scenario, forgets them."""
    remembered = _required.fresh()
    if course.pk not in remembered:
        remembered.remember(
            course.pk, tuple(course.required_scenarios.only("id", "slug", "title").order_by("title", "pk"))
        )
    scenarios = remembered.get(course.pk)
    if scenarios is None:  # more courses than are remembered
        scenarios = course.required_scenarios.only("id", "slug", "title").order_by("title", "pk")
    return [copy.copy(scenario) for scenario in scenarios]


def missing_scenarios(learner: User, course: CoursePage, required: list | None = None) -> list:
    """The course's required practice scenarios the learner has not completed yet (required: the
    course's required scenarios, when the caller has them already)."""
    if required is None:
        required = required_scenarios(course)
    if not required:
        return []
    done = set(
        SandboxRun.objects.filter(
            learner=learner, scenario__in=required, state=RunState.COMPLETED
        ).values_list("scenario_id", flat=True)
    )
    return [scenario for scenario in required if scenario.pk not in done]


def reevaluate_completion(learner: User, courses) -> list[CoursePage]:
    """Check the completion rule again for these courses; returns those completed now."""
    done = []
    for course in courses:
        with transaction.atomic():
            enrollment = enrol(learner, course)
            outline = get_outline(course)
            if update_completion(learner, course, enrollment, outline, completed_lesson_ids(learner, course)):
                done.append(course)
    return done


def record_scenario_completed(learner: User, scenario_id: int) -> list[CoursePage]:
    """A practice run was completed: re-evaluate the courses that require that scenario."""
    return reevaluate_completion(learner, CoursePage.objects.live().filter(required_scenarios=scenario_id))


def record_quiz_passed(learner: User, quiz_id: int) -> list[CoursePage]:
    """A quiz was passed: re-evaluate the courses it is the final quiz of. Returns those now completed."""
    return reevaluate_completion(learner, CoursePage.objects.live().filter(final_quiz_id=quiz_id))
