"""The same pupil reported twice under two spellings, in Chromium, as the coordinator: the registered
person is offered on the second signal with one button; a relink leaves the second registration with a
hint to merge or remove it; the link box finds by name and date of birth; the referral form warns about
an organisation nobody can answer for. Screenshots go to SCREENSHOT_DIR when it is set."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.services import PersonInput, create_person
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.conftest import make_user
from tests.sharing_helpers import referred_signal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BORN = datetime.date(2009, 3, 14)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_the_coordinator_links_a_spelling_variant_and_sees_whom_a_referral_cannot_reach(
        page: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)
    Organisation.objects.create(name="Jeugdzorg Teststad", sector=Sector.CARE)
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    partner = make_user("mentor", Role.PARTNER, organisation=school)
    make_user("beheerder", Role.ADMIN, organisation=municipality)
    yusuf = create_person(PersonInput(name="Yusuf Demir", birth_date=BORN, school_or_organisation="Het Kleine Lyceum"),
                          actor=coordinator, retain_until=datetime.date(2031, 1, 1))
    signal = services.submit_signal(services.SignalInput(
        description="Deelt in de klasgroep filmpjes waarin geweld wordt verheerlijkt.",
        subject_name="Joesoef Demir", subject_birth_date=BORN, observation_codes=["justifies_violence"]),
        organisation=school, channel="web_form", submitted_by=partner).signal
    second = services.link_person(signal, actor=coordinator,
                                  new_person=PersonInput(name="Joesoef Demir", birth_date=BORN))

    sign_in(page, base, coordinator)
    page.goto(f"{base}/signals/{signal.reference}/")
    offer = page.locator("#duplicates")
    expect(offer).to_contain_text("Yusuf Demir")
    expect(offer).to_contain_text("naam klinkt hetzelfde")
    expect(page.get_by_text("Nieuwe persoon registreren")).to_have_count(0)
    assert_accessible(page)
    shot(page, "1-signal-offered-match")

    offer.get_by_role("button", name=f"Koppelen aan {yusuf.pseudonym}").click()
    hint = page.locator("#left-behind")
    expect(hint).to_contain_text(f"{second.pseudonym} heeft geen signalen of casussen meer")
    assert Signal.objects.get(pk=signal.pk).person_id == yusuf.pk
    assert_accessible(page)
    shot(page, "2-signal-relinked-left-behind")

    other = services.submit_signal(services.SignalInput(
        description="Maakt dreigende opmerkingen in de les.", subject_name="J. Demir", subject_birth_date=None,
        observation_codes=["threatens"]), organisation=school, channel="web_form", submitted_by=partner).signal
    page.goto(f"{base}/signals/{other.reference}/")
    page.get_by_label("Of: naam").fill("Youssef Demir")
    page.get_by_label("met geboortedatum").fill(BORN.isoformat())
    page.get_by_role("button", name="Zoeken of koppelen").click()
    expect(page.locator("#found")).to_contain_text(yusuf.pseudonym)
    assert_accessible(page)
    shot(page, "3-link-box-found-by-name")

    referred = referred_signal({Role.COORDINATOR: coordinator, Role.PARTNER: partner}, name="Rosa Regulier")
    page.goto(f"{base}/signals/{referred.reference}/refer/")
    expect(page.locator("#unanswerable")).to_contain_text("Vraag de beheerder")
    expect(page.locator("#unanswerable")).to_contain_text("Beheerder")
    page.locator("#id_organisation").select_option(label="Jeugdzorg Teststad (niemand kan er nog antwoorden)")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.locator("#unanswerable")).to_contain_text("Niemand bij Jeugdzorg Teststad kan al antwoorden")
    assert_accessible(page)
    shot(page, "4-referral-form-warning")
    assert page.csp_violations == []  # type: ignore[attr-defined]
