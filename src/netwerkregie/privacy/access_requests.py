"""Finding the person a data-subject request is about, as the requester names them: by pseudonym, by
BSN, or by name and date of birth. Nothing is decrypted to search: the BSN and the name with the date
of birth are compared as keyed blind indexes (``people.identity``). Every search is audited as a
search, with what was searched by and how many were found, never the values typed."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.people.identity import name_birth_hash
from netwerkregie.people.models import Person, as_pseudonym, bsn_hash
from netwerkregie.people.services import clean_bsn


def _candidates(*, pseudonym: str, bsn: str, name: str,
                birth_date: datetime.date | None) -> tuple[str, list[Person], str]:
    """The key searched by, the persons found, and the field an error belongs to."""
    if pseudonym:
        return "pseudonym", list(Person.objects.filter(pseudonym=as_pseudonym(pseudonym))), "pseudonym"
    if bsn:
        number = clean_bsn(bsn.replace(".", "").replace(" ", ""))
        return "bsn", list(Person.objects.filter(bsn_hash=bsn_hash(number))), "bsn"
    key = name_birth_hash(name, birth_date)
    return "name+birth-date", list(Person.objects.filter(name_birth_hash=key)) if key else [], "name"


def find_person(*, actor: User, pseudonym: str = "", bsn: str = "",
                name: str = "", birth_date: datetime.date | None = None) -> Person:
    """The one person the request is about, or a ValidationError in plain Dutch on the field searched by.
    The caller (the privacy officer's register form) has already checked that one way was given."""
    try:
        kind, found, field = _candidates(pseudonym=pseudonym.strip(), bsn=bsn.strip(), name=name.strip(),
                                         birth_date=birth_date)
    except ValidationError as error:
        raise ValidationError({"bsn": error.messages}) from error
    log_event(AuditAction.VIEW, actor=actor, object_type="search", reason="search",
              detail={"key": kind, "found": len(found), "for": "data-subject request"})
    if len(found) == 1:
        return found[0]
    if not found:
        messages: dict[str, Any] = {
            "pseudonym": _("No registered person with this pseudonym."),
            "bsn": _("No registered person with this BSN. Check the number, or search by name and date of birth."),
            "name": _("No registered person with exactly this name and date of birth. Check the spelling as "
                      "in the identity document, or search by BSN."),
        }
        raise ValidationError({field: messages[field]})
    raise ValidationError({field: _("More than one person has this name and date of birth. Search by BSN or "
                                    "ask the coordinator for the pseudonym.")})
