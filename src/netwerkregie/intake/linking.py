"""Linking a signal to the right person.

The coordinator links by BSN or pseudonym, or by name and date of birth (found through the exact and
phonetic blind indexes, spelling variants included, and offered: never linked by itself). A person
probably registered already is offered on the signal page with one button. A registration left with
nothing after its signal went to another person is offered for merging or removal."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.intake import services
from netwerkregie.intake.forms import ExistingPersonForm, NewPersonForm
from netwerkregie.intake.models import Signal
from netwerkregie.people.identity import Match, find_by_name_and_birth_date, probable_duplicates
from netwerkregie.people.models import Person, as_pseudonym, is_pseudonym
from netwerkregie.people.services import PersonInput, find_by_bsn

OFFERED = "probable match for a signal"  # the audit purpose of showing an offered person's name


def _offered(request: HttpRequest, matches: list[Match]) -> list[Match]:
    """The offer shows each person's name and date of birth, so that the coordinator can judge: each is a view."""
    for match in matches:
        record_view(match.person, actor=request.user, purpose=OFFERED)
    return matches


def person_panel(request: HttpRequest, signal: Signal) -> dict[str, Any]:
    """The probable matches offered on the signal page and the registration a relink left behind; the one left
    behind is offered for merging or removal, not again for linking."""
    left = left_behind(request, signal)
    return {"left_behind": left, "duplicates": probable_matches(request, signal, leave_out=left)}


def probable_matches(request: HttpRequest, signal: Signal, *, name: str = "", birth_date: Any = None,
                     leave_out: Person | None = None) -> list[Match]:
    """Registered persons who are probably the one the signal is about: for an unlinked signal by what was
    reported (or typed in the registration form); for a linked one, other registrations of the same person."""
    visible = Person.objects.visible_to(request.user)
    if leave_out is not None:
        visible = visible.exclude(pk=leave_out.pk)
    if signal.person_id is None:
        return _offered(request, probable_duplicates(visible, name=name or signal.subject_name,
                                                     birth_date=birth_date or signal.subject_birth_date))
    person = signal.person
    return _offered(request, probable_duplicates(visible.exclude(pk=person.pk), name=person.name,
                                                 birth_date=person.birth_date))


def holds_nothing(person: Person) -> bool:
    return not (person.signals.exists() or person.cases.exists() or person.related_cases.exists())


def left_behind(request: HttpRequest, signal: Signal) -> Person | None:
    """The registration this signal was linked to before a relink (``?left=``), if it now holds nothing."""
    pseudonym = request.GET.get("left", "")
    if not pseudonym or signal.person_id is None:
        return None
    person = Person.objects.visible_to(request.user).filter(pseudonym=as_pseudonym(pseudonym)).first()
    return person if person is not None and person.pk != signal.person_id and holds_nothing(person) else None


def _done(request: HttpRequest, signal: Signal, person: Person, previous: Person | None) -> HttpResponse:
    messages.success(request, _("Signal linked to %(pseudonym)s.") % {"pseudonym": person.pseudonym})
    url = reverse("intake:signal_detail", args=[signal.reference])
    if previous is not None and previous.pk != person.pk and holds_nothing(previous):
        url += "?" + urlencode({"left": previous.pseudonym})
    return redirect(url)


@dataclass
class Outcome:
    """What a link request came to: a redirect, or the forms (and what was found) to show again."""

    response: HttpResponse | None = None
    existing_form: ExistingPersonForm | None = None
    new_person_form: NewPersonForm | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    status: int = 422


def link_from_post(request: HttpRequest, signal: Signal) -> Outcome:
    """Link to a registered person (offered, or by BSN, pseudonym, or name and date of birth), or register a new
    one from the form. A search by name and date of birth offers what it finds; it links nothing."""
    previous = signal.person
    searching = "search" in request.POST
    existing_form = ExistingPersonForm(request.POST if searching else None)
    new_form = NewPersonForm(None if searching else request.POST)
    form = existing_form if searching else new_form
    outcome = Outcome(existing_form=existing_form if searching else None,
                      new_person_form=None if searching else new_form)
    if not form.is_valid():
        return outcome
    try:
        if searching and not form.cleaned_data["search"]:
            found = _offered(request, find_by_name_and_birth_date(
                Person.objects.visible_to(request.user), name=form.cleaned_data["name"],
                birth_date=form.cleaned_data["birth_date"]))
            if not found:
                raise ValidationError({"name": _("No registered person with this name, or a name that sounds the "
                                                 "same, and this date of birth.")})
            outcome.extra, outcome.status = {"found": found}, 200
            return outcome
        outcome.response = _done(request, signal, _link(request, signal, form.cleaned_data, searching=searching),
                                 previous)
    except ValidationError as error:
        apply_errors(form, error)
        if not searching and form.errors.get("not_a_duplicate"):
            outcome.extra = {"duplicates": probable_matches(request, signal, name=form.cleaned_data.get("name", ""),
                                                            birth_date=form.cleaned_data.get("birth_date"))}
    return outcome


def _link(request: HttpRequest, signal: Signal, data: dict[str, Any], *, searching: bool) -> Person:
    if searching:
        person = _find_person(request, data["search"])
        if person is None:
            raise ValidationError({"search": _("No registered person with this BSN or pseudonym.")})
        return services.link_person(signal, actor=request.user, person=person)
    matches = probable_duplicates(Person.objects.visible_to(request.user), name=data["name"],
                                  birth_date=data["birth_date"])
    if matches and not data.get("not_a_duplicate"):
        raise ValidationError({"not_a_duplicate": _(
            "Probably already registered: link the signal to a person offered above, or confirm that this is "
            "someone else.")})
    return services.link_person(signal, actor=request.user, new_person=PersonInput(
        name=data["name"], birth_date=data["birth_date"], bsn=data["bsn"],
        neighbourhood_id=data["neighbourhood"].pk if data["neighbourhood"] else None,
        school_or_organisation=data["school_or_organisation"],
    ))


def _find_person(request: HttpRequest, search: str) -> Person | None:
    visible = Person.objects.visible_to(request.user)
    if is_pseudonym(search):
        return visible.filter(pseudonym=as_pseudonym(search)).first()
    try:
        person = find_by_bsn(search)
    except ValidationError:
        return None
    return person if person is not None and visible.filter(pk=person.pk).exists() else None
