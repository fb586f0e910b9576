"""The full run's timeline: what `make loadtest` promises ops about its length and its arrivals."""

from types import SimpleNamespace

import pytest

from loadtests import model
from loadtests.harness import PROFILES, Harness, for_learners


def timeline(learners: int | None = None) -> list[tuple[str, float, int, float]]:
    """The phases of the full profile, as main() sets it up for --learners (nothing is started)."""
    profile = for_learners(PROFILES["full"], learners) if learners else PROFILES["full"]
    return Harness.timeline(SimpleNamespace(profile=profile))


def test_the_40000_learner_run_leaves_ten_of_its_45_minutes_for_seeding_sign_ins_and_stopping():
    phases = timeline()
    assert [name for name, *_ in phases][:4] == ["ramp", "steady", "spike", "reconnect"]
    assert phases[-1][1] <= 35 * 60
    steady_start, steady_end = phases[0][1], phases[1][1]
    assert steady_end - steady_start >= 10 * 60  # the ten minutes of steady state


def test_learners_arrive_over_ten_minutes_whatever_their_number():
    for learners in (300, 8_000, 40_000):
        ramp = timeline(learners)[0]
        assert ramp[2] == learners
        assert learners / ramp[3] == pytest.approx(600)


def test_arrivals_are_faster_than_the_learner_models_own_sessions_bring_them():
    """A surge, not a trickle: three times the rate at which 30-minute sessions are replaced."""
    ramp = timeline()[0]
    assert ramp[3] == pytest.approx(3 * model.login_rate(40_000))
