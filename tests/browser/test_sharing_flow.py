"""Information sharing in Chromium: the case manager refers a case to the exit programme, its staff accept
and report back; then the case manager hands the case over, a second coordinator approves, the exit
programme accepts and the case closes with the warm handover note. Every page axe-clean, CSP-clean."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import Disclosure
from netwerkregie.network.models import Organisation, Sector
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.case_helpers import case_work_covenant
from tests.conftest import make_user
from tests.intake_helpers import findings, on_agenda, session_with, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def another_person(browser: Browser) -> Page:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_violations.append(m.text))  # type: ignore[attr-defined]
    return page


def test_refer_accept_work_and_hand_over(page: Page, browser: Browser, live_server: object) -> None:
    from netwerkregie.cases.services import open_case
    from netwerkregie.intake.services import decide

    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="Stedelijk College", sector=Sector.SCHOOL)
    exit_programme = Organisation.objects.create(name="Exitprogramma Nieuwe Koers", sector=Sector.CARE)
    case_work_covenant([municipality, exit_programme], make_user("opsteller", Role.COORDINATOR,
                                                                  organisation=municipality))
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    manager = make_user("casusregisseur", Role.CASE_MANAGER, organisation=municipality)
    iris = make_user("iris", Role.RECIPIENT, organisation=exit_programme)
    partner = make_user("mentor", Role.PARTNER, organisation=school)
    signal = submit(school, partner, subject_name="Noah Willems")
    session = session_with(coordinator)
    on_agenda(signal, session, coordinator, name="Noah Willems")
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="to_case_conference", rationale="Zorgen op school en thuis.", actor=coordinator)
    case = open_case(person=signal.person, case_manager=manager, actor=coordinator, signals=[signal],
                     ideology="right_wing")

    # The case manager refers for an intervention, passing the identity and what was signalled.
    sign_in(page, base, manager)
    page.goto(f"{base}/cases/{case.reference}/")
    page.get_by_role("link", name="Verwijzen of overdragen", exact=True).click()
    assert_accessible(page)
    page.get_by_role("button", name="Verwijzing versturen").click()  # empty: every problem at once, nothing sent
    expect(page.locator(".nr-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Ontvangende organisatie")).select_option(label="Exitprogramma Nieuwe Koers")
    page.get_by_label("Verwijzing voor een interventie").check()
    page.get_by_label("Interventie", exact=True).select_option(label="Exitbegeleiding")
    page.get_by_label(re.compile("^Doel")).fill("Exitbegeleiding: afstand nemen van de groep online.")
    page.get_by_label(re.compile("Identiteit \\(naam")).check()
    page.get_by_label(re.compile("Wat is gesignaleerd \\(")).check()
    page.get_by_label("Convenant met deze organisatie").check()
    page.get_by_label("Convenant", exact=True).select_option(index=1)
    page.get_by_label("Notitie voor de ontvangende organisatie").fill("Noah wil een eerste gesprek op school.")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.get_by_role("status")).to_contain_text("verstuurd naar Exitprogramma Nieuwe Koers")
    expect(page.locator("main")).to_contain_text("Verstuurd; antwoord vóór")
    assert_accessible(page)

    # The exit programme: inbox, accept, see exactly what was passed, report back.
    other = another_person(browser)
    sign_in(other, base, iris)
    expect(other.get_by_role("main")).to_contain_text("Verwijzingen naar uw organisatie")
    other.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Verwijzingen").click()
    assert_accessible(other)
    other.get_by_role("link", name=re.compile("^V-")).first.click()
    expect(other.locator("main")).to_contain_text("Exitbegeleiding: afstand nemen")
    assert "Noah Willems" not in other.content()
    assert_accessible(other)
    other.get_by_role("button", name="Verwijzing aanvaarden").click()
    expect(other.get_by_role("status")).to_contain_text("Aanvaard")
    expect(other.locator("main")).to_contain_text("Noah Willems")
    expect(other.locator("main")).to_contain_text(signal.description)
    expect(other.locator("main")).not_to_contain_text("Plan van aanpak")
    assert_accessible(other)
    other.get_by_label("Wat er is gebeurd").fill("Intake gehouden met Noah en zijn mentor; wekelijkse gesprekken.")
    other.get_by_role("button", name="Terugkoppeling versturen").click()
    expect(other.get_by_role("status")).to_contain_text("casusregisseur")

    # Back at the case: the update, and the ledger; then the full handover, which waits for approval.
    page.reload()
    expect(page.locator("main")).to_contain_text("Intake gehouden met Noah")
    expect(page.locator("main")).to_contain_text("Verwijzing aanvaard")
    page.get_by_role("link", name="Verwijzen of overdragen", exact=True).click()
    page.get_by_label(re.compile("^Ontvangende organisatie")).select_option(label="Exitprogramma Nieuwe Koers")
    page.get_by_label(re.compile("Volledige overdracht \\(")).check()
    page.get_by_label(re.compile("^Doel")).fill("Exitprogramma neemt de begeleiding over.")
    page.get_by_label(re.compile("Identiteit \\(naam")).check()
    page.get_by_label("Convenant met deze organisatie").check()
    page.get_by_label("Convenant", exact=True).select_option(index=1)
    page.get_by_label("Notitie voor de ontvangende organisatie").fill("Warme overdracht: kennismaking samen gehad.")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.get_by_role("status")).to_contain_text("wacht op het akkoord")

    approver = another_person(browser)
    sign_in(approver, base, coordinator)
    approver.locator("#today-approvals").locator("..").get_by_role("link", name=re.compile("Afsluiten")).click()
    expect(approver.get_by_role("heading", level=1)).to_contain_text("Akkoord")
    assert_accessible(approver)
    approver.get_by_role("button", name="Goedkeuren", exact=True).click()
    expect(approver.get_by_role("status")).to_contain_text("Akkoord gegeven: de casus is afgesloten.")

    other.goto(f"{base}/referrals/")
    other.get_by_role("link", name=re.compile("^V-")).first.click()
    expect(other.locator("main")).to_contain_text("Volledige overdracht")
    other.get_by_role("button", name="Verwijzing aanvaarden").click()
    expect(other.locator("main")).to_contain_text("Warme overdracht: kennismaking samen gehad.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "handed_over"
    page.reload()
    expect(page.locator("#case-facts")).to_contain_text("Overgedragen")
    assert_accessible(page)
    assert Disclosure.objects.filter(case=case, kind="referral").count() == 2
    assert case.closed_on == timezone.localdate()
    assert Case.objects.count() == 1
    for who in (page, other, approver):
        assert who.csp_violations == []  # type: ignore[attr-defined]
