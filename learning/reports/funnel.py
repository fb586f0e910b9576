"""Counting the funnel: registered → enrolled → lessons completed → final quiz passed → certified.

Every number is a count of distinct learners who reached the stage within the period (by the
stage's own date; with no period, ever), among the learners the filters describe. Queries are
grouped with ``values()``/``annotate()``: their number depends on the stages and breakdowns,
never on how many provinces, communes or courses there are.
"""

import dataclasses
import datetime
from collections import defaultdict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from learning.models import AssistedMark, Enrollment, Profile
from learning.reports.filters import AGE_BANDS, ReportFilters, age_band_expression
from learning.reports.stages import Stage, get_stages

REGISTERED = "registered"
TREND_DEFAULT_MONTHS = 12
TREND_MAX_MONTHS = 36
Counts = dict[object, dict[str, int]]  # row key → stage name → learners


def stage_names() -> list[str]:
    return [REGISTERED, *(stage.name for stage in get_stages())]


def learners(filters: ReportFilters, year: int) -> QuerySet:
    """The profiles the report is about (whatever their activity)."""
    return Profile.objects.filter(filters.profile_q(year=year))


def stage_rows(stage: Stage, filters: ReportFilters, year: int) -> QuerySet:
    """The stage's rows for the filtered learners, course and period."""
    rows = stage.queryset().filter(filters.period_q(stage.time_field))
    if filters.course_id is not None:
        rows = rows.filter(**{stage.course_field: filters.course_id})
    return rows.filter(**{f"{stage.learner_field}__in": learners(filters, year).values("user_id")})


def breakdown(filters: ReportFilters, dimension: str, year: int) -> Counts:
    """Learners at each stage, split by ``dimension`` ("place", "group" or "age"): one query."""
    profiles = learners(filters, year)
    if dimension == "place":
        key = "commune_id" if filters.province_id is not None else "province_id"
        profiles = profiles.annotate(key=F(key))
    elif dimension == "group":
        profiles = profiles.annotate(key=F("learner_group"))
    elif dimension == "age":
        profiles = profiles.annotate(key=age_band_expression(year))
    else:
        raise ValueError(dimension)
    counts = {REGISTERED: Count("pk", filter=filters.period_q("created_at"))}
    for stage in get_stages():
        reached = stage_rows(stage, filters, year).values(stage.learner_field)
        counts[stage.name] = Count("pk", filter=Q(user_id__in=reached))
    result: Counts = {}
    for row in profiles.values("key").annotate(**counts).order_by("key"):
        result[row.pop("key")] = row
    return result


def by_course(filters: ReportFilters, year: int) -> Counts:
    """Learners at each course stage, per course: one query per stage (a learner may be in several
    courses, so these rows do not add up to the funnel)."""
    result: Counts = defaultdict(dict)
    for stage in get_stages():
        rows = (
            stage_rows(stage, filters, year)
            .values(stage.course_field)
            .annotate(n=Count(stage.learner_field, distinct=True))
            .order_by()
        )
        for row in rows:
            result[row[stage.course_field]][stage.name] = row["n"]
    return dict(result)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def trend_period(filters: ReportFilters, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The months the trend covers: the period asked for (at most three years, the latest), else
    the last twelve months."""
    end = min(filters.date_to or today, today)

    def months_before(months: int) -> datetime.date:
        index = end.year * 12 + end.month - 1 - months
        return datetime.date(index // 12, index % 12 + 1, 1)

    start = filters.date_from or months_before(TREND_DEFAULT_MONTHS - 1)
    return min(max(start, months_before(TREND_MAX_MONTHS - 1)), end), end


def trend(filters: ReportFilters, today: datetime.date) -> Counts:
    """Learners reaching each stage per month (by its own date): one query per stage."""
    start, end = trend_period(filters, today)
    bounded = dataclasses.replace(filters, date_from=start, date_to=end)
    tz = timezone.get_current_timezone()
    result: Counts = {month: {} for month in months_between(start, end)}

    def add(rows, name: str) -> None:
        for row in rows:
            month = (
                timezone.localtime(row["month"], tz).date()
                if isinstance(row["month"], datetime.datetime)
                else row["month"]
            )
            result.setdefault(month.replace(day=1), {})[name] = row["n"]

    registered = (
        learners(bounded, today.year)
        .filter(bounded.period_q("created_at"))
        .annotate(month=TruncMonth("created_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    add(registered, REGISTERED)
    for stage in get_stages():
        rows = (
            stage_rows(stage, bounded, today.year)
            .annotate(month=TruncMonth(stage.time_field, tzinfo=tz))
            .values("month")
            .annotate(n=Count(stage.learner_field, distinct=True))
            .order_by()
        )
        add(rows, stage.name)
    return result


def completions(filters: ReportFilters, dimension: str, year: int) -> Counts:
    """Completed courses (one per learner and course), with or without a facilitator's help,
    split by place or by course: one query."""
    assisted = AssistedMark.objects.filter(learner_id=OuterRef("learner_id"), course_id=OuterRef("course_id"))
    rows = Enrollment.objects.filter(
        filters.period_q("completed_at"),
        completed_at__isnull=False,
        learner__profile__in=learners(filters, year),
    )
    if filters.course_id is not None:
        rows = rows.filter(course_id=filters.course_id)
    if dimension == "place":
        key = (
            "learner__profile__commune_id"
            if filters.province_id is not None
            else "learner__profile__province_id"
        )
    elif dimension == "course":
        key = "course_id"
    else:
        raise ValueError(dimension)
    rows = (
        rows.alias(helped=Exists(assisted))
        .annotate(key=F(key))
        .values("key")
        .annotate(
            assisted=Count("pk", filter=Q(helped=True)), independent=Count("pk", filter=Q(helped=False))
        )
        .order_by("key")
    )
    return {row.pop("key"): row for row in rows}


def age_band_keys() -> list[str]:
    return [key for key, *_rest in AGE_BANDS]
