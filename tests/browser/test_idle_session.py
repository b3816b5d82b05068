"""The idle timeout in Chromium: the dialog two minutes before the end (keyboard and screen reader), staying
signed in, and a form sent after the session ended that comes back after signing in again."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.conftest import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
def unused_code_for(user: object) -> str:
    """A code not used yet: a second sign-in within the same 30 seconds takes the next step's (the device
    accepts one step of drift), as the authenticator app would show it a moment later."""
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "idle"


def test_the_idle_dialog_offers_to_stay_signed_in_and_renews_the_session(page: Page, live_server: object,
                                                                          settings: object) -> None:
    settings.SESSION_COOKIE_AGE = 125  # the dialog comes 120 s before the end: after 5 s here
    coordinator = make_user("regisseur", Role.COORDINATOR)
    sign_in(page, live_server.url, coordinator)  # type: ignore[attr-defined]
    dialog = page.get_by_role("dialog", name="Wilt u ingelogd blijven?")
    expect(dialog).to_be_visible(timeout=20_000)
    stay = dialog.get_by_role("button", name="Ingelogd blijven")
    expect(stay).to_be_focused()  # a keyboard user is on the button at once
    expect(dialog.get_by_role("link", name="Opnieuw inloggen")).to_be_hidden()
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "idle-dialog.png"))
    before = Session.objects.get().expire_date
    with page.expect_response(re.compile(r"/session/keep-alive/$")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()
    assert Session.objects.get().expire_date > before
    assert page.csp_violations == []  # type: ignore[attr-defined]


def test_a_form_sent_after_the_session_ended_comes_back_after_signing_in(page: Page, live_server: object,
                                                                         settings: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_AGE = 125
    school = Organisation.objects.create(name="Stedelijk College", sector=Sector.SCHOOL)
    mentor = make_user("mentor", Role.PARTNER, organisation=school)
    sign_in(page, base, mentor)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Nieuw signaal").click()
    page.get_by_label("Wat is gezien of gehoord").fill("Deelt in de klassenapp filmpjes die geweld verheerlijken.")
    page.get_by_label("Naam van de persoon").fill("Yara Pietersen")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # ends while she types

    # The dialog says so (its keep-alive is refused), and offers to sign in again.
    dialog = page.get_by_role("dialog", name="Wilt u ingelogd blijven?")
    expect(dialog).to_be_visible(timeout=20_000)
    dialog.get_by_role("button", name="Ingelogd blijven").click()
    sign_in_again = dialog.get_by_role("link", name="Opnieuw inloggen")
    expect(sign_in_again).to_be_focused()
    expect(dialog).to_contain_text("Uw sessie is verlopen")
    expect(dialog.get_by_role("button", name="Ingelogd blijven")).to_be_hidden()
    page.screenshot(path=str(SCREENSHOTS / "idle-dialog-ended.png"))
    page.keyboard.press("Escape")  # she closes it and sends the form anyway

    page.get_by_role("button", name="Signaal indienen").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/session/resume/"))
    assert not Signal.objects.exists()
    page.get_by_label("E-mailadres").fill(mentor.email)
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Zescijferige code").fill(unused_code_for(mentor))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw formulier opnieuw versturen")
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "resume.png"), full_page=True)
    page.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal S-")
    assert Signal.objects.get().subject_name == "Yara Pietersen"
