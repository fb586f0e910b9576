"""Background jobs, run by the one worker process (``manage.py run_worker``)."""

from dataclasses import dataclass

from django.core.management import call_command
from django.tasks import Task, task


@task()
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


@dataclass(frozen=True)
class PeriodicJob:
    task: Task
    every_seconds: int


# What the worker enqueues on its own, and how often.
PERIODIC_JOBS = [
    PeriodicJob(publish_scheduled_pages, every_seconds=60),
]
