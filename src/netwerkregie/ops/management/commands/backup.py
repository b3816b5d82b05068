from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netwerkregie.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the private media (BACKUP_DIR, BACKUP_ENCRYPTION_KEY)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--directory", type=Path, help="Where to write it (default: BACKUP_DIR).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = backup(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
