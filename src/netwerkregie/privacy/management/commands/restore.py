"""``manage.py restore``: the backup comes back (``ops.backup``) and every deletion made after it was taken is
made again (``privacy.purge``), so a restore never brings deleted personal data back."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netwerkregie.ops.backup import BackupError, restore
from netwerkregie.privacy.purge import purge, reapply


class Command(BaseCommand):
    help = ("Restore an encrypted backup into an empty database, verify the audit chain against the witness and "
            "re-apply every deletion made after the backup was taken.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["backup"].is_file():
            raise CommandError(f"No such backup file: {options['backup']}")
        try:
            report = restore(options["backup"], stdout=self.stdout, purge=lambda: purge().deleted,
                             reapply=lambda label, pk: reapply(label, pk, rule_name="re-applied after restore"))
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stderr.write(note)
