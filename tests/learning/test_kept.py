"""Accounts and unread notifications kept in the shared cache (learning/kept.py): read once,
and never served stale after a change, through the pages a learner sees."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import kept
from learning.models import Notification
from learning.notifications import notify_learner
from learning.roles import FACILITATORS

pytestmark = pytest.mark.django_db

DASHBOARD = "/hoc-cua-toi/"
LEADER_LINK = "Lớp tôi hướng dẫn"


@pytest.fixture
def shared(settings):
    """One process in a test: its cache is shared by everything that reads or changes."""
    settings.SHARED_CACHE = True


def queries_on(client, url: str, table: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), sum(f'"{table}"' in q["sql"] for q in captured.captured_queries)


def test_the_account_and_its_permissions_are_read_once_then_kept(shared, learner_client):
    assert reverse("learning:dashboard") == DASHBOARD
    _html, first = queries_on(learner_client, DASHBOARD, "learning_user")
    html, again = queries_on(learner_client, DASHBOARD, "learning_user")
    assert (first, again) == (1, 0)
    _html, permission_queries = queries_on(learner_client, DASHBOARD, "auth_permission")
    assert permission_queries == 0  # the dashboard asks for a permission: it was kept too
    assert "Học của tôi" in html


def test_without_a_shared_cache_every_request_reads_the_account(settings, learner_client):
    settings.SHARED_CACHE = False
    queries_on(learner_client, DASHBOARD, "learning_user")
    _html, again = queries_on(learner_client, DASHBOARD, "learning_user")
    assert again == 1


def test_a_deactivated_account_is_signed_out_on_its_next_request(shared, learner_client, learner):
    queries_on(learner_client, DASHBOARD, "learning_user")
    learner.is_active = False
    learner.save()
    response = learner_client.get(DASHBOARD)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_password_changed_elsewhere_ends_the_kept_session(shared, learner_client, learner):
    queries_on(learner_client, DASHBOARD, "learning_user")
    learner.set_password("mot-mat-khau-moi-2026")
    learner.save()
    assert learner_client.get(DASHBOARD).status_code == 302


def test_joining_or_leaving_a_role_shows_on_the_next_page(shared, learner_client, learner):
    facilitators = Group.objects.get(name=FACILITATORS)
    html, _ = queries_on(learner_client, DASHBOARD, "learning_user")
    assert LEADER_LINK not in html

    facilitators.user_set.add(learner)
    html, _ = queries_on(learner_client, DASHBOARD, "learning_user")
    assert LEADER_LINK in html

    kept_permissions = list(facilitators.permissions.all())
    facilitators.permissions.clear()  # the role itself loses its permission
    html, _ = queries_on(learner_client, DASHBOARD, "learning_user")
    assert LEADER_LINK not in html

    facilitators.permissions.set(kept_permissions)
    learner.groups.remove(facilitators)
    html, _ = queries_on(learner_client, DASHBOARD, "learning_user")
    assert LEADER_LINK not in html


def test_unread_notifications_are_kept_until_one_is_stored_or_read(shared, learner_client, learner):
    html, _ = queries_on(learner_client, DASHBOARD, "learning_notification")
    assert "data-unread-count" not in html
    _html, kept_reads = queries_on(learner_client, DASHBOARD, "learning_notification")
    assert kept_reads == 0

    notify_learner(learner, kind="test", title="Hồ sơ của bạn đã được tiếp nhận")
    html, reads = queries_on(learner_client, DASHBOARD, "learning_notification")
    assert reads == 1
    assert "data-unread-count>1<" in html and "Hồ sơ của bạn đã được tiếp nhận" in html

    learner_client.post(reverse("accounts:notifications_read"))
    html, _ = queries_on(learner_client, DASHBOARD, "learning_notification")
    assert "data-unread-count" not in html and "Hồ sơ của bạn đã được tiếp nhận" not in html


def test_a_deleted_notification_leaves_the_page(shared, learner_client, learner):
    notification = notify_learner(learner, kind="test", title="Tin sẽ bị xoá")
    assert "Tin sẽ bị xoá" in queries_on(learner_client, DASHBOARD, "learning_notification")[0]
    Notification.objects.get(pk=notification.pk).delete()
    assert "Tin sẽ bị xoá" not in queries_on(learner_client, DASHBOARD, "learning_notification")[0]


def test_a_value_changed_while_it_was_being_read_is_read_again(shared):
    """A reader that loads the old row while a writer changes it must not keep that row."""
    loads = []

    def load_during_a_change():
        loads.append("old row")
        kept.change("kept:test:token", 60)  # the writer commits while the reader still holds it
        return "old row"

    assert kept.fetch("kept:test", ["kept:test:token"], load_during_a_change, 60) == "old row"
    assert kept.fetch("kept:test", ["kept:test:token"], lambda: "new row", 60) == "new row"
    assert kept.fetch("kept:test", ["kept:test:token"], lambda: "never read", 60) == "new row"
    assert loads == ["old row"]
