import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from courses.models import Scenario
from courses.sandboxes.demo import load_scenarios


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/security/" in str(item.fspath):
            item.add_marker(pytest.mark.audit)


@pytest.fixture
def scenarios(db):
    """The demo practice scenarios, as an official would have authored them."""
    load_scenarios()
    return {scenario.slug: scenario for scenario in Scenario.objects.all()}


@pytest.fixture
async def close_sync_connections():
    """The socket's auth middleware reads the session in the thread-sensitive executor; close
    that thread's connection so PostgreSQL can drop the test database at the end."""
    yield
    await sync_to_async(connections.close_all)()
