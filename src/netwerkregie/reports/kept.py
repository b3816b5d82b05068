"""The figures kept per section and period, and after a change counted anew only where the change can have
moved them: the (section, period) cells it touched.

The change marker is the audit chain, which every change writes in its own transaction
(``core.audit``): each kept cell remembers the chain's sequence and last change's hash when it was
counted. Reading a cell reads the chain's head (one query); when the head moved, the changes since then
(events other than readings and sign-ins) say what they touched:

- a signal (``intake.signal``, still here): the signal sections of every period that ends on or after the
  day it was received (every fact of a signal falls on or after that day: triage, decision, reveals,
  re-justifications, lapse);
- an anonymous consultation: the signals section of the periods that end on or after the day it was asked;
- a case, a plan, a review or an approval (``cases.*``, ``approvals.approval``): cases and oversight, every
  period;
- activities, budgets and expenses (``programmes.*``) and contact moments: prevention and budget, every
  period;
- what is named in ``IRRELEVANT`` (accounts, tokens, referrals, requests, contributions): nothing;
- anything else (a purge, a merge, a restore, an organisation or a catalogue, a deleted signal, a kind added
  later): every section of every period. Unknown is counted anew, never trusted.

An identity revealed in a pseudonymous assessment is recorded as a reading (``intake.pseudonymity``), so it
does not move the chain's last change: it is seen with the next change (as before these cells).

Too many changes at once (more than ``MAX_CHANGES``) count everything anew too. A restore to another chain
is noticed (the kept hash is no longer in the chain). What is kept is what the page shows: already
suppressed, no record in it; per server process, like Django's local cache.

``warm`` counts this year and last year in every language before a server process serves (gunicorn's
``post_worker_init``), so no reader waits for a process's first count: after that a change costs what it
touched. (Kept per process rather than in a shared table: what a change costs is recounting from the kept
signal facts, per signal, which a table would have to hold and move along the chain under a lock, for every
process, in the change's own transaction; counting once at a process's start needs none of that, and is the
same code the page and ``tests/reports/test_kept_cells.py`` run.)"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import get_language

from netwerkregie.core.audit import UNCHANGING
from netwerkregie.core.models import AuditAction, AuditChainHead, AuditEvent
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.reports.figures import SECTIONS, Period, Section, one_report, oversight_case_counts, seed
from netwerkregie.reports.tallies import KnownSignals, known_signals, read_signal_facts

# Until the day turns (the day is in the key): the chain says when a cell is stale, so an hourly expiry only made a
# reader wait for a first count again (1.2 s for the sections besides the signals' at national scale).
KEPT_FOR = None
MAX_CHANGES = 2000
EVERY = datetime.date.min  # "every period": a period ends on or after this day

SIGNAL_SECTIONS = frozenset({"signals", "assessments", "oversight"})
CASE_SECTIONS = frozenset({"cases", "oversight"})
PROGRAMME_SECTIONS = frozenset({"prevention", "budget"})
OVERSIGHT_CASES = "oversight-cases"  # the oversight's case rows, kept apart: only what moves cases moves them
MOVED_BY = {OVERSIGHT_CASES: "cases"}
IRRELEVANT = frozenset({
    "core.user", "core.rolegrantrequest", "core.auditevent", "api.apitoken", "reports.figures", "search",
    "sharing.referral", "sharing.disclosure", "disclosures.disclosure", "privacy.datasubjectrequest",
    "privacy.legalhold",
    "intake.contribution",  # a partner's contribution to the joint assessment: no figure counts it
    "otp_totp.totpdevice", "otp_static.staticdevice",
})


@dataclass
class Touched:
    """Per section, the earliest day from which periods are touched (a period ending before it is not); and
    the signals whose facts changed (``everything``: any signal's may have)."""

    since: dict[str, datetime.date] = field(default_factory=dict)
    signals: set[int] = field(default_factory=set)
    everything: bool = False

    def add(self, sections: frozenset[str] | tuple[str, ...], day: datetime.date) -> None:
        for section in sections:
            self.since[section] = min(day, self.since.get(section, day))

    def hits(self, section: str, period: Period) -> bool:
        section = MOVED_BY.get(section, section)
        return section in self.since and period.end >= self.since[section]


def _received_days(ids: set[str]) -> dict[str, datetime.date]:
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = Signal.objects.filter(pk__in=numbers).values_list("pk", "received_at")
    return {str(pk): timezone.localtime(moment).date() for pk, moment in rows}


def _asked_days(ids: set[str]) -> dict[str, datetime.date]:
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = Consultation.objects.filter(pk__in=numbers).values_list("pk", "created_at")
    return {str(pk): timezone.localtime(moment).date() for pk, moment in rows}


def touched_between(after: int, upto: int) -> Touched:
    """What the changes with a sequence in (after, upto] touched."""
    touched = Touched()
    changed = ~Q(action__in=UNCHANGING) | Q(action=AuditAction.VIEW, reason="identity revealed")
    changes = list(AuditEvent.objects.filter(changed, sequence__gt=after, sequence__lte=upto)
                   .values_list("object_type", "object_id")[:MAX_CHANGES + 1])
    if len(changes) > MAX_CHANGES:
        touched.add(tuple(SECTIONS), EVERY)
        touched.everything = True
        return touched
    received = _received_days({i for kind, i in changes if kind == "intake.signal"})
    asked = _asked_days({i for kind, i in changes if kind == "intake.consultation"})
    for kind, object_id in changes:
        # A day earlier than the record's own: its facts are read in local time, the periods too.
        if kind == "intake.signal" and object_id in received:
            touched.add(SIGNAL_SECTIONS, received[object_id] - datetime.timedelta(days=1))
            touched.signals.add(int(object_id))
        elif kind == "intake.consultation" and object_id in asked:
            touched.add(("signals",), asked[object_id] - datetime.timedelta(days=1))
        elif kind.startswith("cases.") or kind in ("sharing.approval", "approvals.approval"):
            touched.add(CASE_SECTIONS, EVERY)
        elif kind.startswith(("programmes.", "network.contactmoment")):
            touched.add(PROGRAMME_SECTIONS, EVERY)
        elif kind not in IRRELEVANT:
            touched.add(tuple(SECTIONS), EVERY)
            touched.everything = True  # (a signal deleted or merged, an organisation's sector, a catalogue...)
    return touched


def move_along(known: KnownSignals, sequence: int, changed_hash: str) -> KnownSignals:
    """The kept signal cells brought to this position of the chain: the signals a change touched are read
    again (their old contributions taken away, their new ones added); anything else unknown starts over."""
    if changed_hash != known.changed_hash:
        touched = touched_between(known.sequence, sequence) if _still_ours(known.changed_hash) else None
        if touched is None or touched.everything:
            known.clear()
        elif touched.signals:
            for pk in touched.signals:
                known.forget(pk)
            for pk, facts in read_signal_facts(touched.signals).items():
                known.add(pk, facts)
        known.sequence, known.changed_hash = sequence, changed_hash
    return known


KNOWN = KnownSignals()


@dataclass(frozen=True)
class Kept:
    sequence: int
    changed_hash: str
    section: Section


def _key(name: str, period: Period) -> str:
    return ":".join(["figures-cell", timezone.localdate().isoformat(), get_language() or "",
                     period.start.isoformat(), period.end.isoformat(), name])


def _still_ours(changed_hash: str) -> bool:
    """A cell kept at this hash was counted on this chain (not on one a restore replaced)."""
    return bool(changed_hash) and AuditEvent.objects.filter(hash=changed_hash).exists()


def _stale(cells: dict[str, Kept | None], period: Period, sequence: int, changed_hash: str) -> set[str]:
    """The sections to count anew: those not kept, and those a change since their counting touched."""
    stale = {name for name, kept in cells.items() if kept is None}
    moved: dict[tuple[int, str], list[str]] = {}
    for name, kept in cells.items():
        if kept is not None and kept.changed_hash != changed_hash:
            moved.setdefault((kept.sequence, kept.changed_hash), []).append(name)
    for (since, kept_hash), names in moved.items():  # nearly always one group: the page counted them together
        touched = touched_between(since, sequence) if _still_ours(kept_hash) else None
        stale.update(name for name in names if touched is None or touched.hits(name, period))
    return stale


def report(keys: tuple[str, ...], period: Period) -> list[Section]:
    """The sections ``keys`` for the period: kept cells where no change since touched them, the rest counted
    anew (and kept). Equal to ``figures.recount`` at every state of the data."""
    # The head first: a change that commits while the cells are counted is seen as a change next time.
    sequence, changed_hash = AuditChainHead.objects.values_list("sequence", "changed_hash").first() or (0, "")
    names = (OVERSIGHT_CASES, *keys) if "oversight" in keys else keys  # its rows first: oversight reads them
    cells: dict[str, Kept | None] = {name: cache.get(_key(name, period)) for name in names}
    stale = _stale(cells, period, sequence, changed_hash)
    if "oversight" not in stale:
        stale.discard(OVERSIGHT_CASES)  # not needed: the section itself is kept
    sections: list[Section] = []
    known = move_along(KNOWN, sequence, changed_hash) if stale else KNOWN
    with one_report(), known_signals(known):
        for name in names:
            kept = cells[name]
            if name == OVERSIGHT_CASES:
                value = oversight_case_counts(period) if name in stale or kept is None else kept.section
                seed(OVERSIGHT_CASES, period, value)
            else:
                value = SECTIONS[name](period) if name in stale or kept is None else kept.section
                sections.append(value)  # type: ignore[arg-type]
            if kept is None or name in stale or kept.changed_hash != changed_hash:
                cache.set(_key(name, period), Kept(sequence, changed_hash, value), KEPT_FOR)  # type: ignore[arg-type]
    return sections


def warm(step: Callable[[], None] = lambda: None) -> None:
    """Count this year's and last year's figures, every section, in every language, as the page does and keep
    them; ``step`` is called after each (gunicorn's worker tells its master it is alive)."""
    year = timezone.localdate().year
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for period in (Period.of(year), Period.of(year - 1)):
                report(tuple(SECTIONS), period)
                step()
