"""Funnel numbers on the seeded world (tests/reports/conftest.py), per stage and per breakdown."""

import datetime

import pytest
from django.utils import timezone

from learning.reports import funnel
from learning.reports.filters import ReportFilters
from learning.reports.stages import get_stages

STAGES = ["registered", "enrolled", "lessons_completed", "quiz_passed", "certified"]


def year() -> int:
    return timezone.localdate().year


def as_lists(counts, keys) -> dict:
    return {key: [counts.get(key, {}).get(stage, 0) for stage in STAGES] for key in keys}


def totals(counts) -> list[int]:
    return [sum(row.get(stage, 0) for row in counts.values()) for stage in STAGES]


def test_stages_come_in_order_and_certificates_register_the_last():
    assert [stage.name for stage in get_stages()] == STAGES[1:]
    assert funnel.stage_names() == STAGES


def test_funnel_by_province(world):
    counts = funnel.breakdown(ReportFilters(), "place", year())
    assert as_lists(counts, [world.hanoi.pk, world.p2.pk, world.p3.pk]) == {
        world.hanoi.pk: [16, 15, 13, 11, 10],
        world.p2.pk: [3, 2, 1, 1, 1],
        world.p3.pk: [7, 7, 6, 5, 5],
    }
    assert totals(counts) == [26, 24, 20, 17, 16]


def test_funnel_by_commune_within_a_province(world):
    counts = funnel.breakdown(ReportFilters(province_id=world.hanoi.pk), "place", year())
    assert set(counts) == {world.hoan_kiem.pk, world.hanoi_other.pk}
    assert as_lists(counts, counts) == {
        world.hoan_kiem.pk: [10, 9, 8, 6, 5],
        world.hanoi_other.pk: [6, 6, 5, 5, 5],
    }


def test_funnel_by_learner_group(world):
    counts = funnel.breakdown(ReportFilters(), "group", year())
    assert as_lists(counts, ["nguoi_dan", "can_bo_cong_chuc", "nguoi_lao_dong", "hoc_sinh_sinh_vien"]) == {
        "nguoi_dan": [15, 14, 12, 11, 10],
        "can_bo_cong_chuc": [4, 3, 2, 1, 1],
        "nguoi_lao_dong": [7, 7, 6, 5, 5],
        "hoc_sinh_sinh_vien": [0, 0, 0, 0, 0],
    }


def test_funnel_by_age_band(world):
    counts = funnel.breakdown(ReportFilters(), "age", year())
    assert as_lists(counts, ["60-tro-len", "18-34", "35-49", "50-59"]) == {
        "60-tro-len": [12, 12, 11, 10, 9],
        "18-34": [11, 10, 8, 6, 6],
        "35-49": [3, 2, 1, 1, 1],
        "50-59": [0, 0, 0, 0, 0],
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"learner_group": "nguoi_dan"}, [15, 14, 12, 11, 10]),
        ({"age_band": "18-34"}, [11, 10, 8, 6, 6]),
        ({"age_band": "60-tro-len", "learner_group": "nguoi_dan"}, [12, 12, 11, 10, 9]),
        ({"province_id": "p2"}, [3, 2, 1, 1, 1]),
        ({"province_id": "hanoi", "commune_id": "hoan_kiem"}, [10, 9, 8, 6, 5]),
    ],
)
def test_funnel_filters(world, filters, expected):
    resolved = {
        key: getattr(world, value).pk if key.endswith("_id") else value for key, value in filters.items()
    }
    counts = funnel.breakdown(ReportFilters(**resolved), "place", year())
    assert totals(counts) == expected


def test_period_counts_each_stage_by_its_own_date(world):
    today = timezone.localdate()
    recent = ReportFilters(date_from=today - datetime.timedelta(days=30), date_to=today)
    # Without P3 (all 400 days old); one Hà Nội learner registered long ago but did the rest recently.
    assert totals(funnel.breakdown(recent, "place", year())) == [18, 17, 14, 12, 11]
    old = ReportFilters(date_to=today - datetime.timedelta(days=300))
    assert totals(funnel.breakdown(old, "place", year())) == [8, 7, 6, 5, 5]


def test_course_filter_and_course_breakdown(world):
    by_course = funnel.by_course(ReportFilters(), year())
    assert by_course[world.course_a.pk] == {
        "enrolled": 24,
        "lessons_completed": 20,
        "quiz_passed": 17,
        "certified": 16,
    }
    assert by_course[world.course_b.pk] == {"enrolled": 3}
    only_b = funnel.breakdown(ReportFilters(course_id=world.course_b.pk), "place", year())
    assert totals(only_b) == [26, 3, 0, 0, 0]  # registration does not depend on the course


def test_revoked_certificates_and_failed_attempts_do_not_count(world):
    from certificates.issuing import revoke_certificate
    from certificates.models import Certificate

    certificate = Certificate.objects.filter(learner__in=world.learners["p2"]).get()
    revoke_certificate(certificate, reason="Kiểm thử", by=None)
    counts = funnel.breakdown(ReportFilters(province_id=world.p2.pk), "place", year())
    assert totals(counts) == [3, 2, 1, 1, 0]


def test_trend_counts_learners_per_month(world):
    today = timezone.localdate()
    months = funnel.trend(ReportFilters(), today)
    assert len(months) == 12
    assert min(months) <= today - datetime.timedelta(days=300)
    # Everything recent happened at the same moment, this month; 400 days ago is outside the window.
    assert months[today.replace(day=1)] == {
        "registered": 18,
        "enrolled": 17,
        "lessons_completed": 14,
        "quiz_passed": 12,
        "certified": 11,
    }
    assert sum(month.get("enrolled", 0) for month in months.values()) == 17


def test_assisted_and_independent_completions(world, facilitator):
    from learning.models import AssistedMark, LearningClass

    learning_class = LearningClass.objects.create(
        facilitator=facilitator, name="Lớp thử", place="Nhà văn hoá", province=world.hanoi,
        commune=world.hoan_kiem, meets_on=timezone.localdate(), join_code="ABC234",
    )  # fmt: skip
    for learner in world.learners["hk_citizens"][:3]:
        AssistedMark.objects.create(
            learner=learner, learning_class=learning_class, course=world.course_a, marked_by=facilitator
        )
    by_place = funnel.completions(ReportFilters(), "place", year())
    assert by_place[world.hanoi.pk] == {"assisted": 3, "independent": 7}
    assert by_place[world.p3.pk] == {"assisted": 0, "independent": 5}
    by_course = funnel.completions(ReportFilters(), "course", year())
    assert by_course == {world.course_a.pk: {"assisted": 3, "independent": 13}}


def test_trend_covers_at_most_three_years_of_the_period_asked_for():
    today = datetime.date(2026, 6, 15)
    start, end = funnel.trend_period(ReportFilters(date_from=datetime.date(2001, 1, 1)), today)
    assert (start, end) == (datetime.date(2023, 7, 1), today)
    assert len(funnel.months_between(start, end)) == 36
    start, _end = funnel.trend_period(ReportFilters(), today)
    assert start == datetime.date(2025, 7, 1)


def test_reports_never_import_certificates():
    """DESIGN §4: certificates → learning, never back; the certified stage is registered by certificates."""
    from pathlib import Path

    import learning

    root = Path(learning.__file__).parent
    for path in [*root.joinpath("reports").glob("*.py"), root / "demo_learners.py"]:
        source = path.read_text(encoding="utf-8")
        assert "from certificates" not in source and "import certificates" not in source, path
