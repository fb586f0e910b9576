"""Course pages as a learner sees them. Wagtail routes the URL; learning adds the learner's state
(via the before_serve_page hook) so that the courses app never depends on learning."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Site

from courses.choices import LearnerGroup, SkillArea
from courses.generation import PerGeneration
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from courses.rendering import render_body
from learning import progress
from learning.models import CheckpointAnswer, Enrollment
from learning.prepared import PreparedRead


def url_of(request: HttpRequest, url_path: str) -> str:
    """A page's URL from its url_path, without loading the page."""
    site = Site.find_for_request(request)
    try:  # the request keeps the root paths, in Wagtail's own slot for them
        roots = request._wagtail_cached_site_root_paths
    except AttributeError:
        roots = request._wagtail_cached_site_root_paths = Site.get_site_root_paths()
    for root in roots:
        if site is None or root.site_id == site.pk:
            return "/" + url_path[len(root.root_path) :]
    return url_path


_courses = PerGeneration(limit=20_000)  # lesson path → its live course, or None


def course_of(lesson: LessonPage) -> CoursePage:
    """The lesson's live course, remembered per page tree like routes (courses/generation.py):
    publishing, unpublishing or moving any page forgets it. Each call gets its own copy."""
    courses = _courses.fresh()
    if lesson.path not in courses:
        courses.remember(lesson.path, CoursePage.objects.live().ancestor_of(lesson).first())
    course = (
        courses[lesson.path]
        if lesson.path in courses
        else CoursePage.objects.live().ancestor_of(lesson).first()
    )
    if course is None:
        raise Http404
    return copy.copy(course)


_lessons = PerGeneration(limit=20_000)  # lesson id → its live page, or None


def live_lesson(lesson_id: int) -> LessonPage:
    """A live lesson by id, remembered per page tree as above (each call gets its own copy):
    marking a lesson done reads neither the page tables nor the lesson's body again."""
    lessons = _lessons.fresh()
    if lesson_id not in lessons:
        lessons.remember(lesson_id, LessonPage.objects.live().filter(pk=lesson_id).first())
    lesson = (
        lessons[lesson_id] if lesson_id in lessons else LessonPage.objects.live().filter(pk=lesson_id).first()
    )
    if lesson is None:
        raise Http404
    return copy.copy(lesson)


_courses_by_id = PerGeneration(limit=20_000)  # course id → its page, live or not


def courses_by_id(ids: set[int]) -> dict[int, CoursePage]:
    """Course pages by id, remembered per page tree as above (each call gets its own copies):
    the dashboard names a learner's courses without joining two page tables per request."""
    remembered = _courses_by_id.fresh()
    found = {pk: remembered[pk] for pk in ids if pk in remembered}
    if missing := ids - found.keys():
        for course in CoursePage.objects.filter(pk__in=missing):
            remembered.remember(course.pk, course)
            found[course.pk] = course
    return {pk: copy.copy(course) for pk, course in found.items()}


# --- pages ---------------------------------------------------------------------------------


def serve_catalogue(request: HttpRequest, page: CourseIndexPage) -> HttpResponse:
    courses = list(
        CoursePage.objects.live()
        .child_of(page)
        .order_by("path")
        .select_related("cover_image")
        .prefetch_related("cover_image__renditions")
    )
    skill = request.GET.get("ky-nang", "")
    group = request.GET.get("doi-tuong", "")
    if skill in SkillArea.values:
        courses = [course for course in courses if course.skill_area == skill]
    if group in LearnerGroup.values:
        courses = [course for course in courses if not course.target_groups or group in course.target_groups]
    states = {}
    if request.user.is_authenticated:
        for course_id, completed_at in Enrollment.objects.filter(learner=request.user).values_list(
            "course_id", "completed_at"
        ):
            states[course_id] = "completed" if completed_at else "enrolled"
    for course in courses:
        course.learner_state = states.get(course.pk, "")
    context = page.get_context(request)
    context.update(
        courses=courses,
        skill_areas=SkillArea.choices,
        learner_groups=LearnerGroup.choices,
        chosen_skill=skill,
        chosen_group=group,
    )
    return TemplateResponse(request, page.get_template(request), context)


