"""Who may read reports, and the filters a request may ask for within its official's scope."""

from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from learning.reports.filters import ReportFilterForm, ReportFilters, requested_province
from learning.reports.pages import Labels
from learning.roles import can_view_reports, report_province_id


def check_can_view_reports(user) -> None:
    """Programme managers (``learning.view_reports``) and superusers; everyone else is refused."""
    if not can_view_reports(user):
        raise PermissionDenied


def read_filters(
    data: QueryDict | dict | None, user, *, with_course: bool = True
) -> tuple[ReportFilterForm, ReportFilters, Labels]:
    """The filter form for ``data``, the filters to report on, and the labels they need.

    A manager limited to a province always gets that province, whatever the URL asks for.
    """
    scope = report_province_id(user)
    labels = Labels.load(requested_province(data, scope))
    form = ReportFilterForm(
        data or None,
        scope_province_id=scope,
        provinces=list(labels.provinces.items()),
        communes=list(labels.communes.items()),
        courses=list(labels.courses.items()),
        with_course=with_course,
    )
    filters = form.filters()
    if scope is not None and filters.province_id != scope:  # belt and braces: never outside the scope
        raise PermissionDenied
    return form, filters, labels
