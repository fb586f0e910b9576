import pytest
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, ProfileFactory, UserFactory


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
