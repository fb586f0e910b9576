import pytest

from courses.models import Scenario
from courses.sandboxes.demo import load_scenarios


@pytest.fixture
def scenarios(db):
    load_scenarios()
    return {scenario.slug: scenario for scenario in Scenario.objects.all()}
