"""For officials, in the admin: a quiz's item statistics and a CSV of its attempts."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.spreadsheets import safe_cell
from quizzes.models import Attempt, Quiz
from quizzes.statistics import question_statistics


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("quizzes.view_quiz"):
        raise PermissionDenied


def statistics(request: HttpRequest, quiz_id: int) -> HttpResponse:
    _allowed(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    finished = Attempt.objects.filter(quiz=quiz, state="finished")
    return TemplateResponse(
        request,
        "learning/admin/quiz_statistics.html",
        {
            "quiz": quiz,
            "stats": question_statistics(quiz),
            "attempt_count": finished.count(),
            "passed_count": finished.filter(passed=True).count(),
            "header_title": _("Thống kê: %(title)s") % {"title": quiz.title},
            "page_title": _("Thống kê: %(title)s") % {"title": quiz.title},
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def attempts_csv(request: HttpRequest, quiz_id: int) -> StreamingHttpResponse:
    _allowed(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    rows = (
        Attempt.objects.filter(quiz=quiz)
        .order_by("pk")
        .values_list(
            "pk", "learner__username", "learner__profile__full_name", "learner__profile__province__name",
            "number", "state", "started_at", "finished_at", "finished_by", "points", "max_points", "percent", "passed",
        )
    )  # fmt: skip

    def local(moment) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""

    def lines():
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        yield writer.writerow(
            [_("Mã lượt"), _("Tên đăng nhập"), _("Họ và tên"), _("Tỉnh/thành"), _("Lần"), _("Trạng thái"),
             _("Bắt đầu"), _("Nộp lúc"), _("Cách nộp"), _("Điểm"), _("Điểm tối đa"), _("Phần trăm"), _("Đạt")]
        )  # fmt: skip
        for (
            pk,
            username,
            name,
            province,
            number,
            state,
            started,
            finished,
            by,
            points,
            top,
            percent,
            passed,
        ) in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [pk, safe_cell(username), safe_cell(name), safe_cell(province), number, state, local(started), local(finished), by,
                 "" if points is None else points, top, "" if percent is None else percent,
                 "" if passed is None else (_("có") if passed else _("không"))]
            )  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bai-kiem-tra-{quiz.pk}-luot-lam.csv"'
    return response
