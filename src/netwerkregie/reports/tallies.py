"""What the signal sections count, as tallies per day: each signal's facts add one to a few (day, key) cells (the
day it was received: its sector, channel, neighbourhood, triage; the day it was decided: its decision; the
days of its reveals, re-justifications and lapse). A period's figures are the sum of its days' cells, so a
changed signal moves only its own cells: its old contributions are taken away, its new ones added.

``figures`` renders a period's tally the same way whether it was summed from the kept cells (``reports.kept``)
or tallied from every fact read anew (``figures.recount``)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from netwerkregie.intake.models import Decision, IdentityReveal, MonitoringJustification, Signal
from netwerkregie.privacy.models import RemnantKind, StatisticalRemnant
from netwerkregie.privacy.remnants import Facts, signal_facts

Key = tuple[Any, ...]
Contribution = tuple[str, Key]  # (ISO day, what it counts)


def _days_between(first: str, last: str) -> int:
    return (datetime.date.fromisoformat(last) - datetime.date.fromisoformat(first)).days


def contributions(f: Facts) -> list[Contribution]:
    """The cells one signal's facts add one to."""
    out: list[Contribution] = []
    received = f["received_on"]
    if received:
        out += [(received, ("received",)), (received, ("month", received[:7])), (received, ("sector", f["sector"])),
                (received, ("channel", f["channel"])), (received, ("neighbourhood", f["neighbourhood"])),
                (received, ("acute", bool(f["acute"]))), (received, ("minor", bool(f["minor"])))]
        if f["triaged_on"]:
            out += [(received, ("triaged", f["triaged_on"] <= f["due_on"])),
                    (received, ("triage_days", _days_between(received, f["triaged_on"])))]
    decided = f["decided_on"]
    if decided:
        out += [(decided, ("decision", f["decision"])), (decided, ("one_party", bool(f["one_party"]))),
                (decided, ("at_triage", bool(f["at_triage"])))]
        if f["decision"] == Decision.CLOSED_NO_CONCERN:
            out.append((decided, ("unfounded", bool(f.get("erased")))))
        if f["at_triage"] is False:
            out.append((decided, ("joint", bool(f.get("identity_revealed")))))
    out += [(day, ("revealed",)) for day in f.get("reveals", []) if day]
    out += [(day, ("rejustified",)) for day in f.get("rejustified", []) if day]
    if f.get("lapsed_on"):
        out.append((f["lapsed_on"], ("lapsed",)))
    return out


def tally(facts: Iterable[Facts], first: str, last: str) -> Counter[Key]:
    """The counts of the days from ``first`` to ``last`` (ISO, inclusive), from the facts themselves."""
    counts: Counter[Key] = Counter()
    for f in facts:
        counts.update(key for day, key in contributions(f) if first <= day <= last)
    return counts


@dataclass
class KnownSignals:
    """The signals' contributions kept per day, and which periods are complete (every signal with a fact in
    them known). Per server process; ``reports.kept`` moves it along the audit chain."""

    sequence: int = 0
    changed_hash: str = ""
    facts: dict[object, Facts] = field(default_factory=dict)  # by signal pk, or ("remnant", pk)
    days: dict[str, Counter[Key]] = field(default_factory=lambda: defaultdict(Counter))
    complete: list[tuple[str, str]] = field(default_factory=list)

    def clear(self) -> None:
        self.facts.clear()
        self.days.clear()
        self.complete.clear()

    def add(self, key: object, f: Facts) -> None:
        self.forget(key)
        self.facts[key] = f
        for day, what in contributions(f):
            self.days[day][what] += 1

    def forget(self, key: object) -> None:
        old = self.facts.pop(key, None)
        if old is not None:
            for day, what in contributions(old):
                self.days[day][what] -= 1

    def counts(self, first: str, last: str, load: Callable[[KnownSignals], None]) -> Counter[Key]:
        """The period's counts; ``load`` first adds every signal with a fact in it, unless a period holding it
        was loaded before (and nothing since made everything unknown)."""
        if not any(start <= first and last <= end for start, end in self.complete):
            load(self)
            self.complete.append((first, last))
        counts: Counter[Key] = Counter()
        for day, cell in self.days.items():
            if first <= day <= last:
                counts.update(cell)
        return +counts  # without cells taken back to zero


