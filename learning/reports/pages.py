"""The tables of each report page, suppressed and labelled, as the page and the CSV show them.

The tables of a page are suppressed together wherever they share numbers, so a number hidden in
one is not given away by another. Every table is built by a named builder, so an
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
from learning.reports.suppression import (
    Cell,
    LinkedTables,
    SuppressedTable,
)


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

CERTIFIED = "certified"  # the funnel's last stage (registered by certificates)


def progress_tables(filters: ReportFilters, labels: Labels) -> dict[str, ReportTable]:
    """Every table of the progress page, protected together (suppression.LinkedTables).

    They are tied in more ways than their own totals: the funnel by place, group and age band
    splits the same learners (one set of totals); a stage's months and its courses can add up to
    the funnel's total (they do whenever nobody is counted twice); a place's or a course's
    certified learners are its completions whenever each completed one course. A number hidden
    in one table cannot then be worked out from another.
    """
    year = _today().year
    columns = stage_columns()
    keys = [key for key, _h in columns]
    place_heading, place_names = _place(filters, labels)

    by_place = funnel.breakdown(filters, "place", year)
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

    course_columns = stage_columns(with_registered=False)
    course_keys = [key for key, _h in course_columns]
    by_course = funnel.by_course(filters, year)
    courses = [pk for pk in labels.courses if pk in by_course or pk == filters.course_id]

    by_month = funnel.trend(filters, _today())
    months = sorted(by_month)

    completion_columns = [("assisted", _("Có hỗ trợ")), ("independent", _("Tự học"))]
    completion_keys = [key for key, _h in completion_columns]
    completed_by_place = funnel.completions(filters, "place", year)
    completed_by_course = funnel.completions(filters, "course", year)
    completion_places = sorted(_nonzero(completed_by_place), key=lambda k: place_names.get(k, ""))
    completion_courses = [pk for pk in labels.courses if pk in completed_by_course]

    linked = LinkedTables()
    linked.add("place", _rows(by_place, place_keys, columns), columns=keys)
    linked.add(
        "group",
        _rows(by_group, [*groups, *(key for key in by_group if key not in groups)], columns),
        columns=keys,
        shared="place",
    )
    linked.add(
        "age", _rows(funnel.breakdown(filters, "age", year), bands, columns), columns=keys, shared="place"
    )
    linked.add(
        "course", _rows(by_course, courses, course_columns), columns=course_keys, print_column_totals=False
    )
    linked.add("month", _rows(by_month, months, columns), columns=keys, print_column_totals=False)
    linked.add(
        "assisted_place",
        _rows(completed_by_place, completion_places, completion_columns),
        columns=completion_keys,
        row_totals=True,
    )
    linked.add(
        "assisted_course",
        _rows(completed_by_course, completion_courses, completion_columns),
        columns=completion_keys,
        row_totals=True,
        shared="assisted_place",
    )
    for key in keys:
        place_total = linked.cell_id("place", column=key, total="column")
        linked.tie(linked.cell_id("month", column=key, total="column"), place_total)
        linked.tie(linked.cell_id("course", column=key, total="column"), place_total)
    if CERTIFIED in keys:
        linked.tie(
            linked.cell_id("assisted_place", total="grand"),
            linked.cell_id("place", column=CERTIFIED, total="column"),
        )
        for place in completion_places:
            linked.tie(
                linked.cell_id("assisted_place", place, total="row"),
                linked.cell_id("place", place, CERTIFIED),
            )
        for course in completion_courses:
            linked.tie(
                linked.cell_id("assisted_course", course, total="row"),
                linked.cell_id("course", course, CERTIFIED),
            )
    data = linked.suppress()

    funnel_note = _(
        "Mỗi cột đếm số người đạt bước đó trong khoảng thời gian đã chọn (theo ngày của chính bước đó)."
    )
    completion_note = _(
        "Đếm lượt hoàn thành khoá học (mỗi người, mỗi khoá một lần); “có hỗ trợ” là khi người hướng dẫn ghi nhận đã giúp."
    )
    month_names = {month: date_format(month, "m/Y") for month in months}
    return {
        "khu-vuc": ReportTable(
            "khu-vuc", _("Người học theo địa bàn"), place_heading, columns, place_names, data["place"], funnel_note
        ),
        "doi-tuong": ReportTable(
            "doi-tuong", _("Người học theo đối tượng"), _("Đối tượng"), columns, groups, data["group"], funnel_note
        ),
        "do-tuoi": ReportTable(
            "do-tuoi", _("Người học theo độ tuổi"), _("Độ tuổi"), columns, bands, data["age"], funnel_note
        ),
        "khoa-hoc": ReportTable(
            "khoa-hoc", _("Người học theo khoá học"), _("Khoá học"), course_columns, labels.courses, data["course"],
            _("Một người có thể học nhiều khoá nên các dòng không cộng lại thành tổng."),
        ),
        "theo-thang": ReportTable(
            "theo-thang", _("Diễn biến theo tháng"), _("Tháng"), columns, month_names, data["month"],
            _("Số người đạt từng bước trong mỗi tháng (một người đạt ở hai tháng được đếm ở cả hai)."),
        ),
        "ho-tro-khu-vuc": ReportTable(
            "ho-tro-khu-vuc", _("Hoàn thành khoá học theo địa bàn: tự học và có hỗ trợ"), place_heading,
            completion_columns, place_names, data["assisted_place"], completion_note,
        ),
        "ho-tro-khoa-hoc": ReportTable(
            "ho-tro-khoa-hoc", _("Hoàn thành khoá học theo khoá: tự học và có hỗ trợ"), _("Khoá học"),
            completion_columns, labels.courses, data["assisted_course"], completion_note,
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
    scam_columns = [
        ("seen", _("Lượt gặp")),
        ("passed", _("Lượt vượt qua")),
        ("first_try", _("Nhận ra ngay lần đầu")),
    ]
    scams = practice.scam_drills(filters, year)
    linked = LinkedTables()
    linked.add("scenario", _rows(by_scenario, [pk for pk in scenarios if pk in by_scenario], columns),
               columns=practice.RUN_COLUMNS)  # fmt: skip
    linked.add(
        "place",
        _rows(by_place, sorted(_nonzero(by_place), key=lambda k: place_names.get(k, "")), columns),
        columns=practice.RUN_COLUMNS,
        shared="scenario",
    )
    linked.add("scams", _rows(scams, [pk for pk in scenarios if pk in scams], scam_columns),
               columns=practice.SCAM_COLUMNS)  # fmt: skip
    for pk in scams:  # a drill of one step is met once per run: its runs and its encounters agree
        linked.tie(linked.cell_id("scenario", pk, "started"), linked.cell_id("scams", pk, "seen"))
        linked.tie(linked.cell_id("scenario", pk, "completed"), linked.cell_id("scams", pk, "passed"))
    data = linked.suppress()
    scam_data = data["scams"]
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
    "khu-vuc": progress_tables,
    "doi-tuong": progress_tables,
    "do-tuoi": progress_tables,
    "khoa-hoc": progress_tables,
    "theo-thang": progress_tables,
    "ho-tro-khu-vuc": progress_tables,
    "ho-tro-khoa-hoc": progress_tables,
    "thuc-hanh-bai": practice_tables,
    "thuc-hanh-khu-vuc": practice_tables,
    "lua-dao": practice_tables,
}
# The practice page has no course filter.
PRACTICE_TABLES = {"thuc-hanh-bai", "thuc-hanh-khu-vuc", "lua-dao"}


def build_table(slug: str, filters: ReportFilters, labels: Labels) -> ReportTable:
    return TABLES[slug](filters, labels)[slug]
