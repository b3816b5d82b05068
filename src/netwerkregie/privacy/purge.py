"""Deletion on schedule (docs/architecture.md, principle 5).

Every record with personal data carries ``retain_until``. ``purge`` deletes each record whose date
has passed, with everything that hangs off it, in one transaction per record, and leaves a
content-free tombstone in the audit log: which kind, which id, which rule, when; and, for the
figures, a statistical remnant without identity (``remnants``). A documented
legal hold keeps one record until the hold ends.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone

from netwerkregie.cases.models import Case, PlanVersion
from netwerkregie.core.audit import Entry, log_events
from netwerkregie.core.models import AuditAction
from netwerkregie.core.unsent import forget_expired
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.network.models import Contact, ContactMoment
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import DataSubjectRequest, LegalHold, StatisticalRemnant
from netwerkregie.privacy.remnants import leave_remnant, remnant_for

logger = logging.getLogger(__name__)


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
    queryset: Callable[[datetime.date], QuerySet[Any]]
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
         lambda day: DataSubjectRequest.objects.filter(retain_until__lt=day)),
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
    failed: int = 0

    def add(self, other: Report) -> None:
        self.deleted, self.held = self.deleted + other.deleted, self.held + other.held
        self.blocked, self.failed = self.blocked + other.blocked, self.failed + other.failed


def _is_held(record: Model) -> bool:
    return LegalHold.objects.active().filter(object_type=record._meta.label_lower, object_id=str(record.pk)).exists()


def _shared_with(record: Model) -> list[Model]:
    """Referrals, approvals and ledger entries that belong to ``record`` and go with it."""
    if isinstance(record, Case):
        return [*record.referrals.all(), *record.approvals.all(), *record.disclosures.all()]
    if isinstance(record, Signal):  # a referral from a signal may have waited for approval
        referrals = list(record.referrals.all())
        return [*referrals, *(a for r in referrals for a in r.approvals.all()), *record.disclosures.all()]
    if isinstance(record, Person):
        return [*record.referrals.all(), *record.disclosures.all()]
    return []


def _tombstones(record: Model, rule_name: str, detail: dict[str, str]) -> list[Entry]:
    """The content-free tombstones of a record and of what is deleted with it (the database cascades)."""
    return [Entry(AuditAction.PURGE, part._meta.label_lower, str(part.pk), reason=rule_name, actor_label="purge",
                  detail={"rule": rule_name, **detail}) for part in [*_shared_with(record), record]]


def _purge_one(record: Model, rule_name: str, delete: Callable[[Model], None], detail: dict[str, str]) -> None:
    leave_remnant(record)
    tombstones = _tombstones(record, rule_name, detail)
    delete(record)
    log_events(tombstones)


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


BATCH = 200  # records per transaction in the nightly purge

# What the remnant, the tombstones and the checks read of each record, fetched for a whole batch at once.
_PREPARED: dict[type[Model], tuple[list[str], list[Any]]] = {
    Signal: (["source_organisation", "subject_neighbourhood", "assessment"],
             ["reveals", "justifications", "referrals__approvals", "disclosures"]),
    Person: ([], ["referrals", "disclosures", "signals", "cases", "related_cases"]),
    Case: (["person__neighbourhood"], [Prefetch("plan_versions", PlanVersion.objects.order_by("-number")), "reviews",
                                      "justifications", "referrals", "approvals", "disclosures", "agenda_items"]),
    ContactMoment: ([], ["organisations"]),
}


def purge(day: datetime.date | None = None) -> Report:
    """Delete what is past its date, ``BATCH`` records to a transaction: each batch's remnants,
    deletions and tombstones are written together, or (when one record of it cannot go) record by
    record, so one record never keeps the others."""
    day = day or timezone.localdate()
    report = Report()
    forget_expired()  # forms kept after a session ended that nobody came back for (core/unsent.py)
    for rule in RULES:
        pks = list(rule.queryset(day).order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            chunk = pks[start:start + BATCH]
            try:
                with transaction.atomic():
                    done = _purge_batch(rule, day, chunk)
            except DatabaseError:
                done = Report()
                for pk in chunk:
                    try:
                        done.add(_purge_batch(rule, day, [pk]))  # its own transaction
                    except DatabaseError:
                        logger.exception("Purge: %s #%s could not be deleted (rule %s)",
                                         rule.queryset(day).model._meta.label_lower, pk, rule.name)
                        done.failed += 1
            report.add(done)
    if report.failed:  # the others are gone; the job reports the failure, and the next night tries again
        raise PurgeIncomplete(report)
    return report


class PurgeIncomplete(RuntimeError):
    def __init__(self, report: Report) -> None:
        super().__init__(f"{report.failed} record(s) could not be deleted (see the log); {report.deleted} deleted, "
                         f"{report.held} held, {report.blocked} blocked")
        self.report = report


def _purge_batch(rule: Rule, day: datetime.date, pks: list[int]) -> Report:
    done = Report()
    with transaction.atomic():
        # Read again under the lock: gone with an earlier record, or its date moved, and it is not here.
        locked = rule.queryset(day).select_for_update(of=("self",)).filter(pk__in=pks).order_by("pk")
        model, (related, prefetched) = locked.model, _PREPARED.get(locked.model, ([], []))
        if related:  # (select_related() without names would follow every foreign key)
            locked = locked.select_related(*related)
        records = list(locked.prefetch_related(*prefetched))
        label = model._meta.label_lower
        held = set(LegalHold.objects.active().filter(object_type=label, object_id__in=[str(r.pk) for r in records])
                   .values_list("object_id", flat=True))
        going: list[Model] = []
        for record in records:
            if str(record.pk) in held:
                done.held += 1
            elif not rule.may_go(record):
                done.blocked += 1
            else:
                going.append(record)
        if not going:
            return done
        StatisticalRemnant.objects.bulk_create(r for r in map(remnant_for, going) if r is not None)
        tombstones = [entry for record in going for entry in _tombstones(
            record, rule.name, {"retain_until": record.retain_until.isoformat()})]  # type: ignore[attr-defined]
        if rule.delete is _delete:
            model._default_manager.filter(pk__in=[r.pk for r in going]).delete()
        else:
            for record in going:
                rule.delete(record)
        log_events(tombstones)
        done.deleted = len(going)
    return done
