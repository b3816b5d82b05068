"""Two registrations of one person become one: a recorded act with a reason, never automatic.

Everything that refers to the person registered twice (signals, cases, related-person links,
data-subject requests) moves to the one that stays; the other is deleted through the purge, so it
leaves a content-free tombstone in the audit log and a line in the witness like any deletion.

A registration left with nothing (after its signal was linked to the right person) may instead be
removed: the same deletion, refused while anything still refers to it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netwerkregie.cases.models import Case
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.disclosures.models import Disclosure
from netwerkregie.intake.models import Signal
from netwerkregie.people.models import Person
from netwerkregie.people.services import set_retention
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.privacy.purge import _delete, _is_held, _purge_one
from netwerkregie.sharing.models import Referral


def merge_persons(keep: Person, gone: Person, *, actor: User, reason: str) -> Person:
    """Only the coordinator merges; both persons must be different, the reason is required."""
    errors: dict[str, list[ValidationError]] = {}
    if not actor.has_role(Role.COORDINATOR):
        raise ValidationError(_("Only the coordinator merges registrations."))
    if keep.pk == gone.pk:
        errors["other"] = [ValidationError(_("Choose another person than this one."))]
    elif keep.bsn_hash and gone.bsn_hash and keep.bsn_hash != gone.bsn_hash:
        errors["other"] = [ValidationError(_("These registrations have different BSNs: they are not the same "
                                             "person."))]
    reason = collect(errors, "reason", clean_text, reason, 1_000, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        moved = {"signals": Signal.objects.filter(person=gone).update(person=keep),
                 "cases": Case.objects.filter(person=gone).update(person=keep),
                 "requests": DataSubjectRequest.objects.filter(person=gone).update(person=keep),
                 "referrals": Referral.objects.filter(person=gone).update(person=keep),
                 "disclosures": Disclosure.objects.filter(person=gone).update(person=keep)}
        for case in Case.objects.filter(related_persons=gone):
            case.related_persons.remove(gone)
            if case.person_id != keep.pk:
                case.related_persons.add(keep)
        if not keep.bsn_hash and gone.bsn_hash:
            keep.bsn, keep.bsn_hash = gone.bsn, gone.bsn_hash
            Person.objects.filter(pk=gone.pk).update(bsn_hash=None)
            keep.save(update_fields=["bsn", "bsn_hash"])
        set_retention(keep, max(keep.retain_until, gone.retain_until))
        log_event(AuditAction.UPDATE, actor=actor, obj=keep, reason=reason[:500],
                  detail={"merged": gone.pseudonym, **moved})
        _purge_one(Person.objects.get(pk=gone.pk), "merged", _delete, {"into": keep.pseudonym})
    return keep


def holds_nothing(person: Person) -> bool:
    """Nothing refers to the registration: no signal, case, related case, referral, disclosure or request."""
    return not (person.signals.exists() or person.cases.exists() or person.related_cases.exists()
                or person.referrals.exists() or person.disclosures.exists()
                or DataSubjectRequest.objects.filter(person=person).exists())


def remove_registration(person: Person, *, actor: User, reason: str) -> None:
    """Delete a registration that holds nothing, with a reason, leaving a tombstone like any deletion.

    Only the coordinator removes; a registration under a legal hold, or that anything still refers to, stays."""
    if not actor.has_role(Role.COORDINATOR):
        raise ValidationError(_("Only the coordinator removes registrations."))
    errors: dict[str, list[ValidationError]] = {}
    reason = collect(errors, "reason", clean_text, reason, 1_000, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if _is_held(person) or not holds_nothing(person):
            raise ValidationError(_("This registration still holds signals, cases, referrals or requests, or is "
                                    "under a legal hold: merge it into the right person instead."))
        log_event(AuditAction.DELETE, actor=actor, obj=person, reason=reason[:500],
                  detail={"removed": "registration without records"})
        _purge_one(person, "registration removed", _delete, {})
