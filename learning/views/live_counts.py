"""Learners online now, for officials: total, by province and by course, updating live.

The numbers come from presence (learning/presence.py) and go through the same small-count
suppression as every report (learning/reports/suppression.py): a count of 1 to 4 reads "< 5",
and with the total published, one more count is hidden wherever subtraction would reveal it. A
programme manager limited to a province sees that province's number only.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from courses.models import CoursePage
from learning import presence
from learning.models import Province
from learning.reports.access import check_can_view_reports
from learning.reports.suppression import Cell, LinkedTables, suppress_counts
from learning.roles import report_province_id

POLL_SECONDS = 15


def snapshot(user) -> dict:
    """What the page shows, as plain text cells: the same for the page and its live updates."""
    counts = presence.online_counts()
    scope = report_province_id(user)
    if scope is not None:
        name = Province.objects.filter(code=scope).values_list("name", flat=True).first() or str(scope)
        cell = suppress_counts({scope: counts.by_province.get(scope, 0)}).cells[scope]
        return {"total": cell.text(), "provinces": [[name, cell.text()]], "courses": [], "scope": name}
    provinces = dict(Province.objects.filter(code__in=counts.by_province).values_list("code", "name"))
    courses = dict(CoursePage.objects.filter(pk__in=counts.by_course).values_list("pk", "title"))
    total, by_province, by_course = suppressed_together(counts)
    return {
        "total": total.text(),
        "provinces": sorted(
            ([provinces.get(code, str(code)), cell.text()] for code, cell in by_province.items()),
            key=lambda row: row[0],
        ),
        "courses": sorted(
            ([courses.get(pk, str(pk)), cell.text()] for pk, cell in by_course.items()),
            key=lambda row: row[0],
        ),
        "scope": "",
    }


ELSEWHERE = "elsewhere"  # learners online but not counted in any listed key (never shown)


def suppressed_together(counts: presence.Counts) -> tuple[Cell, dict, dict]:
    """The total and both breakdowns, protected as one: the total is one number in both lines
    (provinces + the rest = total = courses + the rest), so neither line gives the other away."""
    linked = LinkedTables()
    lines = {"provinces": counts.by_province, "courses": counts.by_course}
    for name, breakdown in lines.items():
        rest = counts.learners - sum(breakdown.values())
        if rest >= 0:
            linked.add(name, {"": {**breakdown, ELSEWHERE: rest}}, columns=[*breakdown, ELSEWHERE],
                       row_totals=True, column_totals=False)  # fmt: skip
        else:  # one learner on two course pages counts in both: the courses do not add up
            linked.add(name, {"": breakdown}, columns=list(breakdown), column_totals=False)
    linked.tie(linked.cell_id("provinces", "", total="row"), linked.cell_id("courses", "", total="row"))
    tables = linked.suppress()
    provinces, courses = tables["provinces"], tables["courses"]
    total = provinces.row_totals[""] if provinces.row_totals else suppress_counts({}, counts.learners).total
    return (
        total,
        {code: provinces.cell("", code) for code in counts.by_province},
        {pk: courses.cell("", pk) for pk in counts.by_course},
    )


@never_cache
def page(request: HttpRequest) -> HttpResponse:
    check_can_view_reports(request.user)
    return TemplateResponse(
        request,
        "learning/reports/live.html",
        {
            "page_title": _("Đang học ngay lúc này"),
            "header_title": _("Đang học ngay lúc này"),
            "live": snapshot(request.user),
            "poll_seconds": POLL_SECONDS,
            "updated_at": timezone.localtime(),
        },
    )


@never_cache
def counts_json(request: HttpRequest) -> JsonResponse:
    check_can_view_reports(request.user)
    return JsonResponse({**snapshot(request.user), "at": timezone.localtime().strftime("%H:%M:%S")})
