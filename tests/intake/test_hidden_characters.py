"""Names typed in the web forms refuse invisible direction and zero-width characters, as the API does
(one validator, core.validators.no_hidden_characters): a name cannot be stored that shows reversed, or
looks like another, in the coordinator's lists."""

import pytest
from django.urls import reverse
from django.utils import timezone

from netwerkregie.accounts.forms import UserForm
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.forms import NewPersonForm
from netwerkregie.intake.models import Signal
from netwerkregie.network.forms import ContactForm, OrganisationForm, PartnerInvitationForm
from netwerkregie.network.models import Contact, Organisation, Sector
from tests.intake.test_signals import post_signal

pytestmark = pytest.mark.django_db

REVERSED = "Mila \u202esnesnaJ"  # shown as "Mila Janssens"
HIDDEN = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
          "\u200f", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
MESSAGE = "De naam bevat onzichtbare tekens"


@pytest.mark.parametrize("character", HIDDEN)
def test_the_signal_form_refuses_a_name_with_an_invisible_character(client_for, character: str) -> None:
    client = client_for(Role.PARTNER)
    events = AuditEvent.objects.count()
    response = post_signal(client, subject_name=f"Mila{character} Jansen")
    assert response.status_code == 200
    assert MESSAGE in " ".join(response.context["form"].errors["subject_name"])
    assert MESSAGE in response.content.decode()
    assert Signal.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_signal_form_refuses_a_direction_override_in_the_description_too(client_for) -> None:
    response = post_signal(client_for(Role.PARTNER), description="Schreef \u202egnarkyrg\u202c op het bord.")
    assert "leesrichting" in " ".join(response.context["form"].errors["description"])
    assert Signal.objects.count() == 0


def test_a_name_in_another_script_is_accepted(client_for) -> None:
    response = post_signal(client_for(Role.PARTNER), subject_name="Yusuf يوسف")
    assert response.status_code == 302
    assert Signal.objects.get().subject_name == "Yusuf يوسف"


def test_a_contact_with_a_reversed_name_is_not_stored(client_for) -> None:
    school = Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)
    response = client_for(Role.COORDINATOR).post(reverse("network:contact_new", args=[school.pk]), {
        "name": REVERSED, "job_title": "Mentor", "informed_on": timezone.localdate().isoformat(), "is_active": "on"})
    assert MESSAGE in " ".join(response.context["form"].errors["name"])
    assert Contact.objects.count() == 0


def test_a_user_with_a_reversed_name_is_not_created(client_for) -> None:
    response = client_for(Role.ADMIN).post(reverse("accounts:user_new"), {
        "full_name": REVERSED, "email": "mila@lyceum.nl", "roles": ["analyst"]})
    assert MESSAGE in " ".join(response.context["form"].errors["full_name"])
    assert not User.objects.filter(email="mila@lyceum.nl").exists()


@pytest.mark.parametrize(("form_class", "field"), [
    (NewPersonForm, "name"), (NewPersonForm, "school_or_organisation"), (ContactForm, "name"),
    (OrganisationForm, "name"), (PartnerInvitationForm, "full_name"), (UserForm, "full_name"),
])
def test_every_name_field_uses_the_validator(form_class: type, field: str) -> None:
    form = form_class(data={field: REVERSED})
    assert not form.is_valid()
    assert MESSAGE in " ".join(form.errors[field])
