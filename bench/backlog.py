"""The backlog profile of ``bench/national.py``: a national incident or a long holiday leaves ``count`` new
signals waiting for triage (20,000 by default), received over the last four weeks, a third of them past
their triage date and one in twenty with acute danger reported, from every organisation; one in ten sent by
the benchmark's partner user. Bulk inserts through the models, as ``national_data`` fills the rest."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator

from django.utils import timezone
from national_data import _batches, _unique

from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal, SignalStatus
from netwerkregie.network.models import Organisation

BACKLOG = 20_000


def add_backlog(count: int, users: dict, rng: random.Random, say=print) -> None:
    now, today = timezone.now(), timezone.localdate()
    organisations = list(Organisation.objects.all())
    taken = set(Signal.objects.values_list("reference", flat=True))

    def make() -> Iterator[Signal]:
        for n in range(count):
            received = now - datetime.timedelta(minutes=rng.randint(1, 28 * 24 * 60))
            yield Signal(
                reference=_unique(f"S-{received.year}-", 6, taken), source_organisation=rng.choice(organisations),
                submitted_by=users[Role.PARTNER] if n % 10 == 0 else None, channel="web_form",
                description="Deelt filmpjes die geweld verheerlijken.", subject_name=f"Achterstand{n}",
                status=SignalStatus.NEW, received_at=received, acute_danger=n % 20 == 0,
                due_on=received.date() + datetime.timedelta(days=7 if n % 3 else -1),
                retain_until=today + datetime.timedelta(days=365))

    for batch in _batches(make()):
        Signal.objects.bulk_create(batch)
    say(f"  backlog: {count} new signals over the last four weeks")
