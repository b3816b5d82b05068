"""Separation of duties: nobody changes their own roles; a role that sees personal data or oversees others takes
effect only when a second person confirms it (another administrator or the privacy officer, never the one who
asked, never the one who receives it); administrator and privacy officer are never one account's."""

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from netwerkregie.accounts import users as accounts
from netwerkregie.core import grants
from netwerkregie.core.models import AuditEvent, GrantOutcome, RoleAssignment, RoleGrantRequest, User
from netwerkregie.core.roles import Role
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db


def form_for(account: User, roles: list[str]) -> dict[str, object]:
    return {"full_name": account.full_name, "email": account.email,
            "organisation": account.organisation.pk if account.organisation else "", "roles": roles,
            "is_active": "on"}


def ask(account: User, roles: list[str], *, by: User) -> User:
    return accounts.update_user(account, email=account.email, full_name=account.full_name,
                             organisation=account.organisation, roles=roles, is_active=True, actor=by)


def test_the_administrator_cannot_give_itself_a_role(users: dict[str, User],
                                                     client_for: Callable[[str], Client]) -> None:
    arie = users[Role.ADMIN]
    with pytest.raises(ValidationError, match="eigen rollen"):
        ask(arie, [Role.ADMIN, Role.COORDINATOR], by=arie)
    # The red team's request: its own user form with every role that reads and oversees.
    admin = client_for(Role.ADMIN)
    url = reverse("accounts:user_edit", args=[arie.pk])
    page = admin.get(url).content.decode()
    assert "U kunt uw eigen rollen niet wijzigen" in page
    admin.post(url, form_for(arie, [Role.ADMIN, Role.COORDINATOR, Role.PRIVACY_OFFICER]))
    assert User.objects.get(pk=arie.pk).roles == {Role.ADMIN}
    assert not RoleGrantRequest.objects.exists()
    assert admin.get(reverse("intake:triage")).status_code == 404
    assert admin.get(reverse("core:audit_log")).status_code == 404


