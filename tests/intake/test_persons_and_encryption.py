"""Persons: encrypted identifiers, BSN found by keyed hash, pseudonyms, minors, key rotation, and
no plain text in the database file."""

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.people.models import Person
from netwerkregie.people.services import PersonInput, create_person, find_by_bsn
from tests.conftest import verified_client
from tests.intake_helpers import submit

pytestmark = pytest.mark.django_db
BSN = "123456782"
KEEP = datetime.date(2027, 12, 31)


def raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - fixed names in tests
        return [row[0] for row in cursor.fetchall()]


def test_identifying_fields_are_encrypted_and_the_bsn_is_found_by_keyed_hash(users) -> None:
    person = create_person(PersonInput(name="Noor Visser", birth_date=datetime.date(2009, 3, 1), bsn=BSN),
                           actor=users[Role.COORDINATOR], retain_until=KEEP)
    assert re.fullmatch(r"P-[23456789BCDFGHJKLMNPQRSTVWXZ]{5}-[23456789BCDFGHJKLMNPQRSTVWXZ]{5}", person.pseudonym)
    stored_name, = raw("people_person", "name")
    stored_bsn, = raw("people_person", "bsn")
    stored_hash, = raw("people_person", "bsn_hash")
    assert "Noor" not in stored_name
    assert BSN not in stored_bsn
    assert BSN not in stored_hash
    assert stored_name.startswith("gAAAA")  # Fernet token
    fresh = Person.objects.get(pk=person.pk)
    assert (fresh.name, fresh.bsn, fresh.birth_date) == ("Noor Visser", BSN, datetime.date(2009, 3, 1))
    assert fresh.is_minor
    assert find_by_bsn("1234 56 782") == person
    assert AuditEvent.objects.filter(action="create", object_type="people.person").exists()


@pytest.mark.parametrize("bsn", ["123456789", "12345678", "abcdefghi", "000000000"])
def test_an_invalid_bsn_is_refused_with_a_clear_message(users, bsn: str) -> None:
    client = verified_client(users[Role.COORDINATOR])
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    response = client.post(reverse("intake:signal_link_person", args=[signal.reference]),
                           {"name": "Noor Visser", "bsn": bsn})
    assert response.status_code == 422
    assert "elfproef" in response.content.decode() or "geldig" in response.content.decode()
    assert Person.objects.count() == 0
    assert Signal.objects.get().person is None


def test_a_second_person_with_the_same_bsn_is_refused(users) -> None:
    create_person(PersonInput(name="Noor Visser", bsn=BSN), actor=users[Role.COORDINATOR], retain_until=KEEP)
    with pytest.raises(ValidationError, match=r"al een persoon|already registered"):
        create_person(PersonInput(name="Iemand Anders", bsn=BSN), actor=users[Role.COORDINATOR], retain_until=KEEP)
    assert Person.objects.count() == 1


def test_the_coordinator_links_by_bsn_and_every_view_is_audited(users) -> None:
    coordinator = users[Role.COORDINATOR]
    person = create_person(PersonInput(name="Noor Visser", bsn=BSN), actor=coordinator, retain_until=KEEP)
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    client = verified_client(coordinator)
    response = client.post(reverse("intake:signal_link_person", args=[signal.reference]), {"search": BSN})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.person == person
    assert AuditEvent.objects.filter(action="link", object_id=str(signal.pk)).exists()
    client.get(reverse("intake:signal_detail", args=[signal.reference]))
    client.get(reverse("intake:person_detail", args=[person.pseudonym]))
    views = AuditEvent.objects.filter(action="view", actor=coordinator)
    assert {(e.object_type, e.object_id) for e in views} >= {
        ("intake.signal", str(signal.pk)), ("people.person", str(person.pk))}


def test_lists_show_the_pseudonym_not_the_name(users) -> None:
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Noor Visser")
    client = verified_client(coordinator)
    client.post(reverse("intake:signal_link_person", args=[signal.reference]), {"name": "Noor Visser"})
    signal.refresh_from_db()
    page = client.get(reverse("intake:triage")).content.decode()
    assert signal.person.pseudonym in page
    assert "Noor" not in page


def test_keys_rotate_without_losing_data(users, settings) -> None:
    person = create_person(PersonInput(name="Noor Visser", bsn=BSN), actor=users[Role.COORDINATOR],
                           retain_until=KEEP)
    old_token, = raw("people_person", "name")
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    call_command("rotate_field_keys", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is gone
    new_token, = raw("people_person", "name")
    assert new_token != old_token
    assert Person.objects.get(pk=person.pk).name == "Noor Visser"


@pytest.mark.sqlite_only
@pytest.mark.django_db(transaction=True)
def test_no_plain_text_name_or_bsn_in_the_database_file(users) -> None:
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Zoë Quirijnsen",
                    subject_school="Zonnebloemcollege", description="Roept in de kantine op tot geweld.")
    client = verified_client(coordinator)
    client.post(reverse("intake:signal_link_person", args=[signal.reference]),
                {"name": "Zoë Quirijnsen", "bsn": BSN})
    assert Person.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    database = Path(connection.settings_dict["NAME"])
    content = b"".join(p.read_bytes() for p in (database, Path(f"{database}-wal")) if p.exists())
    assert len(content) > 10_000
    for secret in ("Zoë Quirijnsen", "Quirijnsen", BSN, "Zonnebloemcollege", "kantine"):
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in content, secret
