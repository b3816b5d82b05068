"""Access requests a privacy officer can handle: the person found by name and date of birth or BSN
(nothing decrypted, the search audited), who asked, how identity was checked and the channel recorded
and shown, and the person's name and pseudonym shown (audited) before the export goes out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.people.services import PersonInput, create_person
from netwerkregie.privacy.models import DataSubjectRequest
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db

BORN = datetime.date(2009, 3, 14)


@pytest.fixture
def yusuf(users):
    return create_person(PersonInput(name="Yusuf Demir", birth_date=BORN, bsn="", neighbourhood_id=None,
                                     school_or_organisation=""), actor=users[Role.COORDINATOR],
                         retain_until=timezone.localdate() + datetime.timedelta(days=365))


def _post(client, **fields):
    data = {"kind": "access", "name": "", "birth_date": "", "bsn": "", "pseudonym": "", "requester": "parent",
            "identity_check": "id_document", "identity_note": "Paspoort van de moeder gezien.", "channel": "desk",
            "received_on": timezone.localdate().isoformat(), **fields}
    return client.post(reverse("privacy:requests"), data)


def test_it_registers_a_request_by_name_and_date_of_birth_with_requester_identity_check_and_channel(
        users, yusuf) -> None:
    officer = users[Role.PRIVACY_OFFICER]
    client = verified_client(officer)
    response = _post(client, name="yusuf  DEMIR", birth_date=BORN.isoformat(), handler=officer.pk)
    assert response.status_code == 302, response.context["form"].errors
    subject_request = DataSubjectRequest.objects.get()
    assert subject_request.person == yusuf
    assert (subject_request.requester, subject_request.identity_check, subject_request.channel) == (
        "parent", "id_document", "desk")
    search = AuditEvent.objects.get(object_type="search", actor=officer)
    assert search.detail == {"key": "name+birth-date", "found": 1, "for": "data-subject request"}
    created = AuditEvent.objects.get(object_type="privacy.datasubjectrequest", action="create")
    assert created.detail == {"kind": "access", "requester": "parent", "identity_check": "id_document",
                              "channel": "desk"}
    assert "Yusuf" not in str(created.detail)
    assert "Paspoort" not in str(created.detail)
    page = client.get(reverse("privacy:request_detail", args=[subject_request.pk])).content.decode()
    for shown in ("Yusuf Demir", yusuf.pseudonym, "Een ouder", "Identiteitsbewijs getoond aan de balie",
                  "Paspoort van de moeder gezien.", "Aan de balie"):
        assert shown in page
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(yusuf.pk),
                                     actor=officer, reason="data-subject request: identity").exists()


def test_it_finds_the_person_by_bsn(users) -> None:
    officer = users[Role.PRIVACY_OFFICER]
    person = create_person(PersonInput(name="Bea Bsn", birth_date=None, bsn="111222333", neighbourhood_id=None,
                                       school_or_organisation=""), actor=users[Role.COORDINATOR],
                           retain_until=timezone.localdate())
    response = _post(verified_client(officer), bsn="111222333", handler=officer.pk)
    assert response.status_code == 302
    assert DataSubjectRequest.objects.get().person == person


def test_it_says_in_dutch_when_no_one_or_not_enough_is_given(users, yusuf) -> None:
    officer = users[Role.PRIVACY_OFFICER]
    client = verified_client(officer)
    wrong_date = _post(client, name="Yusuf Demir", birth_date="2009-03-15", handler=officer.pk)
    assert wrong_date.status_code == 200
    assert "Geen geregistreerde betrokkene met precies deze naam en geboortedatum" in wrong_date.content.decode()
    nothing = _post(client, handler=officer.pk).content.decode()
    assert "Vul de naam en geboortedatum, het BSN of het pseudoniem van de betrokkene in." in nothing
    name_only = _post(client, name="Yusuf Demir", handler=officer.pk).content.decode()
    assert "Vul naast de naam ook de geboortedatum in." in name_only
    unexplained = _post(client, name="Yusuf Demir", birth_date=BORN.isoformat(), identity_check="other",
                        identity_note="", handler=officer.pk).content.decode()
    assert "Geef aan hoe de identiteit is gecontroleerd." in unexplained
    assert not DataSubjectRequest.objects.exists()
    assert AuditEvent.objects.filter(object_type="search", actor=officer).count() == 1  # the failed search too


def test_it_denies_the_register_to_anyone_but_the_privacy_officer(users, yusuf) -> None:
    coordinator = users[Role.COORDINATOR]
    response = _post(verified_client(coordinator), name="Yusuf Demir", birth_date=BORN.isoformat(),
                     handler=users[Role.PRIVACY_OFFICER].pk)
    assert response.status_code == 404
    assert not DataSubjectRequest.objects.exists()
