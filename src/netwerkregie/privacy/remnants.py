"""What a deleted record leaves for the statistics, and the same facts read off a record still here.

The reports count from these facts only, whether the record is still in the database or was purged,
so a year's figures stay the same after its records are gone (docs/architecture.md, principle 5, and the
council still gets its numbers). The facts are category codes, dates and counts: no name, date of
birth, reference, pseudonym, free text or key of another record. The privacy officer can read this
module to know exactly what is kept.

signal:          received_on, sector, channel, acute, minor, neighbourhood (code), triaged_on, due_on,
                 decision, decided_on, one_party, at_triage, identity_revealed, reveals [dates],
                 rejustified [dates], lapsed_on
case:            opened_on, closed_on, ideology, age_band (at opening), neighbourhood (code),
                 closure_reason, interventions [[type code, status, starts_on, ends_on]],
                 reviews [[held_on, on_time (None: held before the due date was recorded)]],
                 rejustified [[date, by a review]]
consultation:    asked_on, advised
contact_moment:  happened_on, kind, sectors
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Model
from django.utils import timezone

from netwerkregie.people.models import age_on
from netwerkregie.privacy.models import RemnantKind, StatisticalRemnant

Facts = dict[str, Any]


def _iso(day: datetime.date | datetime.datetime | None) -> str | None:
    if isinstance(day, datetime.datetime):
        day = day.date()
    return day.isoformat() if day else None


def age_band(birth_date: datetime.date | None, day: datetime.date) -> str:
    if birth_date is None:
        return "unknown"
    age = age_on(birth_date, day)
    return "minor" if age < 18 else "young_adult" if age <= 23 else "adult"


def signal_facts(signal: Any, *, reveals: list[datetime.datetime] | None = None,
                 rejustified: list[datetime.datetime] | None = None) -> Facts:
    """``reveals`` and ``rejustified`` (their times) may be passed by a caller that read them for many
    signals at once; otherwise they are read from the signal."""
    assessment = getattr(signal, "assessment", None)
    if reveals is None:
        reveals = [r.revealed_at for r in signal.reveals.all()]
    if rejustified is None:
        rejustified = [j.justified_at for j in signal.justifications.all()]
    hood = signal.subject_neighbourhood
    return {
        "received_on": _iso(timezone.localtime(signal.received_at)),
        "sector": signal.source_organisation.sector, "channel": signal.channel, "acute": signal.acute_danger,
        "minor": signal.subject_is_minor, "neighbourhood": hood.code if hood else None,
        "triaged_on": _iso(timezone.localtime(signal.triaged_at)) if signal.triaged_at else None,
        "due_on": _iso(signal.due_on),
        "decision": assessment.decision if assessment else None,
        "decided_on": _iso(timezone.localtime(assessment.decided_at)) if assessment else None,
        "one_party": assessment.assessed_by_one_party if assessment else None,
        "at_triage": assessment.session_id is None if assessment else None,
        "identity_revealed": assessment.identity_revealed if assessment else None,
        "reveals": [_iso(timezone.localtime(moment)) for moment in reveals],
        "rejustified": [_iso(timezone.localtime(moment)) for moment in rejustified],
        "lapsed_on": _iso(signal.monitoring_ended_on) if signal.monitoring_lapsed else None,
    }


def case_facts(case: Any) -> Facts:
    # Newest first (PlanVersion.Meta.ordering), prefetched by the reports; a version awaiting approval or not
    # approved never took effect.
    plans = [version for version in case.plan_versions.all() if version.status == "in_effect"]
    interventions = plans[0].data["interventions"] if plans else []
    hood = case.person.neighbourhood
    return {
        "opened_on": _iso(case.opened_on), "closed_on": _iso(case.closed_on), "ideology": case.ideology,
        "age_band": age_band(case.person.birth_date, case.opened_on),
        "neighbourhood": hood.code if hood else None, "closure_reason": case.closure_reason or None,
        "interventions": [[i["type"], i["status"], i["starts_on"], i["ends_on"]] for i in interventions],
        "reviews": [[_iso(r.held_on), None if r.due_on is None else r.held_on <= r.due_on]
                    for r in case.reviews.all()],
        "rejustified": [[_iso(timezone.localtime(j.justified_at)), j.review_id is not None]
                        for j in case.justifications.all()],
    }


def consultation_facts(consultation: Any) -> Facts:
    return {"asked_on": _iso(timezone.localtime(consultation.created_at)),
            "advised": consultation.advised_at is not None}


def contact_moment_facts(moment: Any) -> Facts:
    return {"happened_on": _iso(moment.happened_on), "kind": moment.kind,
            "sectors": sorted({o.sector for o in moment.organisations.all()})}


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _days_in(value: Any) -> Iterator[datetime.date]:
    if isinstance(value, str) and ISO_DAY.match(value):
        yield datetime.date.fromisoformat(value)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _days_in(item)


# Each reader takes the model of its own kind (Any: the registry is looked up by the record's label).
KINDS: dict[str, tuple[RemnantKind, Callable[[Any], dict[str, Any]]]] = {
    "intake.signal": (RemnantKind.SIGNAL, signal_facts), "cases.case": (RemnantKind.CASE, case_facts),
    "intake.consultation": (RemnantKind.CONSULTATION, consultation_facts),
    "network.contactmoment": (RemnantKind.CONTACT_MOMENT, contact_moment_facts)}


def remnant_for(record: Model) -> StatisticalRemnant | None:
    """What ``record`` leaves when it is deleted, not yet saved; other kinds leave nothing. The remnant's
    first and last day span every date in its facts, so a period finds what overlaps it."""
    kind_and_facts = KINDS.get(record._meta.label_lower)
    if kind_and_facts is None:
        return None
    kind, read = kind_and_facts
    facts = read(record)
    days = list(_days_in(list(facts.values())))
    return StatisticalRemnant(kind=kind, first_on=min(days), last_on=max(days), facts=facts)


def leave_remnant(record: Model) -> StatisticalRemnant | None:
    """Called just before a record is deleted (an erasure, a merge, the purge one record at a time)."""
    remnant = remnant_for(record)
    if remnant is not None:
        remnant.save()
    return remnant
