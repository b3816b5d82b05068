from typing import Any

from django.core.management.base import BaseCommand

from netwerkregie.privacy.lapse import lapse


class Command(BaseCommand):
    help = ("Close every monitoring signal and running case whose 'justified until' date has passed without a "
            "re-justification. Safe to run twice; the daily purge job runs it first.")

    def handle(self, *args: Any, **options: Any) -> None:
        result = lapse()
        self.stdout.write(f"Lapsed: {len(result.cases)} cases, {len(result.signals)} monitoring signals.")
