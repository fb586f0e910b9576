"""The tables of each report page, suppressed and labelled, as the page and the CSV show them.

Tables that split the same learners different ways (by place, group, age band) are suppressed
together, so a total hidden in one is hidden in all. Every table is built by a named builder, so an
export of one table computes exactly what the page shows.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.choices import LearnerGroup
from courses.models import CoursePage, Scenario
from learning.models import Commune, Province
from learning.reports import funnel, practice
from learning.reports.filters import AGE_BANDS, ReportFilters
from learning.reports.stages import get_stages
from learning.reports.suppression import Cell, SuppressedTable, suppress_linked_tables, suppress_table


@dataclass
class Labels:
    """Names for the keys the queries return, loaded once per request (a query each)."""

    provinces: dict[int, str]
    communes: dict[int, str]  # of the report's province, when it has one
    courses: dict[int, str]

    @classmethod
    def load(cls, province_id: int | None) -> "Labels":
        provinces = dict(Province.objects.order_by("name").values_list("code", "name"))
        communes = (
            dict(Commune.objects.filter(province_id=province_id).order_by("name").values_list("code", "name"))
            if province_id is not None
            else {}
        )
        courses = dict(CoursePage.objects.order_by("title").values_list("pk", "title"))
        return cls(provinces, communes, courses)


@dataclass
class ReportTable:
    slug: str
    caption: str
    row_heading: str
    columns: list[tuple[str, str]]  # (key, heading)
    row_labels: dict[object, str]
    data: SuppressedTable
    note: str = ""
    total_label: str = field(default_factory=lambda: _("Tổng"))

    @property
    def headings(self) -> list[str]:
        extra = [_("Tổng")] if self.data.row_totals is not None else []
        return [self.row_heading, *(heading for _key, heading in self.columns), *extra]

    @property
    def body(self) -> list[tuple[str, list[Cell]]]:
        rows = []
        for key in self.data.rows:
            cells = [self.data.cell(key, column) for column, _heading in self.columns]
            if self.data.row_totals is not None:
                cells.append(self.data.row_totals[key])
            rows.append((self.row_labels.get(key, str(key)), cells))
        return rows

    @property
    def footer(self) -> tuple[str, list[Cell]] | None:
        if self.data.column_totals is None:
            return None
        cells = [self.data.column_totals[column] for column, _heading in self.columns]
        if self.data.grand_total is not None:
            cells.append(self.data.grand_total)
        return self.total_label, cells

    def column_cells(self, column: str) -> list[tuple[str, Cell]]:
        return [(self.row_labels.get(key, str(key)), self.data.cell(key, column)) for key in self.data.rows]

    @property
    def is_empty(self) -> bool:
        return not self.data.rows


def stage_columns(with_registered: bool = True) -> list[tuple[str, str]]:
    columns = [(funnel.REGISTERED, _("Đăng ký"))] if with_registered else []
    return columns + [(stage.name, str(stage.label)) for stage in get_stages()]


def _rows(counts: funnel.Counts, keys, columns) -> dict:
    return {key: {column: counts.get(key, {}).get(column, 0) for column, _h in columns} for key in keys}


def _nonzero(counts: funnel.Counts, keep=()) -> list:
    return [key for key, row in counts.items() if any(row.values())] + [
        key for key in keep if key not in counts
    ]


def _place(filters: ReportFilters, labels: Labels) -> tuple[str, dict]:
    if filters.province_id is None:
        return _("Tỉnh/thành phố"), labels.provinces
    return _("Xã/phường"), labels.communes


def _today() -> datetime.date:
    return timezone.localdate()


# --- the learning progress page --------------------------------------------------------------------


def funnel_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    """By place, learner group and age band: three queries, suppressed together."""
    year = _today().year
    columns = stage_columns()
    by_place = funnel.breakdown(filters, "place", year)
    place_heading, place_names = _place(filters, labels)
    if filters.province_id is None:
        place_keys = [code for code in labels.provinces if code in place_names]
    else:
        place_keys = sorted(
            _nonzero(by_place, [filters.commune_id] if filters.commune_id else []),
            key=lambda k: place_names.get(k, ""),
        )
    groups = {value: str(label) for value, label in LearnerGroup.choices}
    bands = {key: str(label) for key, label, *_ in AGE_BANDS}
    by_group = funnel.breakdown(filters, "group", year)
    counts = {
        "place": _rows(by_place, place_keys, columns),
        "group": _rows(by_group, [*groups, *(key for key in by_group if key not in groups)], columns),
        "age": _rows(funnel.breakdown(filters, "age", year), bands, columns),
    }
    data = suppress_linked_tables(counts, columns=[key for key, _h in columns])
    note = _("Mỗi cột đếm số người đạt bước đó trong khoảng thời gian đã chọn (theo ngày của chính bước đó).")
    return {
        "khu-vuc": ReportTable(
            "khu-vuc", _("Người học theo địa bàn"), place_heading, columns, place_names, data["place"], note
        ),
        "doi-tuong": ReportTable(
            "doi-tuong", _("Người học theo đối tượng"), _("Đối tượng"), columns, groups, data["group"], note
        ),
        "do-tuoi": ReportTable(
            "do-tuoi", _("Người học theo độ tuổi"), _("Độ tuổi"), columns, bands, data["age"], note
        ),
    }


def course_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    columns = stage_columns(with_registered=False)
    counts = funnel.by_course(filters, _today().year)
    keys = [pk for pk in labels.courses if pk in counts or pk == filters.course_id]
    data = suppress_table(
        _rows(counts, keys, columns), columns=[key for key, _h in columns], column_totals=False
    )
    note = _("Một người có thể học nhiều khoá nên các dòng không cộng lại thành tổng.")
    return {
        "khoa-hoc": ReportTable(
            "khoa-hoc", _("Người học theo khoá học"), _("Khoá học"), columns, labels.courses, data, note
        )
    }


def trend_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    columns = stage_columns()
    counts = funnel.trend(filters, _today())
    months = sorted(counts)
    names = {month: date_format(month, "m/Y") for month in months}
    data = suppress_table(
        _rows(counts, months, columns), columns=[key for key, _h in columns], column_totals=False
    )
    note = _("Số người đạt từng bước trong mỗi tháng (một người đạt ở hai tháng được đếm ở cả hai).")
    return {
        "theo-thang": ReportTable(
            "theo-thang", _("Diễn biến theo tháng"), _("Tháng"), columns, names, data, note
        )
    }


def completion_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    """Completed courses with and without a facilitator's help, by place and by course."""
    year = _today().year
    columns = [("assisted", _("Có hỗ trợ")), ("independent", _("Tự học"))]
    keys = [key for key, _h in columns]
    place_heading, place_names = _place(filters, labels)
    by_place = funnel.completions(filters, "place", year)
    by_course = funnel.completions(filters, "course", year)
    place_keys = sorted(_nonzero(by_place), key=lambda k: place_names.get(k, ""))
    course_keys = [pk for pk in labels.courses if pk in by_course]
    tables = {"place": _rows(by_place, place_keys, columns), "course": _rows(by_course, course_keys, columns)}
    data = suppress_linked_tables(tables, columns=keys, row_totals=True)
    note = _(
        "Đếm lượt hoàn thành khoá học (mỗi người, mỗi khoá một lần); “có hỗ trợ” là khi người hướng dẫn ghi nhận đã giúp."
    )
    return {
        "ho-tro-khu-vuc": ReportTable(
            "ho-tro-khu-vuc", _("Hoàn thành khoá học theo địa bàn: tự học và có hỗ trợ"), place_heading, columns,
            place_names, data["place"], note,
        ),
        "ho-tro-khoa-hoc": ReportTable(
            "ho-tro-khoa-hoc", _("Hoàn thành khoá học theo khoá: tự học và có hỗ trợ"), _("Khoá học"), columns,
            labels.courses, data["course"], note,
        ),
    }  # fmt: skip


