from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import Page

from courses.models import HomePage
from learning.tasks import PERIODIC_JOBS, publish_scheduled_pages

# Transactional: flushing would drop the migrated provinces and home page, hence the rollback data.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def schedule_child_page(go_live_at):
    home = HomePage.objects.get()
    page = Page(title="Trang hẹn giờ", slug="trang-hen-gio", live=False)
    home.add_child(instance=page)
    page.go_live_at = go_live_at
    revision = page.save_revision()
    revision.publish()  # a future go-live time makes this a scheduled publication
    page.refresh_from_db()
    return page


def test_scheduled_publishing_is_a_periodic_job():
    assert publish_scheduled_pages in [job.task for job in PERIODIC_JOBS]


def test_worker_publishes_a_page_whose_time_has_come(time_machine):
    now = timezone.now()
    page = schedule_child_page(now + timedelta(minutes=5))
    assert not page.live

    time_machine.move_to(now + timedelta(minutes=6))
    call_command("run_worker", batch=True, verbosity=0)

    page.refresh_from_db()
    assert page.live
    result = DBTaskResult.objects.get(task_path=publish_scheduled_pages.module_path)
    assert result.status == "SUCCESSFUL"


def test_worker_leaves_a_page_scheduled_for_later_alone():
    page = schedule_child_page(timezone.now() + timedelta(hours=1))
    call_command("run_worker", batch=True, verbosity=0)
    page.refresh_from_db()
    assert not page.live


def test_worker_runs_any_queued_task():
    result = publish_scheduled_pages.enqueue()
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("run_worker", batch=True, verbosity=0)
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