def _signal_ids_in(period: Any) -> set[int]:
    first, after = period.moments
    within = {"__gte": first, "__lt": after}
    ids: set[int] = set()
    for lookup in ("received_at", "triaged_at", "assessment__decided_at", "reveals__revealed_at",
                   "justifications__justified_at"):  # one indexed range each, instead of one OR over joins
        ids.update(Signal.objects.filter(**{lookup + k: v for k, v in within.items()}).values_list("pk", flat=True))
    ids.update(Signal.objects.filter(monitoring_ended_on__range=(period.start, period.end)).values_list("pk",
                                                                                                      flat=True))
    return ids


def _signal_remnants_in(period: Any) -> QuerySet[StatisticalRemnant]:
    return StatisticalRemnant.objects.filter(kind=RemnantKind.SIGNAL, first_on__lte=period.end,
                                             last_on__gte=period.start)


def signal_counts(period: Any) -> Counter[Key]:
    """What the signal sections count in the period (a ``figures.Period``): summed from the kept cells when
    ``reports.kept`` counts, else tallied from every signal's facts read anew."""
    first, last = period.start.isoformat(), period.end.isoformat()
    known = _KNOWN.get()
    if known is None:
        facts = [*read_signal_facts(_signal_ids_in(period)).values(),
                 *({**r.facts, "erased": True} for r in _signal_remnants_in(period))]
        return +tally(facts, first, last)

    def load(store: KnownSignals) -> None:
        for pk, f in read_signal_facts(_signal_ids_in(period) - store.facts.keys()).items():
            store.add(pk, f)
        for remnant in _signal_remnants_in(period):
            if ("remnant", remnant.pk) not in store.facts:
                store.add(("remnant", remnant.pk), {**remnant.facts, "erased": True})

    return known.counts(first, last, load)


# The signals' cells kept by ``reports.kept`` while no change touched them; None: tally every signal anew.
_KNOWN: ContextVar[KnownSignals | None] = ContextVar("known_signals", default=None)


@contextmanager
def known_signals(known: KnownSignals) -> Iterator[None]:
    token = _KNOWN.set(known)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def read_signal_facts(ids: set[int]) -> dict[int, Facts]:
    if not ids:
        return {}
    reveals: dict[int, list[datetime.datetime]] = defaultdict(list)
    for signal_id, moment in IdentityReveal.objects.filter(signal_id__in=ids).values_list("signal_id", "revealed_at"):
        reveals[signal_id].append(moment)
    justified: dict[int, list[datetime.datetime]] = defaultdict(list)
    for signal_id, moment in MonitoringJustification.objects.filter(signal_id__in=ids).values_list(
            "signal_id", "justified_at"):
        justified[signal_id].append(moment)
    # Only what the facts need: nothing encrypted is read (or decrypted) to count.
    live = (Signal.objects.filter(pk__in=sorted(ids))
            .select_related("source_organisation", "subject_neighbourhood", "assessment")
            .only("pk", "received_at", "channel", "acute_danger", "subject_is_minor", "triaged_at", "due_on",
                  "monitoring_ended_on", "monitoring_lapsed", "source_organisation__sector",
                  "subject_neighbourhood__code", "assessment__decision", "assessment__decided_at",
                  "assessment__assessed_by_one_party", "assessment__session", "assessment__identity_revealed"))
    return {signal.pk: signal_facts(signal, reveals=reveals.get(signal.pk, []),
                                    rejustified=justified.get(signal.pk, [])) for signal in live}
