"""Pseudonyms: long enough for a national installation, readable aloud, drawn again when taken, and a BSN
registered at the same moment told apart from a pseudonym drawn twice."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.people import models as people_models
from netwerkregie.people.models import Person, as_pseudonym, bsn_hash
from netwerkregie.people.services import PersonInput, create_person
from tests.conftest import verified_client
from tests.identifier_helpers import characters, events_for, other_than, scripted_draw
from tests.intake_helpers import submit

pytestmark = pytest.mark.django_db

KEEP = datetime.date(2031, 1, 1)
BSN = "123456782"


def register(users, name: str = "Noor Visser", **fields) -> Person:
    return create_person(PersonInput(name=name, **fields), actor=users[Role.COORDINATOR], retain_until=KEEP)


def test_a_new_pseudonym_is_two_groups_of_five_readable_characters(users) -> None:
    person = register(users)
    assert re.fullmatch(r"P-[23456789BCDFGHJKLMNPQRSTVWXZ]{5}-[23456789BCDFGHJKLMNPQRSTVWXZ]{5}", person.pseudonym)
    assert Person.objects.get(pseudonym=person.pseudonym) == person


def test_a_pseudonym_drawn_twice_is_drawn_again(users, monkeypatch) -> None:
    taken = register(users, "Eerste Persoon")
    fresh = other_than(characters(taken.pseudonym))
    events = AuditEvent.objects.count()
    script = scripted_draw(monkeypatch, people_models, characters(taken.pseudonym), fresh)

    person = register(users, "Tweede Persoon")

    assert script == []  # the taken value was drawn first
    assert person.pseudonym == f"P-{fresh[:5]}-{fresh[5:]}"
    assert Person.objects.count() == 2
    assert Person.objects.get(pk=person.pk).name == "Tweede Persoon"
    assert events_for(person) == ["create"]
    assert AuditEvent.objects.count() == events + 1


def test_a_pseudonym_drawn_twice_on_the_signal_page_is_no_bsn_message(users, monkeypatch) -> None:
    """Before: 'Er is al een persoon met dit BSN geregistreerd' for a person registered without a BSN."""
    taken = register(users, "Eerste Persoon")
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Sam de Vries")
    fresh = other_than(characters(taken.pseudonym))
    script = scripted_draw(monkeypatch, people_models, characters(taken.pseudonym), fresh)

    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("intake:signal_link_person", args=[signal.reference]), {"name": "Sam de Vries"}, follow=True)

    assert script == []
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("intake:signal_detail", args=[signal.reference])
    assert "BSN geregistreerd" not in page
    assert "already registered" not in page
    person = Signal.objects.get(pk=signal.pk).person
    assert person.pseudonym == f"P-{fresh[:5]}-{fresh[5:]}"
    assert person.pseudonym in page
    assert Person.objects.count() == 2
    assert events_for(person) == ["create"]


def test_a_bsn_registered_by_someone_else_at_the_same_moment_gets_the_bsn_message(users, monkeypatch) -> None:
    """The BSN is free when the form is checked; another coordinator registers it before the insert (here: at
    the moment the pseudonym is drawn). That conflict, and only that one, is told as a duplicate BSN."""
    events = AuditEvent.objects.count()

    def someone_else_registers(length: int, alphabet: str = "") -> str:
        Person.objects.create(pseudonym="P-BCDFG-HJKLM", name="Iemand Anders", bsn=BSN, bsn_hash=bsn_hash(BSN),
                              retain_until=KEEP)
        return "CDFGHJKLMN"

    monkeypatch.setattr(people_models, "draw", someone_else_registers)
    with pytest.raises(ValidationError) as refused:
        register(users, "Noor Visser", bsn=BSN)

    assert list(refused.value.message_dict) == ["bsn"]
    assert re.search(r"al een persoon met dit BSN|already registered", refused.value.message_dict["bsn"][0])
    assert list(Person.objects.values_list("name", flat=True)) == ["Iemand Anders"]
    assert AuditEvent.objects.count() == events


def test_a_bsn_registered_twice_through_the_page_still_gets_the_bsn_message(users) -> None:
    register(users, "Noor Visser", bsn=BSN)
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("intake:signal_link_person", args=[signal.reference]), {"name": "Iemand Anders", "bsn": BSN})
    assert response.status_code == 422
    assert "Er is al een persoon met dit BSN geregistreerd" in response.content.decode()
    assert Person.objects.count() == 1


@pytest.mark.parametrize(("typed", "stored"), [
    ("P-BCDFG-HJKLM", "P-BCDFG-HJKLM"),
    ("p-bcdfg-hjklm", "P-BCDFG-HJKLM"),
    ("P-BCDFGHJKLM", "P-BCDFG-HJKLM"),
    (" p bcdfg hjklm ", "P-BCDFG-HJKLM"),
    ("P-BCDFG", "P-BCDFG"),  # the first pseudonyms: one group of five, kept as they are
    ("pbcdfg", "P-BCDFG"),
    ("123456782", "123456782"),  # not a pseudonym: left for the caller
])
def test_a_pseudonym_is_found_as_it_is_typed_or_heard(typed: str, stored: str) -> None:
    assert as_pseudonym(typed) == stored


def test_old_and_new_pseudonyms_are_both_found_by_search(users) -> None:
    old = register(users, "Oude Registratie")
    Person.objects.filter(pk=old.pk).update(pseudonym="P-7KX3B")  # as the first pseudonyms were drawn
    new = register(users, "Nieuwe Registratie")
    client = verified_client(users[Role.COORDINATOR])
    for typed, person in [("p-7kx3b", old), (new.pseudonym.replace("-", " ").lower(), new)]:
        page = client.get(reverse("search:index"), {"key": typed}).content.decode()
        assert reverse("intake:person_detail", args=[Person.objects.get(pk=person.pk).pseudonym]) in page, typed


def test_a_legal_hold_finds_a_person_by_the_pseudonym_as_heard(users) -> None:
    from netwerkregie.privacy.models import LegalHold

    person = register(users)
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    verified_client(users[Role.PRIVACY_OFFICER]).post(reverse("privacy:overview"), {
        "object_type": "people.person", "reason": "Vordering van de officier van justitie.", "until": until,
        "reference": person.pseudonym.replace("-", " ").lower()})
    assert list(LegalHold.objects.values_list("object_id", flat=True)) == [str(person.pk)]
