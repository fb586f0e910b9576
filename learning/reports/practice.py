"""Counting practice in the sandboxes, in the shape of the national public-service index (766):
runs completed without hints, first time right (no mistake and no supplement asked for), and
scam drills passed. Counts are runs (lượt), started within the period."""

from django.db.models import Count, Exists, F, OuterRef, Q

from learning.models import Dossier, RunState, SandboxRun, StepRecord
from learning.reports.filters import ReportFilters
from learning.reports.funnel import Counts, learners

RUN_COLUMNS = ["started", "completed", "no_hints", "first_time_right"]
SCAM_COLUMNS = ["seen", "passed", "first_try"]
SCAM_KIND = "scam_drill"


def runs(filters: ReportFilters, dimension: str, year: int) -> Counts:
    """Runs and their outcomes, split by scenario or by place: one query."""
    if dimension == "scenario":
        key = "scenario_id"
    elif dimension == "place":
        key = (
            "learner__profile__commune_id"
            if filters.province_id is not None
            else "learner__profile__province_id"
        )
    else:
        raise ValueError(dimension)
    supplemented = Dossier.objects.filter(run_id=OuterRef("pk"), supplemented_at__isnull=False)
    done = Q(state=RunState.COMPLETED)
    rows = (
        SandboxRun.objects.filter(
            filters.period_q("started_at"), learner__profile__in=learners(filters, year)
        )
        .alias(supplemented=Exists(supplemented))
        .annotate(key=F(key))
        .values("key")
        .annotate(
            started=Count("pk"),
            completed=Count("pk", filter=done),
            no_hints=Count("pk", filter=done & Q(hints_shown=0)),
            first_time_right=Count("pk", filter=done & Q(mistakes=0, supplemented=False)),
        )
        .order_by("key")
    )
    return {row.pop("key"): row for row in rows}


def scam_drills(filters: ReportFilters, year: int) -> Counts:
    """Scam-spotting steps met, passed, and passed without a wrong pick, per scenario: one query."""
    rows = (
        StepRecord.objects.filter(
            filters.period_q("first_seen_at"),
            kind=SCAM_KIND,
            run__learner__profile__in=learners(filters, year),
        )
        .annotate(key=F("run__scenario_id"))
        .values("key")
        .annotate(
            seen=Count("pk"),
            passed=Count("pk", filter=Q(completed_at__isnull=False)),
            first_try=Count("pk", filter=Q(completed_at__isnull=False, mistakes=0)),
        )
        .order_by("key")
    )
    return {row.pop("key"): row for row in rows}