def test_a_grant_waits_for_a_second_person_and_takes_effect_when_confirmed(
        users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    nora, arie, priya = users["nobody"], users[Role.ADMIN], users[Role.PRIVACY_OFFICER]
    admin = client_for(Role.ADMIN)
    response = admin.post(reverse("accounts:user_edit", args=[nora.pk]), form_for(nora, [Role.COORDINATOR]),
                          follow=True)
    assert "Wacht op bevestiging" in response.content.decode()
    assert User.objects.get(pk=nora.pk).roles == frozenset()
    assert verified_client(nora).get(reverse("intake:triage")).status_code == 404
    grant = RoleGrantRequest.objects.get(user=nora)
    assert (grant.role, grant.requested_by, grant.outcome) == (Role.COORDINATOR, arie, GrantOutcome.PENDING)
    assert AuditEvent.objects.filter(object_id=str(nora.pk), detail__roles_requested=[Role.COORDINATOR]).exists()
    page = admin.get(reverse("accounts:user_edit", args=[nora.pk])).content.decode()  # on the user's page
    assert "wacht op bevestiging" in page
    assert reverse("accounts:role_grant_detail", args=[grant.pk]) in page

    officer = client_for(Role.PRIVACY_OFFICER)
    detail = reverse("accounts:role_grant_detail", args=[grant.pk])
    assert 'value="confirm"' in officer.get(detail).content.decode()
    assert officer.post(detail, {"decision": "confirm"}).status_code == 302
    grant.refresh_from_db()
    assert (grant.outcome, grant.decided_by) == (GrantOutcome.CONFIRMED, priya)
    assert User.objects.get(pk=nora.pk).roles == {Role.COORDINATOR}
    assert verified_client(nora).get(reverse("intake:triage")).status_code == 200
    assert AuditEvent.objects.filter(action="decide", actor=priya, object_id=str(nora.pk),
                                     reason="role grant confirmed", detail__role=Role.COORDINATOR).exists()


def test_the_one_who_asked_and_the_one_who_receives_cannot_confirm(users: dict[str, User],
                                                                   client_for: Callable[[str], Client]) -> None:
    arie = users[Role.ADMIN]
    adam = make_user("adam", Role.ADMIN)
    ask(adam, [Role.ADMIN, Role.COORDINATOR], by=arie)
    grant = RoleGrantRequest.objects.get(user=adam)
    for who in (arie, adam):
        with pytest.raises(ValidationError):
            grants.confirm_grant(grant, actor=who)
    url = reverse("accounts:role_grant_detail", args=[grant.pk])
    page = client_for(Role.ADMIN).get(url).content.decode()
    assert 'value="confirm"' not in page
    assert "U hebt om deze rol gevraagd" in page
    assert client_for(Role.ADMIN).post(url, {"decision": "confirm"}).status_code == 422
    assert verified_client(adam).post(url, {"decision": "confirm"}).status_code == 422
    grant.refresh_from_db()
    assert grant.outcome == GrantOutcome.PENDING
    assert User.objects.get(pk=adam.pk).roles == {Role.ADMIN}
    assert list(grants.to_decide(arie)) == list(grants.to_decide(adam)) == []
    assert list(grants.to_decide(users[Role.PRIVACY_OFFICER])) == [grant]
    # Not even the database takes a grant one asked for oneself.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrantRequest.objects.create(user=arie, role=Role.COORDINATOR, requested_by=arie)


def test_another_administrator_confirms_and_a_refusal_says_why(users: dict[str, User]) -> None:
    arie, nora = users[Role.ADMIN], users["nobody"]
    adam = make_user("adam", Role.ADMIN)
    ask(nora, [Role.CASE_MANAGER, Role.RECIPIENT], by=arie)
    manager = RoleGrantRequest.objects.get(user=nora, role=Role.CASE_MANAGER)
    recipient = RoleGrantRequest.objects.get(user=nora, role=Role.RECIPIENT)
    grants.confirm_grant(manager, actor=adam)
    with pytest.raises(ValidationError, match="Geef aan waarom"):
        grants.refuse_grant(recipient, actor=adam, reason="  ")
    grants.refuse_grant(recipient, actor=adam, reason="Werkt niet bij een ontvangende organisatie.")
    recipient.refresh_from_db()
    assert recipient.outcome == GrantOutcome.REFUSED
    assert recipient.reason.startswith("Werkt niet")
    assert User.objects.get(pk=nora.pk).roles == {Role.CASE_MANAGER}
    with pytest.raises(ValidationError, match="al besloten"):
        grants.confirm_grant(recipient, actor=users[Role.PRIVACY_OFFICER])


def test_a_new_account_holds_the_plain_roles_at_once_and_waits_for_the_others(
        users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    organisation = users[Role.PARTNER].organisation
    client_for(Role.ADMIN).post(reverse("accounts:user_new"), {
        "full_name": "Wim Wijk", "email": "wim@example.nl", "organisation": organisation.pk,
        "roles": [Role.PARTNER, Role.CORE_PARTNER]})
    wim = User.objects.get(email="wim@example.nl")
    assert wim.roles == {Role.PARTNER}
    assert wim.created_by == users[Role.ADMIN]
    assert list(wim.role_grant_requests.values_list("role", "outcome")) == [(Role.CORE_PARTNER, "pending")]
    event = AuditEvent.objects.get(action="create", object_id=str(wim.pk))
    assert event.detail["roles"] == [Role.PARTNER]
    assert event.detail["roles_requested"] == [Role.CORE_PARTNER]


def test_removing_a_role_takes_effect_at_once_and_unticking_a_waiting_one_withdraws_it(
        users: dict[str, User]) -> None:
    arie, carla = users[Role.ADMIN], users[Role.COORDINATOR]
    ask(carla, [Role.COORDINATOR, Role.CASE_MANAGER], by=arie)
    ask(carla, [Role.ANALYST], by=arie)
    assert User.objects.get(pk=carla.pk).roles == {Role.ANALYST}
    assert RoleGrantRequest.objects.get(user=carla).outcome == GrantOutcome.WITHDRAWN
    event = AuditEvent.objects.filter(object_id=str(carla.pk), action="update").latest("sequence")
    assert event.detail["roles_removed"] == [Role.COORDINATOR]
    assert event.detail["roles_withdrawn"] == [
        Role.CASE_MANAGER]


def test_administrator_and_privacy_officer_are_never_one_account(users: dict[str, User],
                                                                 client_for: Callable[[str], Client]) -> None:
    arie, priya = users[Role.ADMIN], users[Role.PRIVACY_OFFICER]
    adam = make_user("adam", Role.ADMIN)
    response = client_for(Role.ADMIN).post(reverse("accounts:user_edit", args=[adam.pk]),
                                           form_for(adam, [Role.ADMIN, Role.PRIVACY_OFFICER]))
    assert response.status_code == 422
    assert "zowel beheerder als functionaris" in response.content.decode()
    with pytest.raises(ValidationError, match="zowel beheerder als functionaris"):
        ask(priya, [Role.PRIVACY_OFFICER, Role.ADMIN], by=arie)
    with pytest.raises(ValidationError, match="zowel beheerder als functionaris"):
        accounts.create_user(email="dubbel@example.nl", full_name="Dubbel", organisation=None,
                          roles=[Role.ADMIN, Role.PRIVACY_OFFICER], actor=arie)
    # A waiting grant cannot make the combination either: one waits for privacy officer, and meanwhile the
    # account became administrator outside this path; confirming is refused.
    nora = users["nobody"]
    ask(nora, [Role.PRIVACY_OFFICER], by=arie)
    with pytest.raises(ValidationError, match="zowel beheerder als functionaris"):
        ask(nora, [Role.PRIVACY_OFFICER, Role.ADMIN], by=adam)  # waiting counts as held
    RoleAssignment.objects.create(user=nora, role=Role.ADMIN)
    with pytest.raises(ValidationError, match="zowel beheerder als functionaris"):
        grants.confirm_grant(RoleGrantRequest.objects.get(user=nora), actor=adam)
    assert User.objects.get(pk=nora.pk).roles == {Role.ADMIN}
    assert not RoleGrantRequest.objects.exclude(outcome=GrantOutcome.PENDING).exists()
    with pytest.raises(CommandError, match="both administrator and data protection officer"):
        call_command("create_user", "beide@example.nl", "--name", "Beide", "--role", "admin", "--role",
                     "privacy_officer", "--password-stdin", stdout=StringIO())


def test_the_first_administrator_and_privacy_officer_come_from_the_command_line(monkeypatch) -> None:
    """A fresh installation: nobody to confirm a grant yet, so the first two accounts are made outside the
    application; from then on the web's rules apply to them as to anyone."""
    monkeypatch.setattr("builtins.input", lambda: "Lindeboom-kade-2026!")
    for email, role in (("beheer@gemeente.test", "admin"), ("fg@gemeente.test", "privacy_officer")):
        call_command("create_user", email, "--name", email.split("@")[0], "--role", role, "--password-stdin",
                     stdout=StringIO())
    admin, officer = User.objects.get(email="beheer@gemeente.test"), User.objects.get(email="fg@gemeente.test")
    assert admin.roles == {Role.ADMIN}
    assert officer.roles == {Role.PRIVACY_OFFICER}
    assert AuditEvent.objects.filter(action="create", actor_label="manage.py create_user").count() == 2
    colleague = accounts.create_user(email="carla@gemeente.test", full_name="Carla", organisation=None,
                                  roles=[Role.COORDINATOR], actor=admin)
    grants.confirm_grant(RoleGrantRequest.objects.get(user=colleague), actor=officer)
    assert User.objects.get(pk=colleague.pk).roles == {Role.COORDINATOR}


def test_nobody_else_reaches_or_decides_a_grant(users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    ask(users["nobody"], [Role.COORDINATOR], by=users[Role.ADMIN])
    grant = RoleGrantRequest.objects.get()
    url = reverse("accounts:role_grant_detail", args=[grant.pk])
    for who in (Role.COORDINATOR, Role.ANALYST, Role.PARTNER, "nobody"):
        assert client_for(who).get(url).status_code == 404, who
        assert client_for(who).post(url, {"decision": "confirm"}).status_code == 404, who
        assert client_for(who).get(reverse("accounts:role_grant_list")).status_code == 404, who
    missing = reverse("accounts:role_grant_detail", args=[grant.pk + 1])
    assert client_for(Role.PRIVACY_OFFICER).get(missing).status_code == 404
    grant.refresh_from_db()
    assert grant.outcome == GrantOutcome.PENDING
    assert User.objects.get(pk=users["nobody"].pk).roles == frozenset()


def test_a_group_at_the_identity_provider_does_not_make_an_administrator_privacy_officer(
        users: dict[str, User], settings: object) -> None:
    from netwerkregie.accounts.oidc import account_for

    settings.OIDC_GROUPS_CLAIM, settings.OIDC_GROUP_ROLES = "groups", {"nr-fg": "privacy_officer"}  # type: ignore
    arie = users[Role.ADMIN]
    User.objects.filter(pk=arie.pk).update(oidc_subject="arie-at-provider")
    account = account_for({"sub": "arie-at-provider", "groups": ["nr-fg"]})
    assert account.roles == {Role.ADMIN}
    assert User.objects.get(pk=arie.pk).roles == {Role.ADMIN}