# --- the practice page -------------------------------------------------------------------------------


def practice_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    """Sandbox runs by scenario and by place (suppressed together), and scam drills by scenario."""
    year = _today().year
    scenarios = dict(Scenario.objects.order_by("title").values_list("pk", "title"))
    columns = [
        ("started", _("Lượt bắt đầu")),
        ("completed", _("Lượt hoàn thành")),
        ("no_hints", _("Hoàn thành không cần gợi ý")),
        ("first_time_right", _("Đúng ngay lần đầu")),
    ]
    place_heading, place_names = _place(filters, labels)
    by_scenario = practice.runs(filters, "scenario", year)
    by_place = practice.runs(filters, "place", year)
    counts = {
        "scenario": _rows(by_scenario, [pk for pk in scenarios if pk in by_scenario], columns),
        "place": _rows(by_place, sorted(_nonzero(by_place), key=lambda k: place_names.get(k, "")), columns),
    }
    data = suppress_linked_tables(counts, columns=practice.RUN_COLUMNS)
    scam_columns = [
        ("seen", _("Lượt gặp")),
        ("passed", _("Lượt vượt qua")),
        ("first_try", _("Nhận ra ngay lần đầu")),
    ]
    scams = practice.scam_drills(filters, year)
    scam_data = suppress_table(
        _rows(scams, [pk for pk in scenarios if pk in scams], scam_columns), columns=practice.SCAM_COLUMNS
    )
    note = _(
        "“Đúng ngay lần đầu”: hoàn thành không sai bước nào và không phải bổ sung hồ sơ. Tính các lượt bắt đầu trong khoảng thời gian đã chọn."
    )
    return {
        "thuc-hanh-bai": ReportTable(
            "thuc-hanh-bai", _("Thực hành theo bài"), _("Bài thực hành"), columns, scenarios, data["scenario"], note
        ),
        "thuc-hanh-khu-vuc": ReportTable(
            "thuc-hanh-khu-vuc", _("Thực hành theo địa bàn"), place_heading, columns, place_names, data["place"], note
        ),
        "lua-dao": ReportTable(
            "lua-dao", _("Nhận diện lừa đảo"), _("Bài thực hành"), scam_columns, scenarios, scam_data,
            _("Mỗi lượt gặp một bước nhận diện tin nhắn, cuộc gọi hay trang web giả mạo."),
        ),
    }  # fmt: skip


Builder = Callable[[ReportFilters, Labels], dict[str, ReportTable]]

# Which builder makes each table (an export builds the whole group, as the page does).
TABLES: dict[str, Builder] = {
    "khu-vuc": funnel_tables,
    "doi-tuong": funnel_tables,
    "do-tuoi": funnel_tables,
    "khoa-hoc": course_tables,
    "theo-thang": trend_tables,
    "ho-tro-khu-vuc": completion_tables,
    "ho-tro-khoa-hoc": completion_tables,
    "thuc-hanh-bai": practice_tables,
    "thuc-hanh-khu-vuc": practice_tables,
    "lua-dao": practice_tables,
}
# The practice page has no course filter.
PRACTICE_TABLES = {"thuc-hanh-bai", "thuc-hanh-khu-vuc", "lua-dao"}


def build_table(slug: str, filters: ReportFilters, labels: Labels) -> ReportTable:
    return TABLES[slug](filters, labels)[slug]
