import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from netwerkregie.ops.health import scheduler_health, scheduler_is_healthy


class Command(BaseCommand):
    help = ("What /health/scheduler answers, for the scheduler container's health check: exits 1 when no "
            "scheduler beats or a job failed or missed its time.")

    def handle(self, *args: Any, **options: Any) -> None:
        checks = scheduler_health()
        if not scheduler_is_healthy(checks):
            raise CommandError(json.dumps(checks))
        self.stdout.write(json.dumps(checks))
