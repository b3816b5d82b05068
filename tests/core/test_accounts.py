from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie import settings as production_settings
from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from tests.conftest import PASSWORD, make_user
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))


def test_it_signs_in_by_email_in_any_case(users: dict[str, User]) -> None:
    client = Client()
    response = sign_in(client, "PAUL@Example.NL")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    login = AuditEvent.objects.get(action="login")
    assert login.actor == users[Role.PROGRAMME_OFFICER]
    assert login.source_address == "127.0.0.1"


def test_it_sends_a_role_with_personal_data_to_the_second_step(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "carla@example.nl")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:mfa_verify"))


def test_it_refuses_a_wrong_code_and_accepts_the_right_one(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "carla@example.nl")
    device = TOTPDevice.objects.get(user=users[Role.COORDINATOR])
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:mfa_verify"), {"token": wrong})
    assert response.status_code == 200
    assert "niet geldig" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:mfa_verify"), {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert actions()[-2:] == ["mfa_failed", "mfa_verified"]


def test_it_rejects_a_malformed_code_with_a_message(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "carla@example.nl")
    response = client.post(reverse("accounts:mfa_verify"), {"token": "12ab"})
    assert "Vul de zes cijfers in" in response.content.decode()


def test_a_new_user_enrols_an_authenticator_app(municipality: object) -> None:
    user = User.objects.create_user("nieuw@example.nl", PASSWORD, full_name="Nieuw")
    user.role_assignments.create(role=Role.CASE_MANAGER)
    client = Client()
    sign_in(client, "nieuw@example.nl")
    response = client.get(reverse("home"))
    assert response.headers["Location"].startswith(reverse("accounts:mfa_setup"))
    page = client.get(reverse("accounts:mfa_setup"))
    assert b"data:image/svg+xml;base64," in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:mfa_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert "mfa_enrolled" in actions()


def test_a_role_without_personal_data_needs_no_second_step(users: dict[str, User]) -> None:
    client = Client()
    sign_in(client, "anna@example.nl")
    assert client.get(reverse("home")).status_code == 200


def test_it_shows_the_current_code_only_in_demo_mode(users: dict[str, User], settings: object) -> None:
    client = Client()
    sign_in(client, "carla@example.nl")
    assert b"nr-demo-code" not in client.get(reverse("accounts:mfa_verify")).content
    settings.DEMO = True  # type: ignore[attr-defined]
    device = TOTPDevice.objects.get(user=users[Role.COORDINATOR])
    page = client.get(reverse("accounts:mfa_verify")).content.decode()
    assert f'<strong class="nr-demo-code">{current_code(device)}</strong>' in page


def test_a_second_demo_sign_in_within_the_same_30_seconds_gets_a_code_that_works(
        users: dict[str, User], settings: object) -> None:
    settings.DEMO = True  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now().replace(second=5, microsecond=0), tick=False):
        codes = []
        for _ in range(2):
            client = Client()
            sign_in(client, "carla@example.nl")
            page = client.get(reverse("accounts:mfa_verify")).content.decode()
            codes.append(page.split('class="nr-demo-code">')[1].split("<")[0])
            response = client.post(reverse("accounts:mfa_verify"), {"token": codes[-1]})
            assert response.status_code == 302, codes
            assert client.get(reverse("home")).status_code == 200
        assert codes[0] != codes[1]  # the first code was used up; the demo shows the next one


def test_it_locks_an_account_after_repeated_failures(users: dict[str, User]) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "paul@example.nl", "wrong password")
    response = sign_in(client, "paul@example.nl")  # even the right password is refused now
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert actions().count("login_failed") >= 5
    assert "lockout" in actions()


def test_it_signs_out_an_idle_session_after_fifteen_minutes(users: dict[str, User]) -> None:
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, "paul@example.nl")
        clock.shift(timedelta(minutes=14))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=14))  # active 14 minutes ago: still signed in
        assert client.get(reverse("home")).status_code == 200
        clock.shift(timedelta(minutes=16))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_passwords_are_hashed_with_argon2_in_production_settings(settings: object) -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS  # type: ignore[attr-defined]
    user = make_user("argon")
    assert user.password.startswith("argon2")


def test_a_user_changes_the_password_and_it_is_audited(client_for: object, users: dict) -> None:
    client = client_for(Role.ANALYST)  # type: ignore[operator]
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": "nope", "new_password1": "x", "new_password2": "x"})
    assert bad.status_code == 200
    assert "oude wachtwoord is niet juist" in bad.content.decode()
    new = "a-much-longer-new-secret-42"
    response = client.post(
        url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    users[Role.ANALYST].refresh_from_db()
    assert users[Role.ANALYST].check_password(new)
    assert "password_changed" in actions()


def test_a_user_resets_a_forgotten_password_by_mail(users: dict[str, User]) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "anna@example.nl"})
    client.post(reverse("accounts:password_reset"), {"email": "unknown@example.nl"})
    assert len(delivered()) == 1
    link = next(line for line in delivered()[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    new = "another-long-new-secret-77"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    users[Role.ANALYST].refresh_from_db()
    assert users[Role.ANALYST].check_password(new)
    assert "password_reset" in actions()


def test_signing_out_is_audited_and_ends_the_session(client_for: object) -> None:
    client = client_for(Role.ANALYST)  # type: ignore[operator]
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert actions()[-1] == "logout"
