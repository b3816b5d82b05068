"""The coordinator invites people at partner organisations (who have no account at the municipality's
identity provider): a partner-only account, an e-mailed link that expires, then the second factor."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.conftest import make_user, verified_client
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def school() -> Organisation:
    return Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)


@pytest.fixture
def coordinator() -> Client:
    return verified_client(make_user("carla", Role.COORDINATOR))


def invite(client: Client, school: Organisation, email: str = "mentor@lyceum.nl") -> object:
    return client.post(reverse("network:partner_invite", args=[school.pk]), {"full_name": "Mila Mentor",
                                                                             "email": email})


def test_the_coordinator_invites_a_partner_who_chooses_a_password_and_then_a_second_factor(
        coordinator: Client, school: Organisation) -> None:
    response = invite(coordinator, school)
    assert response.status_code == 302
    mila = User.objects.get(email="mentor@lyceum.nl")
    assert (mila.organisation, mila.roles, mila.has_usable_password()) == (school, {Role.PARTNER}, False)
    assert [message.to for message in delivered()] == [["mentor@lyceum.nl"]]
    assert AuditEvent.objects.filter(object_id=str(mila.pk), action__in=["create", "notify"]).count() == 2
    page = coordinator.get(reverse("network:organisation_detail", args=[school.pk])).content.decode()
    assert "Mila Mentor" in page
    assert "uitgenodigd" in page
    link = re.search(r"http://testserver(/accounts/invitation/\S+)", delivered()[0].body).group(1)
    visitor = Client()
    form = visitor.get(link, follow=True)
    password = "een lang wachtwoord voor de school"
    visitor.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                 {"new_password1": password, "new_password2": password})
    visitor.post(reverse("accounts:login"), {"username": "mentor@lyceum.nl", "password": password})
    assert visitor.get(reverse("home")).headers["Location"].startswith(reverse("accounts:mfa_setup"))


def test_the_link_expires(coordinator: Client, school: Organisation, settings: object) -> None:
    invite(coordinator, school)
    link = re.search(r"http://testserver(/accounts/invitation/\S+)", delivered()[0].body).group(1)
    with time_machine.travel(timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS + 1)):  # type: ignore[attr-defined]
        page = Client().get(link, follow=True).content.decode()
    assert "new_password1" not in page


def test_an_address_already_in_use_is_refused_and_nothing_is_saved(coordinator: Client, school: Organisation) -> None:
    make_user("mentor", Role.PARTNER, organisation=school)
    response = invite(coordinator, school, email="MENTOR@example.nl")
    assert response.status_code == 422
    assert "al een account" in response.content.decode()
    assert User.objects.filter(email__iexact="mentor@example.nl").count() == 1
    assert delivered() == []


def test_switching_off_ends_the_partners_sessions(coordinator: Client, school: Organisation) -> None:
    mila = make_user("mila", Role.PARTNER, organisation=school)
    session = verified_client(mila)
    assert session.get(reverse("home")).status_code == 200
    assert coordinator.post(reverse("network:partner_switch_off", args=[mila.pk])).status_code == 302
    assert session.get(reverse("home")).status_code == 302
    mila.refresh_from_db()
    assert not mila.is_active


def test_the_coordinator_touches_partner_accounts_only(coordinator: Client, school: Organisation) -> None:
    officer = make_user("wijkagent", Role.CORE_PARTNER, organisation=school)
    both = make_user("beide", Role.PARTNER, Role.CASE_MANAGER, organisation=school)
    for account in (officer, both):
        assert coordinator.post(reverse("network:partner_switch_off", args=[account.pk])).status_code == 404
        assert coordinator.post(reverse("network:partner_reinvite", args=[account.pk])).status_code == 404
    page = coordinator.get(reverse("network:organisation_detail", args=[school.pk])).content.decode()
    assert "Wijkagent" not in page
    assert "Beide" not in page
