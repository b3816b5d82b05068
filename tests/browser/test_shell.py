"""Sign in with TOTP, move through the shell, and let axe check every page on the way."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(page: Page, base: str, user: User, *, audit: bool = True) -> None:
    """Sign in through the form; `audit=False` where scripts are off (axe itself is a script)."""
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    if audit:
        assert_accessible(page)
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if user.requires_mfa:
        expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
        if audit:
            assert_accessible(page)
        page.get_by_label("Zescijferige code").fill(code_for(user))
        page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")


def visit_every_menu_item(page: Page) -> list[str]:
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    labels = [link.inner_text() for link in nav.get_by_role("link").all()]
    for label in labels:
        page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name=label).click()
        expect(page.locator("main h1")).to_be_visible()
        assert_accessible(page)
    return labels


@pytest.mark.parametrize(
    ("role", "expected_menu"),
    [
        (Role.PRIVACY_OFFICER, ["Vandaag", "Cijfers", "Auditlog", "Privacy", "Toegangscontrole", "AVG-verzoeken",
                                "Verstrekkingen", "Roltoekenningen", "Mijn account"]),
        (Role.RECIPIENT, ["Vandaag", "Verwijzingen", "Mijn account"]),
        (Role.ADMIN, ["Vandaag", "Gebruikers", "Catalogi", "Mijn account"]),
        (Role.COORDINATOR, ["Vandaag", "Triage", "Weging", "Casussen", "Casusoverleg", "Consulten", "Netwerk",
                            "Preventie", "Cijfers", "Zoeken", "Mijn account"]),
        (Role.PARTNER, ["Vandaag", "Casussen", "Nieuw signaal", "Mijn signalen", "Consulten", "Partners",
                        "Preventie", "Mijn account"]),
        (Role.CASE_MANAGER, ["Vandaag", "Casussen", "Casusoverleg", "Zoeken", "Mijn account"]),
        (Role.PROGRAMME_OFFICER, ["Vandaag", "Netwerk", "Preventie", "Budget", "Cijfers", "Mijn account"]),
        (Role.ANALYST, ["Vandaag", "Cijfers", "Mijn account"]),
    ],
)
def test_each_role_signs_in_and_walks_its_menu(
    page: Page, live_server: object, role: str, expected_menu: list[str]
) -> None:
    user = make_user(f"browser-{role}", role)
    sign_in(page, live_server.url, user)  # type: ignore[attr-defined]
    assert_accessible(page)
    assert visit_every_menu_item(page) == expected_menu
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(actor=user, action="login").exists()


def test_the_privacy_officer_asks_for_a_verification_and_watches_it_and_filters_without_a_reload(
    page: Page, live_server: object, settings: object
) -> None:
    from apscheduler.schedulers.background import BackgroundScheduler
    from django.utils import timezone

    from netwerkregie.ops import jobs
    from netwerkregie.ops.models import JobRun

    settings.BACKUP_ENCRYPTION_KEY = ""  # type: ignore[attr-defined]
    for job in ("purge", "verify_audit"):  # done last night: the scheduler below only takes up the request
        JobRun.objects.create(job=job, ok=True, finished_at=timezone.now(), figures={"events": 0, "witnessed": 0})
    officer = make_user("browser-privacy", Role.PRIVACY_OFFICER)
    sign_in(page, live_server.url, officer)  # type: ignore[attr-defined]
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Auditlog").click()
    page.get_by_role("link", name="Integriteit van de keten").click()
    page.evaluate("window.__same_document = true")
    page.get_by_role("button", name="Nu controleren").click()
    expect(page.locator('[data-verification="queued"]')).to_contain_text("aangevraagd")
    assert_accessible(page)
    scheduler = jobs.Leader(holder="browser", scheduler=BackgroundScheduler())
    assert scheduler.try_to_lead()
    try:  # the page asks every two seconds; the scheduler takes the request up at its first tick
        expect(page.locator('[data-verification="intact"]')).to_contain_text("intact", timeout=20_000)
    finally:
        scheduler.stop()
    assert page.evaluate("window.__same_document") is True
    page.get_by_role("link", name="Terug naar het auditlog").click()
    page.evaluate("window.__same_document = true")
    page.get_by_label("Handeling").select_option("mfa_verified")
    page.get_by_role("button", name="Filter toepassen").click()
    expect(page.locator("#audit-results")).to_contain_text("1 logregel")
    assert page.evaluate("window.__same_document") is True  # htmx swapped, no reload
    assert "action=mfa_verified" in page.url
    assert_accessible(page)
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_keyboard_users_can_skip_to_the_content(page: Page, live_server: object) -> None:
    user = make_user("browser-keyboard", Role.ANALYST)
    sign_in(page, live_server.url, user)  # type: ignore[attr-defined]
    page.reload()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_interface_switches_to_english(page: Page, live_server: object) -> None:
    user = make_user("browser-english", Role.ANALYST)
    sign_in(page, live_server.url, user)  # type: ignore[attr-defined]
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wisselen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_it_works_without_javascript(browser: object, live_server: object) -> None:
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page = context.new_page()
    officer = make_user("browser-nojs", Role.PRIVACY_OFFICER)
    sign_in(page, live_server.url, officer, audit=False)  # type: ignore[attr-defined]
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Auditlog").click()
    page.get_by_role("link", name="Integriteit van de keten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integriteit van de keten")
    page.get_by_role("button", name="Nu controleren").click()  # a plain form: asks the scheduler, comes back
    expect(page.locator("main")).to_contain_text("Controle aangevraagd")
    expect(page.locator('[data-verification="queued"]')).to_be_visible()
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    context.close()


def test_a_new_user_enrols_the_authenticator_in_the_browser(page: Page, live_server: object) -> None:
    user = User.objects.create_user("browser-new@example.nl", PASSWORD, full_name="Nieuwe Gebruiker")
    user.role_assignments.create(role=Role.CASE_MANAGER)
    page.goto(live_server.url + "/")  # type: ignore[attr-defined]
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator-app instellen")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Zescijferige code").fill(code_for(user))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("status")).to_contain_text("ingesteld")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw reservecodes")  # shown once, then on
    page.get_by_role("link", name="Ik heb de codes bewaard: verder").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
