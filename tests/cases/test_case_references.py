"""A case reference drawn twice is drawn again: the case opens, with one row and one audit event, and the
coordinator sees no error (before: IntegrityError, a server error)."""

import datetime

import pytest
from django.urls import reverse

from netwerkregie.cases import models as case_models
from netwerkregie.cases import services
from netwerkregie.cases.models import Case
from netwerkregie.core.identifiers import ATTEMPTS, NoFreeIdentifier
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.people.services import PersonInput, create_person
from tests.case_helpers import decided_case
from tests.conftest import verified_client
from tests.identifier_helpers import characters, events_for, other_than, scripted_draw

KEEP = datetime.date(2031, 1, 1)


def person(users, name: str = "Sam de Vries"):
    return create_person(PersonInput(name=name), actor=users[Role.COORDINATOR], retain_until=KEEP)


def open_directly(users, who):
    return services.open_case(person=who, case_manager=users[Role.CASE_MANAGER], actor=users[Role.COORDINATOR],
                              reason="Rechtstreeks aangemeld door de leerplichtambtenaar.")


def same_year(reference: str, drawn: str) -> str:
    return reference.rsplit("-", 1)[0] + "-" + drawn


@pytest.mark.django_db
def test_a_case_reference_drawn_twice_is_drawn_again(users, monkeypatch) -> None:
    taken = decided_case(users)
    fresh = other_than(characters(taken.reference))
    events = AuditEvent.objects.count()
    script = scripted_draw(monkeypatch, case_models, characters(taken.reference), fresh)

    case = open_directly(users, person(users))

    assert script == []
    assert case.reference == same_year(taken.reference, fresh)
    assert Case.objects.count() == 2
    assert Case.objects.get(reference=case.reference).pk == case.pk
    # the person's create and the case's create: nothing of the failed insert is left
    assert events_for(case) == ["create"]
    assert AuditEvent.objects.count() == events + 2


@pytest.mark.django_db(transaction=True)
def test_a_case_reference_drawn_twice_outside_any_transaction_is_drawn_again(users, monkeypatch) -> None:
    """Without the test's transaction around it the service's own is the outermost: no savepoint."""
    taken = open_directly(users, person(users, "Eerste Persoon"))
    fresh = other_than(characters(taken.reference))
    script = scripted_draw(monkeypatch, case_models, characters(taken.reference), fresh)

    case = open_directly(users, person(users))

    assert script == []
    assert case.reference == same_year(taken.reference, fresh)
    assert Case.objects.count() == 2
    assert events_for(case) == ["create"]


@pytest.mark.django_db
def test_opening_a_case_on_the_page_with_a_reference_drawn_twice_succeeds(users, monkeypatch) -> None:
    taken = decided_case(users)
    who = person(users)
    fresh = other_than(characters(taken.reference))
    script = scripted_draw(monkeypatch, case_models, characters(taken.reference), fresh)

    response = verified_client(users[Role.COORDINATOR]).post(reverse("cases:case_new"), {
        "pseudonym": who.pseudonym.replace("-", " ").lower(), "reason": "Rechtstreeks aangemeld door de school.",
        "case_manager": users[Role.CASE_MANAGER].pk, "ideology": "unclear"}, follow=True)

    assert script == []
    reference = same_year(taken.reference, fresh)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("cases:case_detail", args=[reference])
    assert reference in response.content.decode()
    case = Case.objects.get(reference=reference)
    assert case.person == who
    assert Case.objects.count() == 2
    assert events_for(case)[0] == "create"
    assert events_for(case).count("create") == 1


@pytest.mark.django_db
def test_when_every_draw_is_taken_nothing_is_saved(users, monkeypatch) -> None:
    taken = decided_case(users)
    who = person(users)
    events = AuditEvent.objects.count()
    script = scripted_draw(monkeypatch, case_models, *[characters(taken.reference)] * (ATTEMPTS + 1))

    with pytest.raises(NoFreeIdentifier):
        open_directly(users, who)

    assert len(script) == 1  # ATTEMPTS draws, no more
    assert Case.objects.count() == 1
    assert AuditEvent.objects.count() == events
