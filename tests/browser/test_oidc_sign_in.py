"""Signing in through a real OpenID Connect provider in Chromium: the provider's own sign-in form, back
to Netwerkregie; refused for an unknown subject; Netwerkregie's TOTP after a provider without MFA; a
tampered state or nonce refused. Every Netwerkregie page on the way is axe-clean and CSP-clean."""

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import Page, Route, expect

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from tests.browser.conftest import assert_accessible
from tests.conftest import make_user
from tests.core.test_accounts import current_code
from tests.oidc import ACCOUNTS, PASSWORD, Provider, configure, running_provider, sign_in_at_provider, with_query

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "oidc"


@pytest.fixture(scope="module")
def provider(live_server: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    callback = live_server.url + "/accounts/oidc/callback/"  # type: ignore[attr-defined]
    with running_provider(tmp_path_factory.mktemp("oidc-browser"), [callback]) as running:
        yield running


@pytest.fixture
def base(settings: object, provider: Provider, live_server: object) -> str:
    configure(settings, provider)
    return live_server.url  # type: ignore[attr-defined]


def pre_registered(subject: str, role: str) -> object:
    user = make_user(subject.split("-")[-1], role)
    user.oidc_subject, user.email = subject, ACCOUNTS[subject]["email"]
    user.save()
    return user


def through_the_provider(page: Page, base: str, subject: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen via Testgemeente ID").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test identity provider")
    page.get_by_label("Username").fill(subject)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_coordinator_signs_in_through_the_provider_whose_mfa_counts(page: Page, base: str) -> None:
    carla = pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    through_the_provider(page, base, "staff-7f3a-coordinator")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
    assert "/accounts/mfa/" not in page.url
    assert_accessible(page)
    page.goto(base + "/accounts/")
    expect(page.locator("main")).to_contain_text("bevestigd door de identiteitsprovider")
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="login", actor=carla, reason="identity provider accepted").count() == 1


def test_signing_out_ends_the_session_at_the_provider_too(page: Page, base: str) -> None:
    """A shared PC: after one person signs out, the next is asked to sign in at the provider, not let in."""
    carla = pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    through_the_provider(page, base, "staff-7f3a-coordinator")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
    page.get_by_role("button", name="Uitloggen").click()
    # The provider's own page asks to confirm, then sends the browser back to Netwerkregie's sign-in page.
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider: sign out")
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(base + "/accounts/login/")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "signed-out-at-the-provider.png"), full_page=True)
    page.get_by_role("link", name="Inloggen via Testgemeente ID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider: sign in")
    expect(page.get_by_label("Password")).to_be_visible()
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(action="logout", actor=carla).count() == 1


def test_an_unknown_subject_is_refused(page: Page, base: str) -> None:
    through_the_provider(page, base, "staff-22de-stranger")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden is niet gelukt")
    expect(page.get_by_role("alert")).to_contain_text("niet bekend in Netwerkregie")
    expect(page.locator("main")).to_contain_text("staff-22de-stranger")
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar de aanmeldpagina").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_without_mfa_at_the_provider_netwerkregies_totp_follows(page: Page, base: str) -> None:
    cas = pre_registered("staff-91bc-case-manager", Role.CASE_MANAGER)
    through_the_provider(page, base, "staff-91bc-case-manager")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/"))
    assert_accessible(page)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.get_by_label("Zescijferige code").fill(current_code(TOTPDevice.objects.get(user=cas)))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")


def test_a_state_from_another_session_is_refused(page: Page, base: str) -> None:
    """Login CSRF / code injection: an attacker signs in at the provider in a flow of their own and lets the
    victim's browser open the callback. The victim's session never issued that state."""
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)
    host = urlsplit(base).netloc
    attacker = Client(HTTP_HOST=host)
    authorization = attacker.get("/accounts/oidc/start/").headers["Location"]
    callback = sign_in_at_provider(authorization, "staff-7f3a-coordinator", until=base)
    page.goto(base + "/accounts/login/")
    page.get_by_role("link", name="Inloggen via Testgemeente ID").click()  # the victim starts a flow of her own
    expect(page.get_by_label("Username")).to_be_visible()
    page.goto(callback)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden is niet gelukt")
    expect(page.get_by_role("alert")).to_contain_text("kon niet worden gecontroleerd")
    assert_accessible(page)
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert AuditEvent.objects.filter(action="login_failed", detail__refusal="tampered").count() == 1


def test_a_tampered_nonce_is_refused(page: Page, base: str, provider: Provider) -> None:
    pre_registered("staff-7f3a-coordinator", Role.COORDINATOR)

    def change_nonce(route: Route) -> None:
        response = route.fetch(max_redirects=0)  # Netwerkregie's redirect to the provider
        location = response.headers["location"]
        route.fulfill(response=response, headers={**response.headers, "location": with_query(location, nonce="n" * 32)})

    page.route(re.compile(r".*/accounts/oidc/start/.*"), change_nonce)
    through_the_provider(page, base, "staff-7f3a-coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanmelden is niet gelukt")
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert AuditEvent.objects.filter(action="login_failed", detail__refusal="tampered").count() == 1


def test_the_administrator_pre_registers_an_identifier(page: Page, base: str, settings: object) -> None:
    from tests.browser.test_shell import sign_in

    settings.LOCAL_PASSWORD_DISABLED_ROLES = [Role.COORDINATOR]  # type: ignore[attr-defined]
    admin = make_user("arie", Role.ADMIN)
    sign_in(page, base, admin)
    page.goto(base + "/beheer/gebruikers/nieuw/")
    page.get_by_label("Naam (verplicht)").fill("Carla Regie")
    page.get_by_label("E-mailadres").fill(ACCOUNTS["staff-7f3a-coordinator"]["email"])
    page.get_by_label("Netwerkregisseur").check()
    page.get_by_label("Kenmerk bij de identiteitsprovider").fill("staff-7f3a-coordinator")
    assert_accessible(page)
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_role("status")).to_contain_text("die zich aanmeldt via de identiteitsprovider")
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    through_the_provider(page, base, "staff-7f3a-coordinator")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
