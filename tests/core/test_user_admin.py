"""The administrator manages accounts and roles in the interface; a new person chooses a password
through an invitation that expires and works once; every change is audited."""

import re
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db
STRONG = "Lindeboom-kade-2026!"


@pytest.fixture
def school(db: None) -> Organisation:
    return Organisation.objects.create(name="Het Gouda Lyceum", sector=Sector.SCHOOL)


def invite_link() -> str:
    return re.search(r"https?://\S+/accounts/invitation/\S+/", delivered()[-1].body).group(0)


def test_the_administrator_invites_a_mentor_who_sets_a_password_and_then_a_second_factor(
        client_for: Callable[[str], Client], users: dict[str, User], school: Organisation) -> None:
    admin = client_for(Role.ADMIN)
    response = admin.post(reverse("accounts:user_new"), {"full_name": "Mila Mentor", "email": " Mila@Lyceum.NL ",
                                                     "organisation": school.pk, "roles": ["partner"]})
    mila = User.objects.get(email="mila@lyceum.nl")
    assert response.status_code == 302
    assert not mila.has_usable_password()
    assert mila.roles == {"partner"}
    assert delivered()[-1].to == ["mila@lyceum.nl"]
    assert "7 dagen" in delivered()[-1].body
    assert AuditEvent.objects.filter(action="create", object_type="core.user", object_id=str(mila.pk),
                                     detail__roles=["partner"]).exists()
    link = invite_link()
    visitor = Client()
    form = visitor.get(link, follow=True)
    assert "Welkom bij Netwerkregie" in form.content.decode()
    assert "new_password1" in form.content.decode()
    done = visitor.post(form.redirect_chain[-1][0] if form.redirect_chain else link,
                        {"new_password1": STRONG, "new_password2": STRONG}, follow=True)
    assert done.status_code == 200
    assert User.objects.get(pk=mila.pk).check_password(STRONG)
    assert "niet meer geldig" in Client().get(link, follow=True).content.decode()  # it worked once
    signed_in = Client()
    signed_in.post(reverse("accounts:login"), {"username": "mila@lyceum.nl", "password": STRONG})
    assert signed_in.get(reverse("home")).url.startswith(reverse("accounts:mfa_setup"))  # a second factor next


def test_an_invitation_expires(client_for: Callable[[str], Client], school: Organisation, settings: object) -> None:
    client_for(Role.ADMIN).post(reverse("accounts:user_new"), {"full_name": "Tom Traag", "email": "tom@lyceum.nl",
                                                           "organisation": school.pk, "roles": ["partner"]})
    link = invite_link()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        assert "niet meer geldig" in Client().get(link, follow=True).content.decode()


def test_roles_change_deactivation_ends_access_and_everything_is_audited(
        client_for: Callable[[str], Client], users: dict[str, User]) -> None:
    admin = client_for(Role.ADMIN)
    partner = users[Role.PARTNER]
    partner_client = client_for(Role.PARTNER)
    assert partner_client.get(reverse("intake:signal_new")).status_code == 200
    url = reverse("accounts:user_edit", args=[partner.pk])
    post = {"full_name": partner.full_name, "email": partner.email, "organisation": partner.organisation.pk,
            "roles": ["partner", "programme_officer"], "is_active": "on"}  # a role that needs no second person
    assert admin.post(url, post).status_code == 302
    assert User.objects.get(pk=partner.pk).roles == {"partner", "programme_officer"}
    event = AuditEvent.objects.filter(action="update", object_id=str(partner.pk)).latest("sequence")
    assert event.detail["roles_added"] == ["programme_officer"]
    assert event.detail["roles_removed"] == []
    assert admin.post(url, {**post, "is_active": ""}).status_code == 302
    assert partner_client.get(reverse("intake:signal_new")).status_code == 302  # signed out at the next request
    assert AuditEvent.objects.filter(action="update", object_id=str(partner.pk),
                                     detail__changed__is_active=["True", "False"]).exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"roles": []}, "roles"),
    ({"email": "carla@example.nl"}, "email"),
    ({"organisation": ""}, "organisation"),  # a partner works for an organisation
    ({"email": "geen-adres"}, "email"),
])
def test_bad_accounts_are_refused_with_a_message_and_nothing_saved(
        client_for: Callable[[str], Client], school: Organisation, changes: dict, field: str) -> None:
    post = {"full_name": "Nina Nieuw", "email": "nina@lyceum.nl", "organisation": school.pk, "roles": ["partner"]}
    response = client_for(Role.ADMIN).post(reverse("accounts:user_new"), {**post, **changes})
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not User.objects.filter(full_name="Nina Nieuw").exists()
    assert not delivered()


def test_the_administrator_cannot_lock_themselves_out(client_for: Callable[[str], Client],
                                                      users: dict[str, User]) -> None:
    admin = users[Role.ADMIN]
    response = client_for(Role.ADMIN).post(reverse("accounts:user_edit", args=[admin.pk]), {
        "full_name": admin.full_name, "email": admin.email, "roles": ["admin"], "is_active": ""})
    assert response.status_code == 422
    assert User.objects.get(pk=admin.pk).is_active
