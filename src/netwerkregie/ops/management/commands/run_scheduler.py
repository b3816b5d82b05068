from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from netwerkregie.ops.jobs import add_jobs, enabled_jobs


class Command(BaseCommand):
    help = "Run the scheduler: the daily purge, audit verification and backup, and the witness anchor. One per site."

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = BlockingScheduler(timezone=ZoneInfo(settings.TIME_ZONE))
        add_jobs(scheduler)
        self.stdout.write("Scheduler started: " + ", ".join(job.name for job in enabled_jobs()))
        self.stdout.flush()
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=True)
