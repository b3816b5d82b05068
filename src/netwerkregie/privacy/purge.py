"""Deletion on schedule (DESIGN.md, principle 5).

Every record with personal data carries ``retain_until``. ``purge`` deletes each record whose date
has passed, with everything that hangs off it, in one transaction per record, and leaves a
content-free tombstone in the audit log: which kind, which id, which rule, when; and, for the
figures, a statistical remnant without identity (``remnants``). A documented
legal hold keeps one record until the hold ends.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from netwerkregie.cases.models import Case
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.network.models import Contact, ContactMoment
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import DataSubjectRequest, LegalHold
from netwerkregie.privacy.remnants import leave_remnant
from netwerkregie.sharing.models import Approval


def _delete_case(case: Case) -> None:
    for item in case.agenda_items.all():  # minutes and their actions
        item.delete()
    case.delete()  # memberships, contributions, plan versions, reviews, emergency accesses cascade


def _delete(record: Model) -> None:
    record.delete()


def _person_is_free(person: Person) -> bool:
    return not (person.signals.exists() or person.cases.exists() or person.related_cases.exists())


@dataclass(frozen=True)
class Rule:
    name: str
    queryset: Callable[[datetime.date], QuerySet]
    delete: Callable[[Model], None] = _delete
    may_go: Callable[[Model], bool] = lambda record: True


# In this order, so that what a record depends on outlives it: cases before their signals and
# persons, signals before their persons.
RULES = [
    Rule("case retention", lambda day: Case.objects.filter(retain_until__lt=day), _delete_case),  # type: ignore[arg-type]
    Rule("signal retention", lambda day: Signal.objects.filter(retain_until__lt=day)),
    Rule("person retention", lambda day: Person.objects.filter(retain_until__lt=day), may_go=_person_is_free),  # type: ignore[arg-type]
    Rule("anonymous consultation retention", lambda day: Consultation.objects.filter(retain_until__lt=day)),
    Rule("contact moment retention", lambda day: ContactMoment.objects.filter(retain_until__lt=day)),
    Rule("contact person retention", lambda day: Contact.objects.filter(retain_until__lt=day)),
    Rule("data-subject request retention",
         lambda day: DataSubjectRequest.objects.filter(retain_until__lt=day)),  # type: ignore[arg-type]
]


@dataclass(frozen=True)
class Due:
    rule: str
    label: str
    pk: int
    retain_until: datetime.date
    held_until: datetime.date | None = None
    blocked: bool = False


def _held() -> dict[tuple[str, str], datetime.date]:
    return {(h.object_type, h.object_id): h.until for h in LegalHold.objects.active()}


def due(day: datetime.date | None = None) -> Iterator[Due]:
    """Everything past its date, with holds and blocks marked; changes nothing."""
    day = day or timezone.localdate()
    holds = _held()
    for rule in RULES:
        for record in rule.queryset(day).order_by("pk"):
            label = record._meta.label_lower
            yield Due(rule.name, label, record.pk, record.retain_until, holds.get((label, str(record.pk))),
                      not rule.may_go(record))


@dataclass
class Report:
    deleted: int = 0
    held: int = 0
    blocked: int = 0


def _is_held(record: Model) -> bool:
    return LegalHold.objects.active().filter(object_type=record._meta.label_lower, object_id=str(record.pk)).exists()


def _shared_with(record: Model) -> list[Model]:
    """Referrals, approvals and ledger entries that belong to ``record`` and go with it."""
    if isinstance(record, Case):
        return [*record.referrals.all(), *record.approvals.all(), *record.disclosures.all()]
    if isinstance(record, Signal):  # a referral from a signal may have waited for approval
        return [*record.referrals.all(), *Approval.objects.filter(referral__signal=record), *record.disclosures.all()]
    if isinstance(record, Person):
        return [*record.referrals.all(), *record.disclosures.all()]
    return []


def _purge_one(record: Model, rule_name: str, delete: Callable[[Model], None], detail: dict[str, str]) -> None:
    label, pk = record._meta.label_lower, record.pk
    leave_remnant(record)
    # What hangs off the record is deleted with it (the database cascades); each leaves a tombstone too.
    for part in _shared_with(record):
        log_event(AuditAction.PURGE, actor_label="purge", object_type=part._meta.label_lower, object_id=part.pk,
                  reason=rule_name, detail={"rule": rule_name, **detail})
    delete(record)
    log_event(AuditAction.PURGE, actor_label="purge", object_type=label, object_id=pk, reason=rule_name,
              detail={"rule": rule_name, **detail})


def erase_person(person: Person, *, reason: str = "erasure request") -> Report:
    """Erase a person now, with their cases and signals (a granted erasure request, GDPR art. 17).

    What is under a legal hold stays (and keeps the person); everything else goes in one
    transaction, each record leaving the same content-free tombstone as a scheduled purge.
    """
    report = Report()
    with transaction.atomic():
        for case in person.cases.select_for_update().order_by("pk"):
            if _is_held(case):
                report.held += 1
            else:
                _purge_one(case, reason, _delete_case, {})  # type: ignore[arg-type]
                report.deleted += 1
        for signal in person.signals.select_for_update().order_by("pk"):
            if _is_held(signal):
                report.held += 1
            else:
                _purge_one(signal, reason, _delete, {})
                report.deleted += 1
        if _is_held(person):
            report.held += 1
        elif not _person_is_free(person):
            report.blocked += 1
        else:
            _purge_one(person, reason, _delete, {})
            report.deleted += 1
    return report


def reapply(label: str, pk: str, *, rule_name: str) -> bool:
    """Delete one record again (after a restore brought it back); True when it was there."""
    from django.apps import apps

    model = apps.get_model(label)
    delete = _delete_case if model is Case else _delete
    with transaction.atomic():
        record = model._default_manager.select_for_update().filter(pk=pk).first()
        if record is None:
            return False
        _purge_one(record, rule_name, delete, {})  # type: ignore[arg-type]
    return True


def purge(day: datetime.date | None = None) -> Report:
    day = day or timezone.localdate()
    report = Report()
    for rule in RULES:
        for pk in list(rule.queryset(day).values_list("pk", flat=True)):
            with transaction.atomic():
                record = rule.queryset(day).select_for_update().filter(pk=pk).first()
                if record is None:
                    continue  # gone with an earlier record, or its date moved
                if _is_held(record):
                    report.held += 1
                    continue
                if not rule.may_go(record):
                    report.blocked += 1
                    continue
                _purge_one(record, rule.name, rule.delete, {"retain_until": record.retain_until.isoformat()})
                report.deleted += 1
    return report
