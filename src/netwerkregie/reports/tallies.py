"""What the signal sections count, as tallies per day: each signal's facts add one to a few (day, key) cells (the
day it was received: its sector, channel, neighbourhood, triage; the day it was decided: its decision; the
days of its reveals, re-justifications and lapse). A period's figures are the sum of its days' cells, so a
changed signal moves only its own cells: its old contributions are taken away, its new ones added.

``figures`` renders a period's tally the same way whether it was summed from the kept cells (``reports.kept``)
or tallied from every fact read anew (``figures.recount``)."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from netwerkregie.intake.models import Decision
from netwerkregie.privacy.remnants import Facts

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
