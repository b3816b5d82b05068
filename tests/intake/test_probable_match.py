"""The same person through spelling variants: a keyed phonetic index with the date of birth offers a
probable match on the signal page with one button; the link box finds by name and date of birth; a
registration left without signals is offered for merging or removal."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.linking import OFFERED
from netwerkregie.intake.models import Signal
from netwerkregie.people.identity import phonetic_birth_hash
from netwerkregie.people.models import Person
from netwerkregie.people.services import PersonInput, create_person
from tests.conftest import verified_client
from tests.intake_helpers import submit

pytestmark = pytest.mark.django_db
BORN, OTHER_DAY = datetime.date(2009, 3, 14), datetime.date(2009, 3, 15)
RETAIN = datetime.date(2031, 1, 1)


def register(users: dict[str, User], name: str, born: datetime.date = BORN) -> Person:
    return create_person(PersonInput(name=name, birth_date=born), actor=users[Role.COORDINATOR], retain_until=RETAIN)


def signal_about(users: dict[str, User], name: str, born: datetime.date = BORN) -> Signal:
    return submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name, subject_birth_date=born)


def offered(client, signal: Signal) -> list[str]:
    page = client.get(reverse("intake:signal_detail", args=[signal.reference]))
    assert page.status_code == 200
    return [m.person.pseudonym for m in page.context["duplicates"]]


def test_yusuf_and_joesoef_demir_born_the_same_day_are_offered_with_one_button(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "Joesoef Demir")
    client = verified_client(users[Role.COORDINATOR])
    assert offered(client, signal) == [yusuf.pseudonym]
    html = client.get(reverse("intake:signal_detail", args=[signal.reference])).content.decode()
    assert f'name="search" value="{yusuf.pseudonym}"' in html
    assert f"Koppelen aan {yusuf.pseudonym}" in html
    assert "Yusuf Demir" in html  # the coordinator judges by the registered name: a recorded view
    assert AuditEvent.objects.filter(action="view", object_id=str(yusuf.pk), reason=OFFERED).exists()


def test_mohammed_and_muhammad_born_the_same_day_share_the_phonetic_index_and_are_offered(users) -> None:
    mohammed = register(users, "Mohammed Amrani")
    assert phonetic_birth_hash("Muhammad Amrani", BORN) == Person.objects.get(pk=mohammed.pk).phonetic_birth_hash
    signal = signal_about(users, "Muhammad Amrani")
    assert offered(verified_client(users[Role.COORDINATOR]), signal) == [mohammed.pseudonym]


def test_the_same_names_born_on_another_day_are_not_offered(users) -> None:
    register(users, "Yusuf Demir")
    register(users, "Mohammed Amrani")
    client = verified_client(users[Role.COORDINATOR])
    assert offered(client, signal_about(users, "Joesoef Demir", OTHER_DAY)) == []
    assert offered(client, signal_about(users, "Muhammad Amrani", OTHER_DAY)) == []
    signal = signal_about(users, "Joesoef Demir", OTHER_DAY)
    response = client.post(reverse("intake:signal_link_person", args=[signal.reference]),
                           {"search": "", "name": "Joesoef Demir", "birth_date": OTHER_DAY.isoformat()})
    assert response.status_code == 422
    assert response.context["existing_form"].errors["name"] == [
        "Geen geregistreerde persoon met deze naam, of een naam die hetzelfde klinkt, en deze geboortedatum."]


def test_the_link_box_finds_by_name_and_date_of_birth_and_offers_without_linking(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "J. Demir", None)
    client = verified_client(users[Role.COORDINATOR])
    url = reverse("intake:signal_link_person", args=[signal.reference])
    response = client.post(url, {"search": "", "name": "Youssef Demir", "birth_date": BORN.isoformat()})
    assert response.status_code == 200
    assert [m.person.pseudonym for m in response.context["found"]] == [yusuf.pseudonym]
    assert Signal.objects.get(pk=signal.pk).person is None  # offered, not linked
    alone = client.post(url, {"search": "", "name": "Youssef Demir"})
    assert alone.status_code == 422
    assert alone.context["existing_form"].errors["birth_date"]
    assert client.post(url, {"search": yusuf.pseudonym}).status_code == 302
    assert Signal.objects.get(pk=signal.pk).person == yusuf


def test_the_button_links_audited_and_is_404_without_need_to_know(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "Joesoef Demir")
    url = reverse("intake:signal_link_person", args=[signal.reference])
    for role in (Role.PARTNER, Role.CORE_PARTNER, Role.CASE_MANAGER, Role.RECIPIENT):
        assert verified_client(users[role]).post(url, {"search": yusuf.pseudonym}).status_code == 404
    assert Signal.objects.get(pk=signal.pk).person is None
    assert verified_client(users[Role.COORDINATOR]).post(url, {"search": yusuf.pseudonym}).status_code == 302
    assert Signal.objects.get(pk=signal.pk).person == yusuf
    assert AuditEvent.objects.filter(action="link", object_id=str(signal.pk),
                                     detail__person=yusuf.pseudonym).exists()


def test_registering_a_probable_match_is_refused_with_the_offer_and_its_button(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "Joesoef Demir")
    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("intake:signal_link_person", args=[signal.reference]),
        {"name": "Joesoef Demir", "birth_date": BORN.isoformat()})
    assert response.status_code == 422
    assert Person.objects.count() == 1
    assert [m.person.pseudonym for m in response.context["duplicates"]] == [yusuf.pseudonym]
    assert f'name="search" value="{yusuf.pseudonym}"' in response.content.decode()


def test_a_linked_signal_has_no_registration_form_and_offers_the_other_registration(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "Joesoef Demir")
    services.link_person(signal, actor=users[Role.COORDINATOR],
                         new_person=PersonInput(name="Joesoef Demir", birth_date=BORN))
    page = verified_client(users[Role.COORDINATOR]).get(reverse("intake:signal_detail", args=[signal.reference]))
    assert "new_person_form" not in page.context
    assert "Nieuwe persoon registreren" not in page.content.decode()
    assert page.context["existing_form"] is not None
    assert [m.person.pseudonym for m in page.context["duplicates"]] == [yusuf.pseudonym]


def test_a_registration_left_without_signals_is_offered_for_merge_or_removal(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    signal = signal_about(users, "Joesoef Demir")
    second = services.link_person(signal, actor=users[Role.COORDINATOR],
                                  new_person=PersonInput(name="Joesoef Demir", birth_date=BORN))
    client = verified_client(users[Role.COORDINATOR])
    relinked = client.post(reverse("intake:signal_link_person", args=[signal.reference]), {"search": yusuf.pseudonym})
    assert relinked.status_code == 302
    assert relinked.url.endswith(f"?left={second.pseudonym}")
    page = client.get(relinked.url)
    assert page.context["left_behind"] == second
    html = page.content.decode()
    assert reverse("search:merge", args=[yusuf.pseudonym]) + f"?other={second.pseudonym}" in html
    assert reverse("search:remove", args=[second.pseudonym]) in html
    merge_page = client.get(reverse("search:merge", args=[yusuf.pseudonym]), {"other": second.pseudonym})
    assert merge_page.context["form"]["other"].value() == second.pseudonym
    remove_url = reverse("search:remove", args=[second.pseudonym])
    assert client.post(remove_url, {"reason": ""}).status_code == 422
    assert client.post(remove_url, {"reason": "Twee keer geregistreerd."}).status_code == 302
    assert not Person.objects.filter(pk=second.pk).exists()
    assert AuditEvent.objects.filter(action="purge", object_id=str(second.pk), reason="registration removed").exists()


def test_a_registration_with_a_signal_is_not_removed(users) -> None:
    signal = signal_about(users, "Yusuf Demir")
    person = services.link_person(signal, actor=users[Role.COORDINATOR],
                                  new_person=PersonInput(name="Yusuf Demir", birth_date=BORN))
    client = verified_client(users[Role.COORDINATOR])
    assert client.post(reverse("search:remove", args=[person.pseudonym]), {"reason": "Weg."}).status_code == 422
    assert Person.objects.filter(pk=person.pk).exists()
    assert client.get(reverse("intake:signal_detail", args=[signal.reference]),
                      {"left": person.pseudonym}).context["left_behind"] is None
    partner = verified_client(users[Role.PARTNER])
    assert partner.get(reverse("search:remove", args=[person.pseudonym])).status_code == 404


def test_no_index_column_holds_the_name_in_plain_text(users) -> None:
    person = register(users, "Yusuf Demir")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name_birth_hash, phonetic_birth_hash, birth_date_hash FROM people_person WHERE id = %s",
                       [person.pk])
        stored = cursor.fetchone()
    assert all(len(value) == 64 and set(value) <= set("0123456789abcdef") for value in stored)
    assert len(set(stored)) == 3
    text = " ".join(stored).lower()
    assert not any(part in text for part in ("yusuf", "demir", "jasaf", "damar", "2009"))


def test_the_migration_indexes_persons_registered_before_it(users) -> None:
    person = register(users, "Yusuf Demir")
    Person.objects.filter(pk=person.pk).update(phonetic_birth_hash="")
    migration = importlib.import_module("netwerkregie.people.migrations.0005_phonetic_blind_index")
    migration.index_existing_persons(django_apps, None)
    assert Person.objects.get(pk=person.pk).phonetic_birth_hash == phonetic_birth_hash("Joesoef Demir", BORN)


def test_the_search_page_finds_a_spelling_variant_by_name_and_date_of_birth(users) -> None:
    yusuf = register(users, "Yusuf Demir")
    client = verified_client(users[Role.COORDINATOR])
    found = client.get(reverse("search:index"), {"name": "Joesoef Demir", "birth_date": BORN.isoformat()})
    assert [p.pseudonym for p in found.context["found"].persons] == [yusuf.pseudonym]
    other_day = client.get(reverse("search:index"), {"name": "Joesoef Demir", "birth_date": OTHER_DAY.isoformat()})
    assert other_day.context["found"].persons == []
