"""A referral can only be answered by an organisation with an active receiving account: the form says which
organisations have none, and whom to ask for one."""

import pytest
from django.urls import reverse

from netwerkregie.core.models import RoleAssignment
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.sharing.answerable import unanswerable
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client
from tests.sharing_helpers import receiving_organisation

pytestmark = pytest.mark.django_db
MARK = "(niemand kan er nog antwoorden)"


@pytest.fixture
def youth_care() -> Organisation:
    return Organisation.objects.create(name="Jeugdzorg Regio", sector=Sector.CARE)


def form_page(users, **post: str):
    url = reverse("sharing:refer_case", args=[decided_case(users, "Rosa Regulier").reference])
    client = verified_client(users[Role.CASE_MANAGER])
    return client.post(url, post) if post else client.get(url)


def test_the_warning_shows_for_an_organisation_without_an_active_receiving_user(users, youth_care) -> None:
    exit_programme = receiving_organisation(users)  # the recipient fixture user works there
    page = form_page(users)
    html = page.content.decode()
    assert youth_care in page.context["unanswerable"]
    assert exit_programme not in page.context["unanswerable"]
    assert f"Jeugdzorg Regio {MARK}" in html
    assert f"Exitprogramma Nieuwe Koers {MARK}" not in html
    assert "Vraag de beheerder" in html
    assert users[Role.ADMIN].full_name in html
    chosen = form_page(users, organisation=str(youth_care.pk))
    assert chosen.context["chosen_unanswerable"] == youth_care
    assert "Niemand bij Jeugdzorg Regio kan al antwoorden op een verwijzing" in chosen.content.decode()
    assert form_page(users, organisation=str(exit_programme.pk)).context["chosen_unanswerable"] is None


def test_a_switched_off_or_not_yet_activated_account_does_not_answer(users, youth_care) -> None:
    staff = make_user("ruben", Role.RECIPIENT, organisation=youth_care)
    assert unanswerable([youth_care]) == []
    staff.set_unusable_password()  # an invitation not yet taken up
    staff.save()
    assert unanswerable([youth_care]) == [youth_care]
    staff.set_password("een lang wachtwoord")
    staff.is_active = False
    staff.save()
    assert unanswerable([youth_care]) == [youth_care]
    partner_only = make_user("pieter", Role.PARTNER, organisation=youth_care)
    assert partner_only.is_active
    assert unanswerable([youth_care]) == [youth_care]


def test_the_administrator_is_offered_the_invitation(users, youth_care) -> None:
    manager = users[Role.CASE_MANAGER]
    RoleAssignment.objects.create(user=manager, role=Role.ADMIN)
    page = form_page(users)
    assert reverse("accounts:user_new") in page.content.decode()
    assert "Vraag de beheerder" not in page.content.decode()
