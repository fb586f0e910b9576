"""Quizzes as a learner takes them. Every rule lives in quizzes.attempts; these views only
translate between HTTP and it.

The browser never learns option ids, keys or explanations before the review: options are
numbered by the position they are shown in (stored per attempt), and pictures are served
through the attempt, so not even a file name can give an answer away.
"""

import uuid
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.images import get_image_model

from courses.generation import PerGeneration
from courses.models import CoursePage
from learning.prepared import PreparedRead
from learning.views.courses import url_of
from quizzes import attempts
from quizzes.grading import Kind
from quizzes.models import Attempt, AttemptQuestion, Quiz

# An answer is a handful of small numbers; anything bigger is not an answer.
MAX_ANSWER_BYTES = 4 * 1024
MAX_FORM_BYTES = 64 * 1024
PICTURE_FILTER = "max-480x320|format-webp"


_attempt_of = PreparedRead(
    lambda attempt, learner: Attempt.objects.select_related("quiz").filter(pk=attempt, learner_id=learner)[
        :1
    ],
    attempt=int,
    learner=int,
)
_questions_of = PreparedRead(
    lambda attempt: AttemptQuestion.objects.filter(attempt_id=attempt).order_by("position"), attempt=int
)
# The autosave's question with its attempt in one read: the most frequent request of all. The
# question's wording is not needed to check and save an answer.
_question_to_save = PreparedRead(
    lambda attempt, learner, position: (
        AttemptQuestion.objects.select_related("attempt")
        .defer("text", "explanation")
        .filter(attempt_id=attempt, attempt__learner_id=learner, position=position)[:1]
    ),
    attempt=int,
    learner=int,
    position=int,
)


_quiz = PreparedRead(lambda quiz: Quiz.objects.filter(pk=quiz)[:1], quiz=int)


def get_quiz_or_404(quiz_id: int) -> Quiz:
    quiz = _quiz.first(quiz=quiz_id)
    if quiz is None:
        raise Http404
    return quiz


def own_attempt(request: HttpRequest, attempt_id: int) -> Attempt:
    """The learner's own attempt; anyone else's does not exist, as far as they can tell."""
    attempt = _attempt_of.first(attempt=attempt_id, learner=request.user.pk)
    if attempt is None:
        raise Http404
    attempt.learner = request.user  # theirs: not read again
    return attempt


def questions_of(attempt: Attempt) -> list[AttemptQuestion]:
    """The attempt's questions in the order shown, each knowing its attempt without a query."""
    questions = _questions_of.all(attempt=attempt.pk)
    for question in questions:
        question.attempt = attempt
    return questions


@dataclass(frozen=True)
class CourseLink:
    title: str
    url: str


_course_pages = PerGeneration(limit=10_000)  # quiz → (title, url_path) of the course ending with it


def course_link(request: HttpRequest, quiz: Quiz) -> CourseLink | None:
    """The way back to the (first live) course that ends with this quiz, remembered per process
    while no page changes: every page of an exam shows it, and a cohort starting an exam together
    opens those pages at once."""
    remembered = _course_pages.fresh()
    if quiz.pk in remembered:
        found = remembered[quiz.pk]
    else:
        course = CoursePage.objects.live().filter(final_quiz=quiz).order_by("path").first()
        found = (course.title, course.url_path) if course else None
        remembered.remember(quiz.pk, found)
    return CourseLink(found[0], url_of(request, found[1])) if found else None


