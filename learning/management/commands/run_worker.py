from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.core.management import BaseCommand, call_command
from django.utils import timezone

from learning.tasks import PERIODIC_JOBS


class Command(BaseCommand):
    help = (
        "Run the background worker: enqueue the periodic jobs on their schedule and run every "
        "queued task (django-tasks-db). One process is enough; production runs exactly one."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between queue polls.")
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Enqueue each periodic job once, run everything queued, then exit.",
        )

    def handle(self, *args, interval: float, batch: bool, verbosity: int, **options) -> None:
        if batch:
            for job in PERIODIC_JOBS:
                job.task.enqueue()
            call_command(
                "db_worker",
                queue_name="*",
                batch=True,
                interval=0,
                reload=False,
                verbosity=verbosity,
            )
            return
        scheduler = BackgroundScheduler(timezone=timezone.get_default_timezone())
        for job in PERIODIC_JOBS:
            scheduler.add_job(
                job.task.enqueue,
                IntervalTrigger(seconds=job.every_seconds),
                id=job.task.name,
                next_run_time=timezone.now(),
                coalesce=True,
                max_instances=1,
            )
        scheduler.start()
        self.stdout.write(f"Periodic jobs: {', '.join(job.task.name for job in PERIODIC_JOBS)}")
        try:
            call_command("db_worker", queue_name="*", interval=interval, reload=False, verbosity=verbosity)
        finally:
            scheduler.shutdown(wait=False)
