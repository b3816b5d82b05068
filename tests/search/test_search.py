"""Search by identity and reference only, within what the searcher may see; probable duplicates
shown to the coordinator; merging two registrations is a recorded act."""

import datetime
import json

import pytest
from django.urls import reverse

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.models import Signal
from netwerkregie.intake.pseudonymity import reveal_identity
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.identity import normalise_name
from netwerkregie.people.models import Person
from netwerkregie.people.services import PersonInput, create_person
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client
from tests.intake_helpers import session_with, submit

pytestmark = pytest.mark.django_db
BORN, BSN = datetime.date(2008, 3, 14), "123456782"


@pytest.fixture
def registered(users: dict[str, User]) -> Signal:
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="José van den Berg",
                    subject_birth_date=BORN)
    services.link_person(signal, actor=users[Role.COORDINATOR], new_person=PersonInput(
        name="José van den Berg", birth_date=BORN, bsn=BSN))
    return signal


def found(client, **query) -> dict[str, list[str]]:
    response = client.get(reverse("search:index"), query)
    assert response.status_code == 200
    result = response.context["found"]
    return {"persons": [p.pseudonym for p in result.persons], "signals": [s.reference for s in result.signals],
            "cases": [c.reference for c in result.cases]}


def test_names_are_normalised_for_the_blind_index() -> None:
    assert normalise_name("José van den Berg") == normalise_name("jose BERG") == "jose berg"
    assert normalise_name("Ilse de Vries-ten Brink") == "ilse vries brink"


def test_the_coordinator_finds_by_every_key(users, registered: Signal) -> None:
    client = verified_client(users[Role.COORDINATOR])
    person = registered.person
    case = decided_case(users, "Casus Zoeken")
    assert found(client, key=registered.reference)["signals"] == [registered.reference]
    assert found(client, key=case.reference.lower())["cases"] == [case.reference]
    assert found(client, key=person.pseudonym)["persons"] == [person.pseudonym]
    by_bsn = found(client, key="1234.56.782")
    assert by_bsn["persons"] == [person.pseudonym]
    assert by_bsn["signals"] == [registered.reference]
    assert found(client, name="jose BERG", birth_date=BORN.isoformat())["persons"] == [person.pseudonym]
    assert found(client, name="jose berg", birth_date="2008-03-15")["persons"] == []
    assert found(client, key="not a key")["persons"] == []


def test_a_name_alone_is_refused_with_a_message(users) -> None:
    response = verified_client(users[Role.COORDINATOR]).get(reverse("search:index"), {"name": "Jose"})
    assert response.status_code == 422
    assert response.context["form"].errors["birth_date"] == [
        "Een naam wordt altijd samen met een geboortedatum gezocht, nooit alleen."]


def test_what_the_searcher_may_not_see_is_not_found(users, registered: Signal, municipality) -> None:
    other_manager = make_user("andere-regisseur", Role.CASE_MANAGER, organisation=municipality)
    assert found(verified_client(other_manager), key=BSN) == {"persons": [], "signals": [], "cases": []}
    police = make_user("agent", Role.CORE_PARTNER,
                       organisation=Organisation.objects.create(name="Politie", sector=Sector.POLICE))
    session = session_with(users[Role.COORDINATOR], police)
    services.put_on_agenda(registered, session, actor=users[Role.COORDINATOR])
    officer = verified_client(police)
    assert found(officer, key=BSN)["signals"] == []  # the pseudonym holds: no BSN search around it
    assert found(officer, key=registered.person.pseudonym)["signals"] == [registered.reference]
    reveal_identity(registered, session=session, actor=police, reason="Politiesystemen raadplegen.")
    assert found(officer, key=BSN) == {"persons": [registered.person.pseudonym], "signals": [registered.reference],
                                       "cases": []}


def test_every_search_is_audited_without_the_key(users, registered: Signal) -> None:
    client = verified_client(users[Role.COORDINATOR])
    found(client, key=BSN)
    found(client, name="José van den Berg", birth_date=BORN.isoformat())
    events = AuditEvent.objects.filter(reason="search").order_by("sequence")
    assert [e.detail["key"] for e in events] == ["bsn", "name and date of birth"]
    stored = json.dumps([[e.reason, e.object_id, e.detail] for e in AuditEvent.objects.all()], ensure_ascii=False)
    assert BSN not in stored
    assert "José" not in stored
    assert "berg" not in stored.lower()


def test_a_name_variant_with_the_same_birth_date_is_shown_as_a_probable_duplicate(users) -> None:
    coordinator = users[Role.COORDINATOR]
    known = create_person(PersonInput(name="Jayden de Wit", birth_date=BORN), actor=coordinator,
                          retain_until=datetime.date(2030, 1, 1))
    create_person(PersonInput(name="Jayden de Wit", birth_date=datetime.date(2009, 1, 1)), actor=coordinator,
                  retain_until=datetime.date(2030, 1, 1))  # same name, another birth date: someone else
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Jaiden de Witt",
                    subject_birth_date=BORN)
    client = verified_client(coordinator)
    page = client.get(reverse("intake:signal_detail", args=[signal.reference]))
    assert [m.person.pseudonym for m in page.context["duplicates"]] == [known.pseudonym]
    assert "Waarschijnlijk al geregistreerd" in page.content.decode()
    url = reverse("intake:signal_link_person", args=[signal.reference])
    refused = client.post(url, {"name": "Jaiden de Witt", "birth_date": BORN.isoformat()})
    assert refused.status_code == 422
    assert known.pseudonym in refused.content.decode()
    assert Person.objects.count() == 2  # nothing registered
    client.post(url, {"name": "Jaiden de Witt", "birth_date": BORN.isoformat(), "not_a_duplicate": "on"})
    assert Person.objects.count() == 3


def test_merging_two_registrations_is_a_recorded_act_with_a_reason(users, registered: Signal) -> None:
    coordinator = users[Role.COORDINATOR]
    twice = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Jose Berg")
    services.link_person(twice, actor=coordinator, new_person=PersonInput(name="Jose Berg"))
    keep, gone = registered.person, Signal.objects.get(pk=twice.pk).person
    client = verified_client(coordinator)
    url = reverse("search:merge", args=[keep.pseudonym])
    refused = client.post(url, {"other": gone.pseudonym, "reason": ""})
    assert refused.status_code == 422
    assert Person.objects.filter(pk=gone.pk).exists()
    assert client.post(url, {"other": gone.pseudonym, "reason": "Zelfde jongere, school bevestigt."}).status_code == 302
    assert not Person.objects.filter(pk=gone.pk).exists()
    assert set(Signal.objects.filter(person=keep).values_list("pk", flat=True)) == {registered.pk, twice.pk}
    assert AuditEvent.objects.filter(action="purge", object_id=str(gone.pk), reason="merged").exists()
    assert AuditEvent.objects.filter(object_id=str(keep.pk), detail__merged=gone.pseudonym).exists()


def test_two_registrations_with_different_bsns_are_not_merged(users, registered: Signal) -> None:
    other = create_person(PersonInput(name="José van den Berg", birth_date=BORN, bsn="111222333"),
                          actor=users[Role.COORDINATOR], retain_until=datetime.date(2030, 1, 1))
    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("search:merge", args=[registered.person.pseudonym]), {"other": other.pseudonym, "reason": "Zelfde."})
    assert response.status_code == 422
    assert "verschillende BSN" in response.content.decode()
    assert Person.objects.filter(pk=other.pk).exists()
