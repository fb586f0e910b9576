"""Reports for officials, in the Wagtail admin: learning progress, practice, and CSV exports."""

from urllib.parse import urlencode
from uuid import UUID

from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.tasks.exceptions import TaskResultDoesNotExist
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.reports import charts, exports, funnel, pages
from learning.reports.access import check_can_view_reports, read_filters
from learning.reports.suppression import THRESHOLD
from learning.roles import report_province_id
from learning.tasks import build_report_export


def _context(title: str, form, filters, labels, tables: dict) -> dict:
    place = labels.provinces.get(filters.province_id) if filters.province_id is not None else _("Cả nước")
    return {
        "form": form,
        "filters": filters,
        "tables": {slug.replace("-", "_"): table for slug, table in tables.items()},
        "export_query": urlencode(filters.as_params()),
        "place_name": place,
        "threshold": THRESHOLD,
        "threshold_below": THRESHOLD - 1,
        "header_title": title,
        "page_title": title,
        "header_icon": "table",
    }


def _shown_rows(table: pages.ReportTable, column: str) -> list:
    return [(label, cell) for label, cell in table.column_cells(column) if cell.value or cell.hidden]


def progress(request: HttpRequest) -> HttpResponse:
    """The funnel by place, learner group, age band and course; the trend; assisted completions."""
    check_can_view_reports(request.user)
    form, filters, labels = read_filters(request.GET, request.user)
    tables = pages.progress_tables(filters, labels)
    context = _context(_("Báo cáo tiến độ học tập"), form, filters, labels, tables)
    stages = pages.stage_columns()
    place = tables["khu-vuc"]
    totals = place.footer[1]
    steps = [(heading, cell) for (_key, heading), cell in zip(stages, totals, strict=True)]
    # Largest first; hidden numbers (no bar) last.
    enrolled = sorted(_shown_rows(place, "enrolled"), key=lambda row: -(row[1].shown_value or -1))
    trend = tables["theo-thang"]
    months = [label for label, _cells in trend.body]
    series = [
        charts.Series(heading, [cells[i] for _label, cells in trend.body])
        for i, (_key, heading) in enumerate(stages)
    ]
    context["funnel_steps"] = [
        (heading, cell, _rate(cell, steps[i - 1][1]) if i else None)
        for i, (heading, cell) in enumerate(steps)
    ]
    context["funnel_chart"] = charts.funnel_chart(
        "bieu-do-pheu", _("Phễu học tập"), charts.describe(steps), steps
    )
    context["place_chart"] = charts.bar_chart(
        "bieu-do-dia-ban",
        _("Số người ghi danh theo địa bàn"),
        charts.describe(enrolled) or _("Chưa có người ghi danh."),
        enrolled,
    )
    context["trend_chart"] = charts.trend_chart(
        "bieu-do-theo-thang",
        _("Diễn biến theo tháng"),
        _("Từ %(start)s đến %(end)s; số liệu từng tháng ở bảng “%(table)s” bên cạnh.")
        % {"start": months[0] if months else "", "end": months[-1] if months else "", "table": trend.caption},
        months,
        series,
    )
    return TemplateResponse(request, "learning/reports/progress.html", context)


def _rate(cell, previous) -> str | None:
    """The share of the previous stage, only when both numbers are published."""
    if cell.shown_value is None or not previous.shown_value:
        return None
    return f"{round(100 * cell.shown_value / previous.shown_value)}%"


def practice(request: HttpRequest) -> HttpResponse:
    """Sandbox outcomes by scenario and by place, and scam drills."""
    check_can_view_reports(request.user)
    form, filters, labels = read_filters(request.GET, request.user, with_course=False)
    tables = pages.practice_tables(filters, labels)
    context = _context(_("Báo cáo thực hành"), form, filters, labels, tables)
    completed = _shown_rows(tables["thuc-hanh-bai"], "completed")
    context["scenario_chart"] = charts.bar_chart(
        "bieu-do-thuc-hanh",
        _("Lượt hoàn thành theo bài thực hành"),
        charts.describe(completed) or _("Chưa có lượt thực hành nào."),
        completed,
    )
    return TemplateResponse(request, "learning/reports/practice.html", context)


def export(request: HttpRequest, slug: str) -> HttpResponse:
    """One table as CSV: streamed now when small, else prepared by the worker."""
    check_can_view_reports(request.user)
    if slug not in pages.TABLES:
        raise Http404
    form, filters, labels = read_filters(
        request.GET, request.user, with_course=slug not in pages.PRACTICE_TABLES
    )
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(
            _("Bộ lọc không hợp lệ: %(errors)s") % {"errors": form.errors.as_text()}
        )
    if funnel.learners(filters, timezone.localdate().year).count() > exports.direct_export_max_learners():
        result = build_report_export.enqueue(request.user.pk, slug, filters.as_params())
        return redirect("reports_export_status", result_id=result.id)
    table = pages.build_table(slug, filters, labels)
    response = StreamingHttpResponse(exports.csv_chunks(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{exports.download_name(table)}"'
    return response


def _own_result(request: HttpRequest, result_id: UUID):
    check_can_view_reports(request.user)
    try:
        result = build_report_export.get_result(str(result_id))
    except TaskResultDoesNotExist:
        raise Http404 from None
    if not result.args or result.args[0] != request.user.pk:
        raise Http404  # another official's export: as if it did not exist
    if result.status == "SUCCESSFUL" and result.return_value.get("scope") != report_province_id(request.user):
        raise Http404  # made for a wider scope than the official has now (or a different province)
    return result


def export_status(request: HttpRequest, result_id: UUID) -> HttpResponse:
    """ "Being prepared", then the download link; the official reloads (no automatic refresh)."""
    result = _own_result(request, result_id)
    title = _("Tải báo cáo CSV")
    return TemplateResponse(
        request,
        "learning/reports/export_status.html",
        {
            "result": result,
            "ready": result.status == "SUCCESSFUL",
            "failed": result.status == "FAILED",
            "details": result.return_value if result.status == "SUCCESSFUL" else None,
            "header_title": title,
            "page_title": title,
            "header_icon": "download",
        },
    )


def export_file(request: HttpRequest, result_id: UUID) -> HttpResponse:
    result = _own_result(request, result_id)
    if result.status != "SUCCESSFUL":
        raise Http404
    details = result.return_value
    path = exports.export_path(details["file"])
    if path is None:
        raise Http404  # removed after a day: ask again
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=details["download_name"],
        content_type="text/csv; charset=utf-8",
    )
