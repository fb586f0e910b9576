"""The load-test seed: learners spread over provinces, sessions that really sign them in."""

from importlib import import_module

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from learning.models import Profile, User

pytestmark = pytest.mark.django_db


def test_seeded_sessions_sign_learners_in_and_a_second_run_reuses_them(tmp_path):
    sessions = tmp_path / "sessions.txt"
    call_command("seed_load_learners", learners=30, sessions=sessions)
    keys = sessions.read_text().split()
    assert len(keys) == len(set(keys)) == 30
    assert (
        Profile.objects.filter(user__username__startswith="tai").values("province").distinct().count() == 30
    )
    client = Client()
    client.cookies["sessionid"] = keys[7]
    page = client.get(reverse("learning:dashboard"))
    html = page.content.decode()
    assert page.status_code == 200 and "dang-xuat" in html and "dang-nhap/?next" not in html, html[-3000:]
    call_command("seed_load_learners", learners=35, sessions=sessions)
    assert User.objects.filter(username__startswith="tai").count() == 35
    assert len(set(sessions.read_text().split()) & set(keys)) == 0  # fresh sessions each run


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.cached_db", "django.contrib.sessions.backends.db"]
)
def test_seeded_sessions_are_where_a_sign_in_writes_them(
    tmp_path, engine, settings, django_assert_num_queries
):
    """With cached sessions (production's engine) a sign-in writes the cache as well as the
    database, so the seeded learner's first request finds the session there, as a real one's would."""
    settings.SESSION_ENGINE = engine
    sessions = tmp_path / "sessions.txt"
    call_command("seed_load_learners", learners=3, sessions=sessions)
    key = sessions.read_text().split()[1]
    store = import_module(engine).SessionStore
    with django_assert_num_queries(0 if engine.endswith("cached_db") else 1):
        data = store(key).load()
    assert data["_auth_user_id"] == str(User.objects.get(username="tai000002").pk)
    assert data == store().decode(store.get_model_class().objects.get(session_key=key).session_data)