def serve_course(request: HttpRequest, page: CoursePage) -> HttpResponse:
    outline = progress.get_outline(page)
    enrollment = progress.get_enrollment(request.user, page)
    completed = progress.completed_lesson_ids(request.user, page)
    resume = progress.next_lesson_to_study(page, outline, completed, enrollment)
    syllabus = [  # the outline is shared between requests: this learner's states go beside it
        {
            "module": module,
            "items": [
                {
                    "lesson": lesson,
                    "url": url_of(request, lesson.url_path),
                    "state": lesson_state(page, outline, completed, lesson, request.user.is_authenticated),
                }
                for lesson in module.lessons
            ],
        }
        for module in outline.modules
    ]
    context = page.get_context(request)
    if page.final_quiz_id and request.user.is_authenticated:
        context["final_quiz_passed"] = progress.final_quiz_passed(request.user, page)
    scenarios = progress.required_scenarios(page)
    missing = (
        set(progress.missing_scenarios(request.user, page, scenarios))
        if request.user.is_authenticated
        else set(scenarios)
    )
    context["required_scenarios"] = [(scenario, scenario not in missing) for scenario in scenarios]
    context.update(
        outline=outline,
        syllabus=syllabus,
        enrollment=enrollment,
        completed_count=len(completed & {lesson.id for lesson in outline.lessons}),
        lesson_count=len(outline.lessons),
        resume_url=url_of(request, resume.url_path) if resume else "",
        live_course_id=page.pk,  # presence counts this page's socket for the course
    )
    return TemplateResponse(request, page.get_template(request), context)


def lesson_state(course, outline, completed, lesson, signed_in: bool) -> str:
    if lesson.id in completed:
        return "completed"
    if not signed_in:
        return "open" if progress.is_free_preview(outline, lesson.id) else "sign-in"
    if progress.blocking_lesson(course, outline, completed, lesson.id):
        return "locked"
    return "open"


_checkpoint_answers = PreparedRead(
    lambda learner, lesson: CheckpointAnswer.objects.filter(learner_id=learner, lesson_id=lesson),
    learner=int,
    lesson=int,
)


def serve_lesson(request: HttpRequest, page: LessonPage) -> HttpResponse:
    course = course_of(page)
    outline = progress.get_outline(course)
    current = outline.lesson(page.pk)
    if current is None:
        raise Http404
    signed_in = request.user.is_authenticated
    enrollment = progress.enrol(request.user, course) if signed_in else None
    completed = progress.completed_lesson_ids(request.user, course)
    blocker = progress.blocking_lesson(course, outline, completed, page.pk) if signed_in else None
    may_read = (signed_in and blocker is None) or (
        not signed_in and progress.is_free_preview(outline, page.pk)
    )
    if enrollment and may_read:
        progress.record_lesson_opened(enrollment, page.pk)

    context = page.get_context(request)
    if may_read and signed_in:
        answers = {
            answer.block_id: answer
            for answer in _checkpoint_answers.all(learner=request.user.pk, lesson=page.pk)
        }

        csrf_token = get_token(request)  # blocks render with a plain context, not a RequestContext

        def checkpoint_context(block_id: str) -> dict:
            return {
                "checkpoint_answer": answers.get(block_id),
                "checkpoint_form_allowed": True,
                "csrf_token": csrf_token,
            }

        context["lesson_body"] = render_body(page, context, checkpoint_context)
        context["unanswered_checkpoints"] = len(set(page.checkpoints()) - set(answers))
    elif not may_read:
        context["lesson_body"] = ""
    position = current.position
    context.update(
        course=course,
        course_url=url_of(request, course.url_path),
        outline=outline,
        current=current,
        previous_url=url_of(request, outline.lessons[position - 1].url_path) if position > 0 else "",
        next_url=url_of(request, outline.lessons[position + 1].url_path)
        if position + 1 < len(outline.lessons)
        else "",
        lesson_number=position + 1,
        lesson_count=len(outline.lessons),
        completed_count=len(completed & {lesson.id for lesson in outline.lessons}),
        is_completed=page.pk in completed,
        may_read=may_read,
        blocker=blocker,
        blocker_url=url_of(request, blocker.url_path) if blocker else "",
        learner_view=True,
        live_course_id=course.pk,
    )
    return TemplateResponse(request, page.get_template(request), context)


def serve_module(request: HttpRequest, page: ModulePage) -> HttpResponse:
    course = page.get_parent().specific
    return redirect(f"{url_of(request, course.url_path)}#chuyen-de-{page.pk}")


PAGE_VIEWS = {
    CourseIndexPage: serve_catalogue,
    CoursePage: serve_course,
    ModulePage: serve_module,
    LessonPage: serve_lesson,
}


# --- actions -------------------------------------------------------------------------------


