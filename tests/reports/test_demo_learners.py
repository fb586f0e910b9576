"""The synthetic learners behind the demo reports: enough, spread out, repeatable, loaded once."""

import pytest
from django.utils import timezone

from certificates.models import Certificate
from courses.demo import load_curriculum
from learning.demo_learners import FACILITATOR, PREFIX, load_demo_learners
from learning.models import Enrollment, LearningClass, Profile, SandboxRun, User
from learning.reports import funnel
from learning.reports.filters import ReportFilters

pytestmark = pytest.mark.django_db


def fingerprint() -> list[tuple]:
    return list(
        Profile.objects.filter(user__username__startswith=PREFIX)
        .order_by("user__username")
        .values_list("user__username", "full_name", "birth_year", "commune_id", "learner_group")
    )


def remove_demo_learners() -> None:
    LearningClass.objects.filter(facilitator__username=FACILITATOR).delete()
    User.objects.filter(username__startswith=PREFIX).delete()


def test_demo_learners_fill_every_stage_once_and_the_same_way_each_time():
    load_curriculum()
    summary = load_demo_learners(count=120)
    assert summary.created
    assert summary.learners == 120
    assert summary.provinces >= 10
    assert 0 < summary.completions < summary.enrolments
    assert summary.runs > 0 and summary.assisted > 0
    # Certificates come the ordinary way, one per completion.
    completed = Enrollment.objects.filter(learner__username__startswith=PREFIX, completed_at__isnull=False)
    assert (
        Certificate.objects.current().filter(learner__username__startswith=PREFIX).count()
        == completed.count()
    )
    # Every stage of the funnel has people; timestamps are spread over months.
    counts = funnel.breakdown(ReportFilters(), "place", timezone.localdate().year)
    for stage in funnel.stage_names():
        assert sum(row[stage] for row in counts.values()) > 0, stage
    months = {when.strftime("%Y-%m") for when in completed.values_list("completed_at", flat=True)}
    assert len(months) >= 4
    assert SandboxRun.objects.filter(learner__username__startswith=PREFIX, state="completed").exists()

    again = load_demo_learners(count=120)
    assert not again.created
    assert again == type(again)(**{**summary.__dict__, "created": False})

    first = fingerprint()
    remove_demo_learners()
    load_demo_learners(count=120)
    assert fingerprint() == first
