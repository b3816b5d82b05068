from typing import Any

from django.core.management.base import BaseCommand, CommandError

from netwerkregie.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the whole audit chain; exit non-zero naming the first broken event."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain(parallel=True)  # a command, never a web request: it may use several processes
        if not report.intact:
            raise CommandError(
                f"Audit chain BROKEN at event #{report.broken_at}: {report.problem}. "
                f"({report.events_checked} events before it are intact.)"
            )
        self.stdout.write(
            f"Audit chain intact: {report.events_checked} events; head #{report.head_sequence} "
            f"{report.head_hash}"
        )
        if report.witnessed_up_to is None:
            self.stdout.write("No witness configured (AUDIT_WITNESS_PATH): a rewritten chain cannot be detected.")
        else:
            self.stdout.write(f"Matches the witness, which has seen the chain up to #{report.witnessed_up_to}.")
