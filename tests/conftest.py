import pytest
import redis
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from courses import generation
from tests.factories import PASSWORD, ProfileFactory, UserFactory
from tests.figures import write_summary
from tests.live_site import start_live_site


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch):
    cache.clear()
    # Within a test the page generation changes only through this process's own writes, which
    # it sees at once; re-reading it every second would make query counts depend on timing.
    monkeypatch.setattr(generation, "REFRESH_SECONDS", 3600.0)
    generation.forget()
    yield
    cache.clear()
    generation.forget()


# Redis parts tested on their own (a cache backend, the background sender, the load test's
# presence count) use the local Redis in every pass, on an index of their own, as the
# two-server presence tests do.
OWN_REDIS_URL = "redis://127.0.0.1:6379/8"


@pytest.fixture
def own_redis() -> str:
    """The URL of an emptied Redis index for this test alone."""
    store = redis.Redis.from_url(OWN_REDIS_URL)
    store.flushdb()
    yield OWN_REDIS_URL
    store.flushdb()
    store.close()


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


@pytest.fixture
def official(db):
    """A Wagtail administrator with a confirmed authenticator app."""
    user = UserFactory(username="canbo", phone=None, is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    return user


@pytest.fixture
def official_client(client, official):
    """Signed in with password and second factor, as after a real admin login."""
    client.force_login(official)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=official).persistent_id
    session.save()
    return client


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """The whole site running as real processes, as `make run` starts it."""
    site = start_live_site(tmp_path_factory.mktemp("live-site"))
    yield site
    site.stop()


def pytest_terminal_summary(terminalreporter):
    write_summary(terminalreporter)
    skipped = terminalreporter.stats.get("skipped", [])
    if any("BROWSER TESTS DID NOT RUN" in str(report.longrepr) for report in skipped):
        terminalreporter.write_sep("!", "BROWSER TESTS DID NOT RUN", red=True, bold=True)
        terminalreporter.write_line(
            "No Chromium was found, so accessibility, page-weight and live-client checks were skipped.",
            red=True,
        )
        terminalreporter.write_line("Enable them: apt-get install chromium (or set CHROMIUM_PATH).", red=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose end first closes the connections that the sockets'
    database threads keep (CONN_MAX_AGE): PostgreSQL refuses to drop a database in use."""
    yield
    from learning.consumers import close_database_threads_connections

    with django_db_blocker.unblock():
        close_database_threads_connections()
