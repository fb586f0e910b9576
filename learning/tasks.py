"""Background jobs, run by the one worker process (``manage.py run_worker``)."""

from dataclasses import dataclass

from django.core.management import call_command
from django.tasks import Task, task


@task()
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


@task()
def finish_overdue_quiz_attempts() -> int:
    """Finish timed attempts whose learner never came back (each is also finished on its next access)."""
    from quizzes.attempts import finish_overdue_attempts

    return finish_overdue_attempts()


@dataclass(frozen=True)
class PeriodicJob:
    task: Task
    every_seconds: int


# What the worker enqueues on its own, and how often.
PERIODIC_JOBS = [
    PeriodicJob(publish_scheduled_pages, every_seconds=60),
    PeriodicJob(finish_overdue_quiz_attempts, every_seconds=60),
]


@task()
def build_report_export(user_id: int, table: str, params: dict[str, str]) -> dict[str, str]:
    """Write a large report table as CSV for the official who asked (see learning.reports.exports)."""
    from learning.reports.exports import export_for

    return export_for(user_id, table, params)
