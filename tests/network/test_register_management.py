"""The coordinator keeps the register current: partners and neighbourhoods added and edited,
contact people and covenants edited or ended; every change audited, bad input refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network import services
from netwerkregie.network.models import Contact, Covenant, Neighbourhood, Organisation, Sector
from tests.conftest import verified_client
from tests.network_helpers import covenant

pytestmark = pytest.mark.django_db


def test_the_coordinator_adds_a_neighbourhood_and_a_partner_working_there(users) -> None:
    client = verified_client(users[Role.COORDINATOR])
    assert client.post(reverse("network:neighbourhood_list"), {"name": "Korte Akkeren"}).status_code == 302
    hood = Neighbourhood.objects.get(name="Korte Akkeren")
    assert hood.code == "korte-akkeren"
    response = client.post(reverse("network:organisation_new"), {
        "name": "Sportclub De Akker", "sector": Sector.CLUB, "neighbourhoods": [hood.pk], "is_active": "on"})
    club = Organisation.objects.get(name="Sportclub De Akker")
    assert response.status_code == 302
    assert list(club.neighbourhoods.all()) == [hood]
    assert "Korte Akkeren" in client.get(reverse("network:overview")).content.decode()  # a row in the coverage
    assert AuditEvent.objects.filter(action="create", object_type="network.organisation",
                                     object_id=str(club.pk)).exists()
    ended = client.post(reverse("network:organisation_edit", args=[club.pk]),
                        {"name": "Sportclub De Akker", "sector": Sector.CLUB, "neighbourhoods": [hood.pk]})
    assert ended.status_code == 302
    assert not Organisation.objects.get(pk=club.pk).is_active


@pytest.mark.parametrize(("url_name", "post", "field"), [
    ("network:neighbourhood_list", {"name": ""}, "name"),
    ("network:organisation_new", {"name": "<b>Club</b>", "sector": "school"}, "name"),
    ("network:organisation_new", {"name": "Club", "sector": "sekte"}, "sector"),
])
def test_bad_register_input_gets_a_message_and_saves_nothing(users, url_name: str, post: dict, field: str) -> None:
    before = (Organisation.objects.count(), Neighbourhood.objects.count())
    response = verified_client(users[Role.COORDINATOR]).post(reverse(url_name), post)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert (Organisation.objects.count(), Neighbourhood.objects.count()) == before


def test_a_duplicate_partner_name_is_refused(users) -> None:
    Organisation.objects.create(name="Het College", sector=Sector.SCHOOL)
    response = verified_client(users[Role.COORDINATOR]).post(reverse("network:organisation_new"),
                                                             {"name": "het college", "sector": "school"})
    assert response.status_code == 422
    assert "al een partner" in response.content.decode()


def test_a_contact_person_is_edited_and_ended(users) -> None:
    school = users[Role.PARTNER].organisation
    contact = services.save_contact(Contact(organisation=school, name="Joke Jansen", informed_on=timezone.localdate()),
                                    actor=users[Role.COORDINATOR])
    client = verified_client(users[Role.COORDINATOR])
    url = reverse("network:contact_edit", args=[contact.pk])
    assert "Joke Jansen" in client.get(url).content.decode()
    response = client.post(url, {"name": "Joke Jansen", "job_title": "Teamleider", "email": "",
                                 "phone": "", "informed_on": timezone.localdate().isoformat()})
    contact.refresh_from_db()
    assert response.status_code == 302
    assert contact.job_title == "Teamleider"
    assert not contact.is_active
    assert AuditEvent.objects.filter(action="update", object_type="network.contact", object_id=str(contact.pk)).exists()


def test_a_covenant_is_ended_without_uploading_its_document_again(users) -> None:
    school = users[Role.PARTNER].organisation
    other = Organisation.objects.create(name="Politie Gouda", sector=Sector.POLICE)
    cov = covenant([school, other], users[Role.COORDINATOR])
    client = verified_client(users[Role.COORDINATOR])
    url = reverse("network:covenant_edit", args=[cov.pk])
    page = client.get(url).content.decode()
    assert cov.title in page
    assert "/private" not in page
    end = timezone.localdate() + datetime.timedelta(days=30)
    post = {"title": cov.title, "parties": [school.pk, other.pk], "for_signals": "on",
            "valid_from": cov.valid_from.isoformat(), "valid_until": end.isoformat()}
    response = client.post(url, post)
    cov = Covenant.objects.get(pk=cov.pk)
    assert response.status_code == 302
    assert cov.valid_until == end
    assert cov.document
    before = client.post(url, {**post, "valid_until": (cov.valid_from - datetime.timedelta(days=1)).isoformat()})
    assert before.status_code == 422
    assert Covenant.objects.get(pk=cov.pk).valid_until == end
