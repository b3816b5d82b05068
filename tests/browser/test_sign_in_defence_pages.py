"""The pages of the sign-in defences in real Chromium, as the person who meets them: the lockout page, the
second step while wrong codes hold it, and the administrator's user page with a blocked account. Each is
checked with axe-core and photographed under ``var/screenshots/<role>/``."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import code_for, sign_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def shoot(page: Page, role: str, name: str) -> None:
    folder = SCREENSHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def test_the_lockout_page_tells_what_happened_and_the_way_in(page: Page, live_server: object,
                                                              users: dict[str, User]) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    for n in range(5):  # someone elsewhere guesses Paul's password
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post("/accounts/login/", {"username": "paul@example.nl",
                                                                            "password": "wrong password"})
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mailadres").fill("paul@example.nl")
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen tijdelijk geblokkeerd")
    expect(page.get_by_role("alert")).to_contain_text("30 minuten")
    assert_accessible(page)
    shoot(page, "anonymous", "locked-out")
    page.get_by_role("link", name="Nieuw wachtwoord kiezen via e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord herstellen")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_the_second_step_says_why_a_code_is_refused(page: Page, live_server: object,
                                                     users: dict[str, User]) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    carla = users[Role.COORDINATOR]
    TOTPDevice.objects.filter(user=carla).update(throttling_failure_count=8,
                                                 throttling_failure_timestamp=timezone.now())
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(carla.email)
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Zescijferige code").fill(code_for(carla))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert")).to_contain_text("te veel onjuiste codes")
    assert_accessible(page)
    shoot(page, "coordinator", "mfa-held")
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_the_administrator_sees_a_blocked_account_and_lifts_the_block(page: Page, live_server: object,
                                                                      users: dict[str, User]) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    petra = users[Role.PARTNER]
    for n in range(5):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post("/accounts/login/", {"username": petra.email,
                                                                            "password": "wrong password"})
    sign_in(page, base, users[Role.ADMIN], audit=False)
    page.goto(f"{base}/beheer/gebruikers/{petra.pk}/")
    expect(page.get_by_text("recent 5 keer een onjuist wachtwoord")).to_be_visible()
    assert_accessible(page)
    shoot(page, "admin", "user-blocked")
    page.get_by_role("button", name="Inlogblokkade opheffen").click()
    expect(page.get_by_text("kan weer inloggen met een wachtwoord")).to_be_visible()
    expect(page.get_by_role("button", name="Inlogblokkade opheffen")).to_have_count(0)
    assert page.csp_violations == []  # type: ignore[attr-defined]
