"""In Chromium: enrolment shows the backup codes once, a backup code signs in once, and the administrator's reset
and the privacy officer's view of it; axe on each page, screenshots in var/screenshots/backup-codes/."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from netwerkregie.core import second_factor
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import code_for, sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "backup-codes"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def password_step(page: Page, base: str, user: User) -> None:
    page.goto(base + "/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_enrolment_shows_the_codes_once_and_one_signs_in_once(page: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    user = User.objects.create_user("reserve@example.nl", PASSWORD, full_name="Rianne Reserve")
    user.role_assignments.create(role=Role.CASE_MANAGER)
    password_step(page, base, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator-app instellen")
    page.get_by_label("Zescijferige code").fill(code_for(user))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw reservecodes")
    expect(page.get_by_role("status")).to_contain_text("ingesteld")
    expect(page.get_by_role("button", name="Codes printen")).to_be_visible()  # shown by its script (no inline JS)
    codes = page.locator("[data-backup-code]").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code) for code in codes)
    assert_accessible(page)
    shoot(page, "codes-after-enrolment")
    page.reload()
    expect(page.locator("[data-backup-code]")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("10 ongebruikte reservecodes")
    page.get_by_role("link", name="Verder", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")

    page.get_by_role("button", name="Uitloggen").click()
    password_step(page, base, user)
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
    expect(page.locator("main")).to_contain_text("reservecodes in")
    page.get_by_label("reservecode").fill(codes[0].lower())
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
    expect(page.get_by_role("status")).to_contain_text("nog 9 reservecodes over")
    assert_accessible(page)
    page.goto(base + "/accounts/")
    expect(page.locator("[data-codes-left]")).to_have_text("nog 9 over")
    assert_accessible(page)
    shoot(page, "my-account")

    page.get_by_role("button", name="Uitloggen").click()
    password_step(page, base, user)
    page.get_by_label("reservecode").fill(codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Deze reservecode is niet geldig of al gebruikt.", exact=True)).to_be_visible()
    assert_accessible(page)
    shoot(page, "used-code-refused")
    assert second_factor.backup_codes_left(user) == 9


def test_the_administrator_resets_and_the_privacy_officer_sees_it(page: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    admin = make_user("arie", Role.ADMIN)
    privacy = make_user("priya", Role.PRIVACY_OFFICER)
    carla = make_user("carla", Role.COORDINATOR)
    second_factor.make_backup_codes(carla, actor=carla)
    sign_in(page, base, admin)
    page.goto(base + f"/beheer/gebruikers/{carla.pk}/")
    expect(page.locator("main")).to_contain_text("10 reservecodes over")
    assert_accessible(page)
    shoot(page, "user-page-with-reset")
    page.get_by_label("Reden van het herstel").fill("Telefoon verloren; telefonisch gesproken")
    page.get_by_role("button", name="Tweede factor herstellen").click()
    expect(page.get_by_role("status")).to_contain_text("hersteld")
    expect(page.locator("main")).to_contain_text("niet ingesteld")
    assert_accessible(page)
    shoot(page, "user-page-after-reset")
    page.goto(base + f"/beheer/gebruikers/{admin.pk}/")
    expect(page.locator("main")).to_contain_text("U kunt uw eigen tweede factor niet herstellen")
    expect(page.get_by_role("button", name="Tweede factor herstellen")).to_have_count(0)

    page.get_by_role("button", name="Uitloggen").click()
    sign_in(page, base, privacy)
    card = page.locator("section", has=page.get_by_role("heading", name="Herstelde tweede factoren"))
    expect(card.locator('[data-figure="second-factor-resets"] .nr-figure__number')).to_have_text("1")
    expect(card).to_contain_text("Carla, hersteld door Arie")
    assert_accessible(page)
    shoot(page, "privacy-vandaag")
