import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from netwerkregie.ops.jobs import Leader, enabled_jobs


class Command(BaseCommand):
    help = ("Run the scheduler: the daily purge, audit verification and backup (made up at start when missed), "
            "the witness anchor, and runs asked for from a page. Several may run; one holds the lease and works, "
            "the others wait to take over.")

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        leader = Leader()
        waiting_said = False
        while not stop.is_set() and not leader.try_to_lead():
            if not waiting_said:
                self.stdout.write("Scheduler waiting: another scheduler holds the lease")
                self.stdout.flush()
                waiting_said = True
            stop.wait(settings.SCHEDULER_TICK_SECONDS)
        if stop.is_set():
            return
        self.stdout.write("Scheduler started: " + ", ".join(job.name for job in enabled_jobs()))
        self.stdout.flush()
        try:
            while not stop.is_set() and not leader.lost.is_set():
                stop.wait(1)
        finally:
            if leader.lost.is_set():
                leader.scheduler.shutdown(wait=False)
            else:
                leader.stop()
        if leader.lost.is_set():
            raise CommandError("The scheduler lost its lease to another process; restart to wait for it.")
