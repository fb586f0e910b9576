import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, ProfileFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learner(db):
    """A registered learner with a complete profile; password is ``tests.factories.PASSWORD``."""
    return ProfileFactory().user


@pytest.fixture
def learner_password() -> str:
    return PASSWORD


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
