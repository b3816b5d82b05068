"""Writes to persons: validated, audited and given a retention date in one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as bsn_number

from netwerkregie.core.audit import log_event
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.people.identity import blind_indexes
from netwerkregie.people.models import Person, bsn_hash

MAX_NAME = 200
DUPLICATE_BSN = gettext_noop("A person with this BSN is already registered; search for them instead.")


def clean_bsn(value: str) -> str:
    """A valid BSN in its compact form, or a ValidationError in the user's language."""
    try:
        return bsn_number.validate(value)
    except StdnumError:
        raise ValidationError(
            _("This is not a valid citizen service number (BSN): it must have 9 digits and pass the eleven test."),
            code="invalid_bsn",
        ) from None


def clean_birth_date(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("A date of birth cannot be in the future."), code="future")
    if value.year < today.year - 120:
        raise ValidationError(_("A date of birth more than 120 years ago is not plausible."), code="past")
    return value




@dataclass
class PersonInput:
    name: str
    birth_date: datetime.date | None = None
    bsn: str = ""
    neighbourhood_id: int | None = None
    school_or_organisation: str = ""

    def cleaned(self) -> PersonInput:
        errors: dict[str, list[ValidationError]] = {}
        name = collect(errors, "name", clean_text, self.name, MAX_NAME, required=True)
        birth_date = collect(errors, "birth_date", clean_birth_date, self.birth_date)
        bsn = collect(errors, "bsn", clean_bsn, self.bsn) if (self.bsn or "").strip() else ""
        school = collect(errors, "school_or_organisation", clean_text, self.school_or_organisation, MAX_NAME,
                         required=False)
        if bsn and Person.objects.filter(bsn_hash=bsn_hash(bsn)).exists():
            errors.setdefault("bsn", []).append(ValidationError(
                _(DUPLICATE_BSN),
                code="duplicate_bsn",
            ))
        if errors:
            raise ValidationError(errors)
        return PersonInput(name or "", birth_date, bsn or "", self.neighbourhood_id, school or "")


def find_by_bsn(value: str) -> Person | None:
    return Person.objects.filter(bsn_hash=bsn_hash(clean_bsn(value))).first()


def create_person(data: PersonInput, *, actor: Any, retain_until: datetime.date) -> Person:
    """Register a person with a new pseudonym, audited, in one transaction. A pseudonym drawn that another
    person has is drawn again; only a BSN registered by someone else at the same moment is told to the user
    (as a duplicate BSN, on the field)."""
    data = data.cleaned()
    person = Person(
        name=data.name,
        birth_date=data.birth_date,
        bsn=data.bsn,
        bsn_hash=bsn_hash(data.bsn) if data.bsn else None,
        **blind_indexes(data.name, data.birth_date),
        neighbourhood_id=data.neighbourhood_id,
        school_or_organisation=data.school_or_organisation,
        created_by=actor,
        retain_until=retain_until,
    )

    def insert() -> None:
        person.save(force_insert=True)
        log_event(AuditAction.CREATE, actor=actor, obj=person,
                  detail={"with_bsn": bool(data.bsn), "minor": person.is_minor})

    try:
        save_with_fresh(person, "pseudonym", save=insert)
    except IntegrityError:
        if person.bsn_hash and Person.objects.filter(bsn_hash=person.bsn_hash).exists():
            raise ValidationError({"bsn": _(DUPLICATE_BSN)}) from None
        raise
    return person


def set_retention(person: Person, until: datetime.date) -> None:
    """Callers pass the retention of the longest-kept record that refers to the person."""
    if until != person.retain_until:
        Person.objects.filter(pk=person.pk).update(retain_until=until)
        person.retain_until = until

