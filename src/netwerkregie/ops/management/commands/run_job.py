from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netwerkregie.ops.jobs import run_job
from netwerkregie.ops.registry import BY_NAME


class Command(BaseCommand):
    help = "Run one scheduled job now, recorded like a scheduled run (safe to repeat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=sorted(BY_NAME))

    def handle(self, *args: Any, **options: Any) -> None:
        record = run_job(options["job"])
        if not record.ok:
            raise CommandError(f"{record.job} failed: {record.summary}")
        self.stdout.write(f"{record.job}: {record.description}")
