"""Linking a signal to the person it is about: an already registered person (found by BSN or pseudonym,
among those this coordinator may see), or a new one, after the probable duplicates were shown and the
coordinator confirmed it is someone else. The write itself is ``services.link_person``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from netwerkregie.core.models import User
from netwerkregie.intake.models import Signal
from netwerkregie.intake.services import link_person
from netwerkregie.people.identity import probable_duplicates
from netwerkregie.people.models import Person, as_pseudonym, is_pseudonym
from netwerkregie.people.services import PersonInput, find_by_bsn


def find_person(user: User, search: str) -> Person | None:
    """The registered person with this BSN or pseudonym, if ``user`` may see them."""
    visible = Person.objects.visible_to(user)
    search = search.strip()
    if is_pseudonym(search):
        return visible.filter(pseudonym=as_pseudonym(search)).first()
    try:
        person = find_by_bsn(search)
    except ValidationError:
        return None
    return person if person is not None and visible.filter(pk=person.pk).exists() else None


def duplicates(user: User, *, name: str, birth_date: Any) -> list[Any]:
    """Registered persons (visible to ``user``) who are probably this one, each with why."""
    return probable_duplicates(Person.objects.visible_to(user), name=name, birth_date=birth_date)


def link_found_person(signal: Signal, *, search: str, actor: User, request: HttpRequest | None = None) -> Person:
    person = find_person(actor, search)
    if person is None:
        raise ValidationError({"search": _("No registered person with this BSN or pseudonym.")})
    return link_person(signal, actor=actor, person=person, request=request)


def link_new_person(signal: Signal, *, new_person: PersonInput, not_a_duplicate: bool, actor: User,
                    request: HttpRequest | None = None) -> Person:
    """Register the person and link the signal, unless they are probably registered already and the
    coordinator did not confirm that this is someone else."""
    matches = duplicates(actor, name=new_person.name, birth_date=new_person.birth_date)
    if matches and not not_a_duplicate:
        raise ValidationError({"not_a_duplicate": _(
            "Probably already registered: %(matches)s. Link the signal to that person, or confirm that this is "
            "someone else.") % {"matches": "; ".join(f"{m.person.pseudonym} ({m.why})" for m in matches)}})
    return link_person(signal, actor=actor, request=request, new_person=new_person)
