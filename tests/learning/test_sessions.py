"""Sessions read from the cache with the database behind it (the engine used with Redis)."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def signed_in(client: Client) -> bool:
    return client.get(reverse("learning:dashboard")).status_code == 200


@pytest.mark.django_db
@override_settings(SESSION_ENGINE=CACHED_DB)
def test_a_signed_in_page_reads_the_session_from_the_cache_and_survives_losing_it(learner):
    client = Client()
    assert (
        client.post(
            reverse("accounts:login"), {"username": learner.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # written through to the database

    with CaptureQueriesContext(connection) as captured:
        assert signed_in(client)
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]

    cache.clear()  # Redis restarted or evicted the key: the database still has the session
    assert signed_in(client)


@pytest.mark.django_db
@override_settings(SESSION_ENGINE=CACHED_DB)
def test_signing_out_ends_the_session_in_the_cache_and_the_database(learner):
    client = Client()
    client.post(reverse("accounts:login"), {"username": learner.username, "password": PASSWORD})
    key = client.cookies["sessionid"].value
    assert signed_in(client)

    client.post(reverse("accounts:logout"))

    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not signed_in(replay)