@login_required
@require_POST
def enrol(request: HttpRequest, course_id: int) -> HttpResponse:
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    enrollment = progress.enrol(request.user, course)
    outline = progress.get_outline(course)
    completed = progress.completed_lesson_ids(request.user, course)
    target = progress.next_lesson_to_study(course, outline, completed, enrollment)
    return redirect(url_of(request, target.url_path) if target else url_of(request, course.url_path))


@login_required
@require_POST
def complete(request: HttpRequest, lesson_id: int) -> HttpResponse:
    lesson = live_lesson(lesson_id)
    course = course_of(lesson)
    lesson_url = url_of(request, lesson.url_path)
    try:
        course_done = progress.complete_lesson(request.user, course, lesson)
    except progress.LessonLocked as locked:
        messages.error(request, _("Hãy học xong bài “%(title)s” trước.") % {"title": locked.blocker.title})
        return redirect(lesson_url)
    except progress.CheckpointUnanswered:
        messages.error(request, _("Hãy trả lời câu hỏi nhanh trong bài trước khi bấm hoàn thành."))
        return redirect(f"{lesson_url}#cau-hoi")
    outline = progress.get_outline(course)
    if course_done:
        messages.success(
            request, _("Chúc mừng! Bạn đã hoàn thành khoá học “%(title)s”.") % {"title": course.title}
        )
        return redirect(url_of(request, course.url_path))
    current = outline.lesson(lesson.pk)
    following = (
        outline.lessons[current.position + 1]
        if current and current.position + 1 < len(outline.lessons)
        else None
    )
    if following:
        return redirect(url_of(request, following.url_path))
    messages.success(request, _("Bạn đã học xong bài cuối. Hãy xem còn bài nào chưa hoàn thành."))
    return redirect(url_of(request, course.url_path))


@login_required
@require_POST
def answer_checkpoint(request: HttpRequest, lesson_id: int, block_id: str) -> HttpResponse:
    lesson = live_lesson(lesson_id)
    lesson_url = url_of(request, lesson.url_path)
    try:
        choice = int(request.POST.get("choice", ""))
        answer = progress.answer_checkpoint(request.user, lesson, block_id, choice)
    except ValueError:
        messages.error(request, _("Hãy chọn một câu trả lời rồi bấm “Trả lời”."))
        return redirect(f"{lesson_url}#cau-hoi-{block_id}")
    if answer.correct:
        messages.success(request, _("Đúng rồi!"))
    else:
        messages.info(request, _("Chưa đúng. Hãy đọc giải thích bên dưới câu hỏi."))
    return redirect(f"{lesson_url}#cau-hoi-{block_id}")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    # The course most recently opened (or, never opened, enrolled in) first. Sorted here, and
    # the courses come from the per-process pages: compiling a query that joins the course's
    # two page tables (and orders them) was the most of this page's CPU (measured).
    enrollments = sorted(
        Enrollment.objects.filter(learner=request.user).order_by(),
        key=lambda e: (e.last_opened_at or e.enrolled_at, e.enrolled_at, e.pk),
        reverse=True,
    )
    courses = courses_by_id({enrollment.course_id for enrollment in enrollments})
    completed_by_course = progress.completed_lesson_ids_by_course(
        request.user, [e.course_id for e in enrollments]
    )
    rows = []
    for enrollment in enrollments:
        if enrollment.course_id not in courses:
            continue  # deleted a moment ago, with its enrolments
        course = enrollment.course = courses[enrollment.course_id]
        outline = progress.get_outline(course)
        completed = completed_by_course[course.pk]
        resume = progress.next_lesson_to_study(course, outline, completed, enrollment)
        done = len(completed & {lesson.id for lesson in outline.lessons})
        rows.append(
            {
                "enrollment": enrollment,
                "course": course,
                "course_url": url_of(request, course.url_path),
                "resume": resume,
                "resume_url": url_of(request, resume.url_path) if resume else "",
                "done": done,
                "total": len(outline.lessons),
                "percent": round(100 * done / len(outline.lessons)) if outline.lessons else 0,
            }
        )
    # Newest first, sorted here for the same reason as the courses above (a learner has a few).
    certificates = sorted(
        request.user.certificates.order_by(), key=lambda c: (c.issued_at, c.pk), reverse=True
    )
    # The catalogue link comes from the site_links context processor, remembered per page tree.
    return TemplateResponse(request, "learning/dashboard.html", {"rows": rows, "certificates": certificates})
