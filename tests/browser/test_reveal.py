"""Pseudonymous assessment in Chromium: the police participant opens the agenda, assesses under the
pseudonym, reveals the identity with a reason and then sees who it is; every page is axe-clean."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.services import PersonInput
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_police_participant_reveals_the_identity_with_a_reason(page: Page, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="Het Kleine Lyceum", sector=Sector.SCHOOL)
    police = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    officer = make_user("wijkagent", Role.CORE_PARTNER, organisation=police)
    signal = services.submit_signal(services.SignalInput(
        description="Noor Visscher stuurt klasgenoten dreigende berichten over 'verraders'.",
        subject_name="Noor Visscher", subject_birth_date=datetime.date(2010, 2, 3), observation_codes=["threatens"]),
        organisation=school, channel="web_form").signal
    services.link_person(signal, actor=coordinator, new_person=PersonInput(name="Noor Visscher",
                                                                           birth_date=datetime.date(2010, 2, 3)))
    session = services.create_session(title="Wegingsoverleg", held_on=timezone.localdate(),
                                      participants=[coordinator, officer], actor=coordinator)
    services.put_on_agenda(signal, session, actor=coordinator)
    pseudonym = signal.person.pseudonym

    sign_in(page, base, officer)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Weging").click()
    page.get_by_role("link", name="Wegingsoverleg").first.click()
    expect(page.get_by_role("note").first).to_contain_text("Gepseudonimiseerd wegen")
    expect(page.locator("table")).to_contain_text(pseudonym)
    expect(page.locator("table")).to_contain_text("School")
    assert "Het Kleine Lyceum" not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name=signal.reference).click()
    aside = page.locator("aside")
    expect(aside).to_contain_text(f"{pseudonym} stuurt klasgenoten dreigende berichten")
    assert "Noor" not in page.content()
    assert "Visscher" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Identiteit tonen").click()  # without a reason
    expect(page.locator(".utrecht-form-field-error-message").first).to_contain_text("verplicht")
    assert "Visscher" not in page.content()
    assert_accessible(page)
    page.get_by_label("Waarom moet u weten wie het is?").fill("Nodig om politiesystemen te raadplegen.")
    page.get_by_role("button", name="Identiteit tonen").click()
    expect(page.locator("aside")).to_contain_text("Noor Visscher")
    expect(page.locator("aside")).to_contain_text("Nodig om politiesystemen te raadplegen.")
    assert_accessible(page)
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(reason="identity revealed", actor=officer).count() == 1
