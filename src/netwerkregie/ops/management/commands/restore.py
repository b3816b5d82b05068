from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netwerkregie.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restore an encrypted backup into an empty database, verify the audit chain against the witness and "
            "re-apply every deletion made after the backup was taken.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["backup"].is_file():
            raise CommandError(f"No such backup file: {options['backup']}")
        try:
            report = restore(options["backup"], stdout=self.stdout)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stderr.write(note)
