"""Phases 3 and 4 in Chromium: from an assessed signal to a case, a case consultation with minutes
and an action, a plan with two interventions, a review, and closure with retention set."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from netwerkregie.cases.models import Case, PlanVersion
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.case_helpers import approve_pending, second_coordinator
from tests.conftest import make_user
from tests.intake_helpers import findings, on_agenda, session_with, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_assessed_signal_to_closed_case(page: Page, live_server: object) -> None:
    from netwerkregie.intake.services import decide

    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="Stedelijk College", sector=Sector.SCHOOL)
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    manager = make_user("casusregisseur", Role.CASE_MANAGER, organisation=municipality)
    partner = make_user("mentor", Role.PARTNER, organisation=school)
    signal = submit(school, partner, subject_name="Noah Willems")
    session = session_with(coordinator)
    on_agenda(signal, session, coordinator, name="Noah Willems")
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="to_case_conference", rationale="Zorgen op school en thuis.", actor=coordinator)
    today = timezone.localdate()

    sign_in(page, base, coordinator)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    nav.get_by_role("link", name="Casussen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Casus openen").click()
    page.get_by_label(re.compile(signal.reference)).check()
    page.get_by_label("Casusregisseur").select_option(label="Casusregisseur")
    page.get_by_label(re.compile("Betrokken ideologie")).select_option("right_wing")
    assert_accessible(page)
    page.get_by_role("button", name="Casus openen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus C-")
    case = Case.objects.get()
    assert_accessible(page)

    # The plan: two goals, two interventions (voluntary with a parent's consent, and a compulsory measure).
    page.get_by_role("link", name="Plan bewerken").click()
    goals = page.get_by_label(re.compile("^Doel"))
    expect(goals).to_have_count(1)  # one empty row; more on request
    goals.nth(0).fill("Noah maakt het schooljaar af.")
    page.get_by_role("button", name="Doel toevoegen").click()  # htmx: the form comes back with one more row
    expect(goals).to_have_count(2)
    expect(goals.nth(0)).to_have_value("Noah maakt het schooljaar af.")
    goals.nth(1).fill("Noah heeft een vaste mentor buiten school.")
    first = page.get_by_role("group", name="Interventie 1")
    first.get_by_label("Interventie", exact=True).select_option("mentor")
    expect(first.get_by_label("Toestemming gegeven door")).to_have_value("")  # nothing presumed
    first.get_by_label("Dient doel").select_option(label="2. Noah heeft een vaste mentor buiten school.")
    first.get_by_label("Start").fill(today.isoformat())
    first.get_by_label("Status").select_option("running")
    first.get_by_label("Toestemming gegeven door").select_option("person")
    first.get_by_label("Toestemming gegeven op").fill(today.isoformat())
    page.get_by_role("button", name="Interventie toevoegen").click()
    second = page.get_by_role("group", name="Interventie 2")
    second.get_by_label("Interventie", exact=True).select_option("area_ban")
    second.get_by_label("Dient doel").select_option("1")
    second.get_by_label("Start").fill(today.isoformat())
    page.get_by_label("Wat is er veranderd").fill("Eerste plan na het casusoverleg")
    assert_accessible(page)
    page.get_by_role("button", name="Plan opslaan").click()
    errors = page.locator(".nr-error-summary, .utrecht-form-field-error-message")
    expect(errors.first).to_contain_text("minderjarig")  # born 2010
    page.get_by_role("group", name="Interventie 1").get_by_label("Toestemming gegeven door").select_option("parent")
    page.get_by_role("group", name="Interventie 1").get_by_label("Naam van de ouder of voogd").fill("Fatma Demir")
    page.get_by_role("button", name="Plan opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("versie 1")
    expect(page.get_by_role("status")).to_contain_text("tweede persoon")  # a compulsory measure
    assert_accessible(page)
    approve_pending(Case.objects.get(), second_coordinator(municipality))
    page.reload()
    expect(page.locator("main")).to_contain_text("Gebiedsverbod (burgemeester)")
    expect(page.locator("main")).to_contain_text("dwangmaatregel")
    assert PlanVersion.objects.get().data["interventions"][0]["consent"] == "parent"

    # The case consultation with minutes and an action.
    nav.get_by_role("link", name="Casusoverleg").click()
    page.get_by_role("link", name="Casusoverleg plannen").click()
    page.get_by_label("Titel").fill("Casusoverleg week 49")
    page.get_by_label(re.compile(r"Casusregisseur \(")).check()
    page.get_by_label(re.compile(case.reference)).check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casusoverleg week 49")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(case.reference)).click()
    page.get_by_label("Verslag").fill("Noah gaat weer naar school; moeder is betrokken.")
    page.get_by_label("Besluiten").fill("Mentor inzetten; gebiedsverbod blijft.")
    page.get_by_role("button", name="Verslag opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Verslag opgeslagen")
    page.get_by_role("link", name=re.compile(case.reference)).click()
    page.get_by_label("Te ondernemen actie").fill("Kennismaking mentor plannen")
    page.get_by_label("Eigenaar").select_option(label="Casusregisseur")
    page.get_by_label("Uiterlijk op").fill((today + datetime.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Actie toevoegen").click()
    expect(page.locator("main")).to_contain_text("Kennismaking mentor plannen")
    assert_accessible(page)

    # A review, then closure with retention.
    page.goto(f"{base}/cases/{case.reference}/")
    page.get_by_role("link", name="Evaluatie vastleggen").click()
    page.get_by_role("group", name=re.compile("noodzakelijk en proportioneel")).get_by_label("Ja").check()
    page.get_by_label("Onderbouwing").fill("School loopt weer; mentor slaat aan.")
    page.get_by_label("Afschalen").check()
    page.get_by_label("Volgende evaluatie op").fill((today + datetime.timedelta(days=60)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Evaluatie vastgelegd")
    page.get_by_role("link", name="Casus afsluiten").click()
    page.get_by_label("Reden van afsluiten").select_option("goals_achieved")
    page.get_by_label("Warme overdracht").fill("Overgedragen aan het wijkteam; Noah kent zijn nieuwe contactpersoon.")
    page.get_by_role("button", name="Akkoord vragen voor afsluiten").click()
    expect(page.get_by_role("status")).to_contain_text("wacht op het akkoord")
    expect(page.locator("#case-facts")).not_to_contain_text("Afgesloten")
    approve_pending(case, second_coordinator(municipality))
    page.reload()
    five_years = today.replace(year=today.year + 5)
    expect(page.locator("#case-facts")).to_contain_text(f"{five_years.day}-{five_years.month}-{five_years.year}")
    expect(page.locator("#case-facts")).to_contain_text("Afgesloten")
    assert_accessible(page)
    case.refresh_from_db()
    assert case.retain_until == five_years
    assert case.reviews.count() == 1
    assert case.case_manager == manager
    assert page.csp_violations == []  # type: ignore[attr-defined]
