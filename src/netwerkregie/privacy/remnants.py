"""What a deleted record leaves for the statistics, and the same facts read off a record still here.

The reports count from these facts only, whether the record is still in the database or was purged,
so a year's figures stay the same after its records are gone (DESIGN.md, principle 5, and the
council still gets its numbers). The facts are category codes, dates and counts: no name, date of
birth, reference, pseudonym, free text or key of another record. The privacy officer can read this
module to know exactly what is kept.

signal:          received_on, sector, channel, acute, minor, neighbourhood (code), triaged_on, due_on,
                 decision, decided_on, one_party, at_triage
case:            opened_on, closed_on, ideology, age_band (at opening), neighbourhood (code),
                 closure_reason, interventions [[type code, status, starts_on, ends_on]],
                 reviews [[held_on, on_time (None: held before the due date was recorded)]]
consultation:    asked_on, advised
contact_moment:  happened_on, kind, sectors
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model

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


def signal_facts(signal: Any) -> Facts:
    from django.utils import timezone

    assessment = getattr(signal, "assessment", None)
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
    }


def case_facts(case: Any) -> Facts:
    plans = list(case.plan_versions.all())  # newest first (PlanVersion.Meta.ordering), prefetched by the reports
    interventions = plans[0].data["interventions"] if plans else []
    hood = case.person.neighbourhood
    return {
        "opened_on": _iso(case.opened_on), "closed_on": _iso(case.closed_on), "ideology": case.ideology,
        "age_band": age_band(case.person.birth_date, case.opened_on),
        "neighbourhood": hood.code if hood else None, "closure_reason": case.closure_reason or None,
        "interventions": [[i["type"], i["status"], i["starts_on"], i["ends_on"]] for i in interventions],
        "reviews": [[_iso(r.held_on), None if r.due_on is None else r.held_on <= r.due_on]
                    for r in case.reviews.all()],
    }


def consultation_facts(consultation: Any) -> Facts:
    from django.utils import timezone

    return {"asked_on": _iso(timezone.localtime(consultation.created_at)),
            "advised": consultation.advised_at is not None}


def contact_moment_facts(moment: Any) -> Facts:
    return {"happened_on": _iso(moment.happened_on), "kind": moment.kind,
            "sectors": sorted({o.sector for o in moment.organisations.all()})}


def _span(facts: Facts, *keys: str) -> tuple[datetime.date, datetime.date]:
    days = [datetime.date.fromisoformat(facts[k]) for k in keys if facts.get(k)]
    return min(days), max(days)


def leave_remnant(record: Model) -> StatisticalRemnant | None:
    """Called by the purge just before a record is deleted; other kinds leave nothing."""
    label = record._meta.label_lower
    if label == "intake.signal":
        facts = signal_facts(record)
        kind, first, last = RemnantKind.SIGNAL, *_span(facts, "received_on", "triaged_on", "decided_on")
    elif label == "cases.case":
        facts = case_facts(record)
        kind, first, last = RemnantKind.CASE, *_span(facts, "opened_on", "closed_on")
        last = max([last, *(datetime.date.fromisoformat(r[0]) for r in facts["reviews"])])
    elif label == "intake.consultation":
        facts = consultation_facts(record)
        kind, first, last = RemnantKind.CONSULTATION, *_span(facts, "asked_on")
    elif label == "network.contactmoment":
        facts = contact_moment_facts(record)
        kind, first, last = RemnantKind.CONTACT_MOMENT, *_span(facts, "happened_on")
    else:
        return None
    return StatisticalRemnant.objects.create(kind=kind, first_on=first, last_on=last, facts=facts)
