"""A way back after a lost phone: backup codes that work once each and are shown once, and the administrator's
reset of a person's second factor."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core import second_factor
from netwerkregie.core.audit_labels import reason_label
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from tests.conftest import PASSWORD, make_user, verified_client
from tests.core.test_accounts import current_code, sign_in
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db

CODE = re.compile(r"<li data-backup-code>([0-9A-Z]{5}-[0-9A-Z]{5})</li>")


def shown_codes(html: str) -> list[str]:
    return CODE.findall(html)


def enrol(client: Client, user: User) -> str:
    """Sign in as a new user, set up the app, follow on to the page after it; returns that page."""
    sign_in(client, user.email)
    client.get(reverse("accounts:mfa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device), "next": "/cases/"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:backup_codes"))
    return client.get(response.headers["Location"]).content.decode()


@pytest.fixture
def newcomer(municipality: object) -> User:
    user = User.objects.create_user("nieuw@example.nl", PASSWORD, full_name="Nieuw Lid")
    user.role_assignments.create(role=Role.CASE_MANAGER)
    return user


def test_enrolment_shows_ten_backup_codes_once_and_never_again(newcomer: User) -> None:
    client = Client()
    page = enrol(client, newcomer)
    codes = shown_codes(page)
    assert len(codes) == len(set(codes)) == 10
    assert "apart van uw telefoon" in page
    assert 'href="/cases/"' in page
    assert second_factor.backup_codes_left(newcomer) == 10
    again = client.get(reverse("accounts:backup_codes")).content.decode()
    assert shown_codes(again) == []
    assert not any(code in again for code in codes)
    assert "10 ongebruikte reservecodes" in again
    assert AuditEvent.objects.filter(action="mfa_enrolled", reason="backup codes made").count() == 1


def test_a_backup_code_signs_in_once_and_the_count_drops(newcomer: User) -> None:
    codes = shown_codes(enrol(Client(), newcomer))
    client = Client()
    sign_in(client, newcomer.email)
    response = client.post(reverse("accounts:mfa_verify"), {"token": codes[0].lower().replace("-", " ")},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "U bent aangemeld met een reservecode" in response.content.decode()
    assert second_factor.backup_codes_left(newcomer) == 9
    assert AuditEvent.objects.filter(action="mfa_verified", reason="backup code used").count() == 1

    again = Client()
    sign_in(again, newcomer.email)
    response = again.post(reverse("accounts:mfa_verify"), {"token": codes[0]})
    assert response.status_code == 200
    assert "Deze reservecode is niet geldig of al gebruikt" in response.content.decode()
    assert again.get(reverse("home")).status_code == 302
    assert second_factor.backup_codes_left(newcomer) == 9


def test_wrong_backup_codes_do_not_hold_the_app_and_a_malformed_code_gets_a_message(newcomer: User) -> None:
    enrol(Client(), newcomer)
    client = Client()
    sign_in(client, newcomer.email)
    response = client.post(reverse("accounts:mfa_verify"), {"token": "BCDFG-HJKLM"})
    assert "niet geldig of al gebruikt" in response.content.decode()
    assert TOTPDevice.objects.get(user=newcomer).throttling_failure_count == 0
    assert StaticDevice.objects.get(user=newcomer).throttling_failure_count == 1
    response = client.post(reverse("accounts:mfa_verify"), {"token": "12ab"})
    assert response.status_code == 200
    assert "of een reservecode van tien" in response.content.decode()


def test_a_new_set_replaces_the_old_one_is_shown_once_and_audited(users: dict[str, User]) -> None:
    coordinator = users[Role.COORDINATOR]
    client = verified_client(coordinator)
    account = client.get(reverse("accounts:account")).content.decode()
    assert 'data-codes-left="0"' in account
    assert "Reservecodes maken" in account
    first = shown_codes(client.get(client.post(reverse("accounts:backup_codes")).headers["Location"]).content.decode())
    second = shown_codes(client.get(client.post(reverse("accounts:backup_codes")).headers["Location"]).content.decode())
    assert len(first) == len(second) == 10
    assert not set(first) & set(second)
    stored = set(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in second}
    made = AuditEvent.objects.filter(action="mfa_enrolled", reason="backup codes made").order_by("sequence")
    assert [event.detail["replaced"] for event in made] == [0, 10]

    signing_in = Client()
    sign_in(signing_in, coordinator.email)
    assert "niet geldig" in signing_in.post(reverse("accounts:mfa_verify"), {"token": first[0]}).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # django-otp holds a second after a wrong one
        response = signing_in.post(reverse("accounts:mfa_verify"), {"token": second[0]})
    assert response.status_code == 302


def test_my_account_warns_when_few_codes_are_left(users: dict[str, User]) -> None:
    coordinator = users[Role.COORDINATOR]
    client = verified_client(coordinator)
    codes = shown_codes(client.get(client.post(reverse("accounts:backup_codes")).headers["Location"]).content.decode())
    StaticToken.objects.filter(device__user=coordinator).exclude(token__in=[c.replace("-", "") for c in codes[:2]]) \
        .delete()
    account = client.get(reverse("accounts:account")).content.decode()
    assert 'data-codes-left="2"' in account
    assert "Er zijn nog maar 2 reservecodes over" in account
    signing_in = Client()
    sign_in(signing_in, coordinator.email)
    page = signing_in.post(reverse("accounts:mfa_verify"), {"token": codes[0]}, follow=True).content.decode()
    assert "nog 1 reservecode over" in page
    assert "Maak een nieuwe set" in page


def test_an_app_user_without_codes_is_told_after_sign_in(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "carla@example.nl")
    device = TOTPDevice.objects.get(user=users[Role.COORDINATOR])
    page = client.post(reverse("accounts:mfa_verify"), {"token": current_code(device)}, follow=True).content.decode()
    assert "U hebt nog geen reservecodes" in page


def test_codes_are_made_only_after_the_second_step(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "anna@example.nl")  # the analyst's role needs no second step; she has an app, unverified
    response = client.post(reverse("accounts:backup_codes"))
    assert response.status_code == 302
    assert not StaticToken.objects.exists()


def test_the_administrator_resets_a_second_factor_audited_mailed_and_enrolled_again(
        users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    coordinator = users[Role.COORDINATOR]
    second_factor.make_backup_codes(coordinator, actor=coordinator)
    admin = client_for(Role.ADMIN)
    page = admin.get(reverse("accounts:user_edit", args=[coordinator.pk])).content.decode()
    assert reverse("accounts:user_reset_second_factor", args=[coordinator.pk]) in page
    assert "10 reservecodes" in page
    url = reverse("accounts:user_reset_second_factor", args=[coordinator.pk])
    response = admin.post(url, {"reason": "  "}, follow=True)
    assert "Geef de reden" in response.content.decode()
    assert TOTPDevice.objects.filter(user=coordinator).exists()

    response = admin.post(url, {"reason": "Telefoon verloren, telefonisch gesproken"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not StaticDevice.objects.filter(user=coordinator).exists()
    event = AuditEvent.objects.get(action="delete", object_type="core.user", object_id=str(coordinator.pk))
    assert event.actor == users[Role.ADMIN]
    assert event.detail == {"devices": 2}
    assert event.reason == "second factor reset: Telefoon verloren, telefonisch gesproken"
    assert reason_label(event.reason) == "tweede factor hersteld: Telefoon verloren, telefonisch gesproken"
    [message] = delivered()
    assert message.to == [coordinator.email]
    assert "opnieuw" in message.body
    assert "Telefoon verloren" not in message.body
    assert str(users[Role.ADMIN].email) not in message.body

    client = Client()
    sign_in(client, coordinator.email)
    assert client.get(reverse("home")).headers["Location"].startswith(reverse("accounts:mfa_setup"))


def test_an_open_session_of_the_person_loses_its_second_factor_at_the_reset(
        users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    coordinator = users[Role.COORDINATOR]
    session = verified_client(coordinator)
    assert session.get(reverse("home")).status_code == 200
    second_factor.reset_second_factor(coordinator, actor=users[Role.ADMIN], reason="Telefoon gestolen")
    assert session.get(reverse("home")).headers["Location"].startswith(reverse("accounts:mfa_setup"))


def test_an_administrator_cannot_reset_their_own_second_factor(users: dict[str, User]) -> None:
    admin_user = users[Role.ADMIN]
    client = verified_client(admin_user)
    page = client.get(reverse("accounts:user_edit", args=[admin_user.pk])).content.decode()
    assert reverse("accounts:user_reset_second_factor", args=[admin_user.pk]) not in page
    assert "U kunt uw eigen tweede factor niet herstellen" in page
    response = client.post(reverse("accounts:user_reset_second_factor", args=[admin_user.pk]), {"reason": "kwijt"},
                           follow=True)
    assert "U kunt uw eigen tweede factor niet herstellen" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    assert not delivered()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_another_administrator_resets_an_administrator(users: dict[str, User]) -> None:
    second_admin = make_user("bea", Role.ADMIN)
    client = verified_client(second_admin)
    response = client.post(reverse("accounts:user_reset_second_factor", args=[users[Role.ADMIN].pk]),
                           {"reason": "Nieuwe telefoon"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users[Role.ADMIN]).exists()


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.PARTNER])
def test_no_one_but_an_administrator_reaches_the_reset(
        role: str, users: dict[str, User], client_for: Callable[[str], Client]) -> None:
    target = users[Role.CASE_MANAGER]
    response = client_for(role).post(reverse("accounts:user_reset_second_factor", args=[target.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not delivered()


def test_a_backup_code_works_only_for_its_own_account(users: dict[str, User]) -> None:
    carla, cas = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    carlas = second_factor.make_backup_codes(carla, actor=carla)
    second_factor.make_backup_codes(cas, actor=cas)
    client = Client()
    sign_in(client, cas.email)
    assert "niet geldig" in client.post(reverse("accounts:mfa_verify"), {"token": carlas[0]}).content.decode()
    assert second_factor.backup_codes_left(carla) == second_factor.backup_codes_left(cas) == 10
    device = second_factor.backup_device(carla)
    assert second_factor.verify_backup_code(device, carlas[1].replace("-", "")) is True
    assert second_factor.verify_backup_code(device, carlas[1].replace("-", "")) is False


def _move_address(account: User, *, actor: User, email: str) -> None:
    from netwerkregie.accounts import users as accounts

    accounts.update_user(account, email=email, full_name=account.full_name, organisation=account.organisation,
                         roles=sorted(account.roles), is_active=True, actor=actor)


def test_one_administrator_cannot_move_an_account_to_their_own_address_and_remove_its_second_factor(
        users: dict[str, User]) -> None:
    from django.core.exceptions import ValidationError

    coordinator, admin_user, other_admin = users[Role.COORDINATOR], users[Role.ADMIN], make_user("bea", Role.ADMIN)
    _move_address(coordinator, actor=admin_user, email="beheerder-prive@example.org")
    with pytest.raises(ValidationError, match="een andere beheerder herstelt de tweede factor"):
        second_factor.reset_second_factor(coordinator, actor=admin_user, reason="Telefoon kwijt")
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    second_factor.reset_second_factor(coordinator, actor=other_admin, reason="Telefoon kwijt")  # a second person
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_one_administrator_cannot_remove_a_second_factor_and_then_move_the_account(users: dict[str, User]) -> None:
    from django.core.exceptions import ValidationError

    coordinator, admin_user = users[Role.COORDINATOR], users[Role.ADMIN]
    second_factor.reset_second_factor(coordinator, actor=admin_user, reason="Telefoon kwijt")
    with pytest.raises(ValidationError, match="een andere beheerder wijzigt het e-mailadres"):
        _move_address(coordinator, actor=admin_user, email="beheerder-prive@example.org")
    coordinator.refresh_from_db()
    assert coordinator.email != "beheerder-prive@example.org"
    _move_address(coordinator, actor=make_user("bea", Role.ADMIN), email="nieuw-adres@example.org")
