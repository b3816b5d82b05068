"""Finding a signal, case or person by identity or reference only (never by what a file says), within
what the searcher may see: the coordinator, a case manager, a core partner. Every search is audited
with the kind of key and the number found, never the key itself."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.cases.models import Case
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.people.identity import name_birth_hash, phonetic_birth_hash
from netwerkregie.people.models import PSEUDONYM_MAX_LENGTH, Person, as_pseudonym, bsn_hash, is_pseudonym
from netwerkregie.people.services import clean_bsn
from netwerkregie.privacy.merge import holds_nothing, merge_persons, remove_registration
from netwerkregie.search.forms import MergeForm, RemovalForm, SearchForm

SEARCHERS = (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER)
SIGNAL_REFERENCE = re.compile(r"^S-\d{4}-[0-9A-Z]+$")
CASE_REFERENCE = re.compile(r"^C-\d{4}-[0-9A-Z]+$")


@dataclass
class Found:
    kind: str = ""  # which kind of key was used: for the audit log and the page, never the key
    persons: list[Person] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.persons) + len(self.signals) + len(self.cases)


def _about(user: Any, found: Found, matching: Q) -> Found:
    """Everything the user may see about the persons ``matching`` selects (a filter on Person)."""
    found.persons = list(Person.objects.visible_to(user).filter(matching))
    people = Person.objects.filter(matching)
    signals = Signal.objects.visible_to(user).filter(person__in=people)
    if settings.PSEUDONYMOUS_ASSESSMENT and not user.has_role(Role.COORDINATOR) and found.kind != "pseudonym":
        signals = signals.filter(reveals__user=user)  # an identity search must not undo the pseudonym
    found.signals = list(signals.order_by("-received_at")[:50])
    found.cases = list(Case.objects.visible_to(user).filter(person__in=people).order_by("-opened_on")[:50])
    return found


def search_for(user: Any, data: dict[str, Any]) -> Found:
    key = data["key"].upper().replace(" ", "")
    if not key:
        exact = name_birth_hash(data["name"], data["birth_date"])
        sounds = phonetic_birth_hash(data["name"], data["birth_date"]) or "-"  # spelling variants too
        return _about(user, Found("name and date of birth"), Q(name_birth_hash=exact) | Q(phonetic_birth_hash=sounds))
    if SIGNAL_REFERENCE.match(key):
        return Found("signal reference", signals=list(Signal.objects.visible_to(user).filter(reference=key)))
    if CASE_REFERENCE.match(key):
        return Found("case reference", cases=list(Case.objects.visible_to(user).filter(reference=key)))
    if is_pseudonym(key):
        return _about(user, Found("pseudonym"), Q(pseudonym=as_pseudonym(key)))
    try:
        number = clean_bsn(key.replace(".", ""))
    except ValidationError:
        return Found("unrecognised")
    return _about(user, Found("bsn"), Q(bsn_hash=bsn_hash(number)))


@roles_required(*SEARCHERS)
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        found = search_for(request.user, form.cleaned_data)
        record_view(actor=request.user, object_type="search", purpose="search",
                    detail={"key": found.kind, "found": found.count})
    return render(request, "search/index.html", {"form": form, "found": found},
                  status=422 if form.is_bound and form.errors else 200)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def merge(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    keep = get_visible_or_404(Person.objects.all(), request.user, pseudonym=pseudonym.upper())
    form = MergeForm(request.POST or None, initial={"other": request.GET.get("other", "")[:PSEUDONYM_MAX_LENGTH]})
    if request.method == "POST" and form.is_valid():
        other = as_pseudonym(form.cleaned_data["other"])
        gone = Person.objects.visible_to(request.user).filter(pseudonym=other).first()
        if gone is None:
            form.add_error("other", _("No registered person with this pseudonym."))
        else:
            try:
                merge_persons(keep, gone, actor=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("%(gone)s is merged into %(keep)s.") % {
                    "gone": gone.pseudonym, "keep": keep.pseudonym})
                return redirect("intake:person_detail", pseudonym=keep.pseudonym)
    return render(request, "search/merge.html", {"person": keep, "form": form}, status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def remove(request: AuthenticatedHttpRequest, pseudonym: str) -> HttpResponse:
    """Remove a registration that holds nothing (left behind when its signal was linked to the right person)."""
    person = get_visible_or_404(Person.objects.all(), request.user, pseudonym=pseudonym.upper())
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remove_registration(person, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Registration %(pseudonym)s is removed.") % {"pseudonym": person.pseudonym})
            return redirect("intake:triage")
    return render(request, "search/remove.html", {"person": person, "form": form, "empty": holds_nothing(person)},
                  status=422 if form.errors else 200)
