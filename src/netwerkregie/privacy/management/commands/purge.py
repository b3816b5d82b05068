from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netwerkregie.privacy.purge import PurgeIncomplete, due, purge


class Command(BaseCommand):
    help = ("Delete every record whose retention date has passed, with what hangs off it, leaving a content-free "
            "tombstone in the audit log. Run it daily.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would go; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            items = list(due())
            for item in items:
                state = (f"held until {item.held_until:%Y-%m-%d}" if item.held_until else
                         "kept: still referenced" if item.blocked else "would be deleted")
                self.stdout.write(f"{item.label} {item.pk}\tretain until {item.retain_until:%Y-%m-%d}\t"
                                  f"{item.rule}\t{state}")
            self.stdout.write(f"{len(items)} records past their retention date (dry run: nothing changed).")
            return
        try:
            report = purge()
        except PurgeIncomplete as incomplete:
            raise CommandError(str(incomplete)) from None
        self.stdout.write(f"Purged {report.deleted} records; {report.held} under legal hold; "
                          f"{report.blocked} still referenced.")