def too_big(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


# --- the quiz's own page --------------------------------------------------------------------


@login_required
@require_GET
def quiz_intro(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_quiz_or_404(quiz_id)
    standing = attempts.get_standing(request.user, quiz)
    return TemplateResponse(
        request,
        "learning/quizzes/intro.html",
        {
            "quiz": quiz,
            "standing": standing,
            "course": course_link(request, quiz),
            "question_count": quiz.question_count,
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    quiz = get_quiz_or_404(quiz_id)
    try:
        attempt = attempts.start_attempt(request.user, quiz)
    except attempts.MustWait as wait:
        until = timezone.localtime(wait.until).strftime("%H:%M %d/%m/%Y")
        messages.error(
            request, _("%(reason)s Bạn có thể làm lại từ %(time)s.") % {"reason": wait.message, "time": until}
        )
        return redirect("learning:quiz", quiz_id=quiz.pk)
    except attempts.AttemptError as refusal:
        messages.error(request, refusal.message)
        return redirect("learning:quiz", quiz_id=quiz.pk)
    return redirect("learning:attempt", attempt_id=attempt.pk)


# --- taking it ------------------------------------------------------------------------------


def positions_from(data, question: AttemptQuestion) -> list[int] | None:
    """What the form says for one question, as shown positions; None when it is not in the form."""
    field = f"q{question.position}"
    if question.kind == Kind.ORDERING:
        names = [f"{field}-{index}" for index in range(1, len(question.options) + 1)]
        if not any(name in data for name in names):
            return None
        ranks = [data.get(name, "").strip() for name in names]
        if not any(ranks):
            return []
        try:
            placed = sorted((int(rank), index) for index, rank in enumerate(ranks, start=1))
        except ValueError:
            raise attempts.InvalidAnswer(_("Hãy chọn vị trí cho từng bước.")) from None
        if [rank for rank, _index in placed] != list(range(1, len(ranks) + 1)):
            raise attempts.InvalidAnswer(_("Hãy xếp mỗi bước vào một vị trí khác nhau."))
        return [index for _rank, index in placed]
    if field not in data and f"{field}-shown" not in data:
        return None
    values = data.getlist(field)
    if len(values) > len(question.options):
        raise attempts.InvalidAnswer(_("Đáp án bạn gửi không có trong câu hỏi này."))
    try:
        return [int(value) for value in values]
    except ValueError:
        raise attempts.InvalidAnswer(_("Đáp án bạn gửi không có trong câu hỏi này.")) from None


def unchanged(data, question: AttemptQuestion, positions: list[int]) -> bool:
    """True when the learner left the question as the page showed it (another device may have
    answered it since: leaving it alone here must not overwrite that)."""
    shown = [part for part in data.get(f"was{question.position}", "").split(",") if part.isdigit()]
    before = [int(part) for part in shown]
    if question.kind == Kind.ORDERING:
        return positions == before
    return sorted(positions) == sorted(before)


def saved(question: AttemptQuestion, positions: list[int]) -> bool:
    """True when this is the answer stored already: the page's script saved it when it was
    chosen, and the form sends it again with the submit. Nothing to write."""
    stored = attempts.answer_positions(question)
    return positions == stored if question.kind == Kind.ORDERING else sorted(positions) == sorted(stored)


def revision_from(data, position: int) -> int:
    try:
        return int(data.get(f"rev{position}", ""))
    except ValueError:
        raise attempts.InvalidAnswer(_("Trang làm bài đã cũ. Hãy tải lại trang.")) from None


def question_view(question: AttemptQuestion, attempt: Attempt) -> dict:
    """One question as the page shows it during the attempt: text and options, no key."""
    chosen = attempts.answer_positions(question)
    options = []
    for index, option in enumerate(question.options, start=1):
        options.append(
            {
                "position": index,
                "text": option["text"],
                "picture_url": reverse("learning:option_picture", args=[attempt.pk, question.position, index])
                if option.get("image_id")
                else "",
                "chosen": index in chosen,
                "rank": chosen.index(index) + 1
                if question.kind == Kind.ORDERING and index in chosen
                else None,
            }
        )
    return {
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "options": options,
        "revision": question.revision,
        "was": ",".join(str(position) for position in chosen),
        "answered": question.is_answered,
        "multiple": question.kind == Kind.MULTIPLE,
        "ordering": question.kind == Kind.ORDERING,
        "ranks": range(1, len(options) + 1),
    }


@login_required
def take(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = own_attempt(request, attempt_id)
    if attempts.finish_if_overdue(attempt, timezone.now()):
        messages.info(request, _("Đã hết giờ làm bài. Bài của bạn đã được nộp với các câu đã lưu."))
        return redirect("learning:attempt_result", attempt_id=attempt.pk)
    if not attempt.is_open:
        return redirect("learning:attempt_result", attempt_id=attempt.pk)
    if request.method == "POST":
        return save_form(request, attempt)
    if request.method != "GET":
        return HttpResponse(status=405)
    questions = questions_of(attempt)
    try:
        current = int(request.GET.get("cau", ""))
    except ValueError:
        current = next((q.position for q in questions if not q.is_answered), 1)
    current = min(max(current, 1), len(questions))
    unanswered = [q.position for q in questions if not q.is_answered]
    return TemplateResponse(
        request,
        "learning/quizzes/take.html",
        {
            "attempt": attempt,
            "quiz": attempt.quiz,
            "questions": [question_view(q, attempt) for q in questions],
            "current": current,
            "total": len(questions),
            "unanswered": unanswered,
            "submit_key": uuid.uuid4().hex,
            "course": course_link(request, attempt.quiz),
            "deadline": attempt.deadline,
        },
    )


def save_form(request: HttpRequest, attempt: Attempt) -> HttpResponse:
    """The form without JavaScript: save what changed, then go to another question or submit."""
    if too_big(request, MAX_FORM_BYTES):
        messages.error(request, _("Dữ liệu gửi lên quá lớn. Hãy tải lại trang và thử lại."))
        return redirect("learning:attempt", attempt_id=attempt.pk)
    try:
        target = int(request.POST.get("go", ""))
    except ValueError:
        target = None
    problems = 0
    for question in questions_of(attempt):
        try:
            positions = positions_from(request.POST, question)
            if (
                positions is None
                or unchanged(request.POST, question, positions)
                or saved(question, positions)
            ):
                continue
            attempts.save_answer(
                attempt, question.position, positions, revision_from(request.POST, question.position)
            )
        except attempts.AttemptClosed as closed:
            messages.info(request, closed.message)
            return redirect("learning:attempt_result", attempt_id=attempt.pk)
        except attempts.AttemptError as refusal:
            problems += 1
            messages.error(
                request, _("Câu %(n)s: %(reason)s") % {"n": question.position, "reason": refusal.message}
            )
            target = question.position
    if "submit" in request.POST and not problems:
        finished = attempts.submit_attempt(attempt, key=request.POST.get("submit_key", ""))
        if finished.finished_by == "timeout":
            messages.info(request, _("Đã hết giờ làm bài. Bài của bạn đã được nộp với các câu đã lưu."))
        return redirect("learning:attempt_result", attempt_id=attempt.pk)
    url = reverse("learning:attempt", args=[attempt.pk])
    if target:
        url += f"?cau={target}#cau-{target}"
    return redirect(url)


@login_required
@require_POST
def save(request: HttpRequest, attempt_id: int, position: int) -> JsonResponse:
    """Autosave of one answer (the page's script). Always answers in JSON, in Vietnamese."""
    if too_big(request, MAX_ANSWER_BYTES):
        return JsonResponse({"error": _("Dữ liệu gửi lên quá lớn.")}, status=413)
    question = _question_to_save.first(attempt=attempt_id, learner=request.user.pk, position=position)
    if question is None:
        own_attempt(request, attempt_id)  # not this learner's attempt: not found, as for its page
        return JsonResponse({"error": _("Câu hỏi này không có trong bài làm của bạn.")}, status=404)
    attempt = question.attempt
    try:
        positions = positions_from(request.POST, question)
        if positions is None:
            raise attempts.InvalidAnswer(_("Hãy chọn một đáp án."))
        saved = attempts.save_answer(
            attempt, position, positions, revision_from(request.POST, position), question=question
        )
    except attempts.AttemptClosed as closed:
        return JsonResponse(
            {"error": closed.message, "result_url": reverse("learning:attempt_result", args=[attempt.pk])},
            status=410,
        )
    except attempts.StaleAnswer as stale:
        current = AttemptQuestion.objects.get(pk=question.pk)
        return JsonResponse(
            {
                "error": stale.message,
                "revision": current.revision,
                "positions": attempts.answer_positions(current),
            },
            status=409,
        )
    except attempts.AttemptError as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    saved_at = timezone.localtime(saved.answered_at).strftime("%H:%M:%S") if saved.answered_at else ""
    return JsonResponse({"saved": True, "revision": saved.revision, "saved_at": saved_at})


@login_required
@require_GET
def option_picture(request: HttpRequest, attempt_id: int, position: int, option: int) -> HttpResponse:
    """An option's picture, named by its place in the attempt so its file name tells nothing."""
    attempt = own_attempt(request, attempt_id)
    question = get_object_or_404(AttemptQuestion, attempt=attempt, position=position)
    if not 1 <= option <= len(question.options) or not question.options[option - 1].get("image_id"):
        raise Http404
    image = get_object_or_404(get_image_model(), pk=question.options[option - 1]["image_id"])
    rendition = image.get_rendition(PICTURE_FILTER)
    response = FileResponse(rendition.file.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- after it -------------------------------------------------------------------------------


def review_view(question: AttemptQuestion, quiz: Quiz) -> dict:
    """One question as the review shows it, within what the quiz's review policy allows."""
    chosen = set(question.answer)
    correct = set(question.correct_ids)
    options = []
    for option in question.options:
        options.append(
            {
                "text": option["text"],
                "chosen": option["id"] in chosen,
                "correct": quiz.show_correct_answers and option["id"] in correct,
                "explanation": option.get("explanation", "") if quiz.show_explanations else "",
            }
        )
    by_id = {option["id"]: option["text"] for option in question.options}
    return {
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "options": options,
        "answered": question.is_answered,
        "points": question.points,
        "full_marks": question.correct,
        "learner_order": [by_id[i] for i in question.answer if i in by_id]
        if question.kind == Kind.ORDERING
        else [],
        "right_order": [by_id[i] for i in question.correct_ids if i in by_id]
        if question.kind == Kind.ORDERING and quiz.show_correct_answers
        else [],
        "explanation": question.explanation if quiz.show_explanations else "",
    }


@login_required
@require_GET
def result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = own_attempt(request, attempt_id)
    attempts.finish_if_overdue(attempt, timezone.now())
    if attempt.is_open:
        return redirect("learning:attempt", attempt_id=attempt.pk)
    quiz = attempt.quiz
    standing = attempts.get_standing(request.user, quiz)
    return TemplateResponse(
        request,
        "learning/quizzes/result.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "questions": [review_view(q, quiz) for q in questions_of(attempt)],
            "standing": standing,
            "course": course_link(request, quiz),
        },
    )
