"""Decisions happen once, in Chromium: two coordinators have one approval open, two privacy officers one
data-subject request; the second to decide lands on the record as it is now, told who decided first.
Both pages axe-clean and CSP-clean, and photographed."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases.models import CaseStatus
from netwerkregie.core.roles import Role
from netwerkregie.privacy import services as privacy
from tests.browser.conftest import assert_accessible
from tests.browser.test_sharing_flow import another_person
from tests.browser.test_shell import sign_in
from tests.case_helpers import decided_case, second_coordinator
from tests.conftest import make_user
from tests.privacy.test_purge import decided

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


def shoot(page: Page, role: str, name: str) -> None:
    folder = SCREENSHOTS / role
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def test_the_second_coordinator_lands_on_the_approval_as_decided(page: Page, browser: Browser, live_server: object,
                                                                 users) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    case = decided_case(users)
    approval = case_closure.request_closure(
        case, reason="goals_achieved", handover_note="Overgedragen aan het wijkteam.",
                                       actor=users[Role.CASE_MANAGER])
    cora = second_coordinator(users[Role.COORDINATOR].organisation)
    url = f"{base}/approvals/{approval.pk}/"
    other = another_person(browser)
    for who, tab in ((users[Role.COORDINATOR], page), (cora, other)):
        sign_in(tab, base, who, audit=False)
        tab.goto(url)  # both have the approval open
    page.get_by_role("button", name="Goedkeuren", exact=True).click()
    other.get_by_label("Waarom", exact=False).fill("Eerst de evaluatie afwachten.")
    other.get_by_role("button", name="Niet goedkeuren").click()
    expect(other).to_have_url(url)
    expect(other.locator(".nr-messages")).to_contain_text("Dit verzoek is intussen al beslist door Carla: goedgekeurd.")
    expect(other.get_by_role("button", name="Niet goedkeuren")).to_have_count(0)
    assert_accessible(other)
    assert other.csp_violations == []
    assert page.csp_violations == []
    shoot(other, "coordinator", "approval-decided-first")
    approval.refresh_from_db()
    case.refresh_from_db()
    assert approval.status == ApprovalStatus.APPROVED
    assert case.status == CaseStatus.CLOSED


def test_the_second_privacy_officer_lands_on_the_request_as_answered(page: Page, browser: Browser,
                                                                     live_server: object, users) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    priya = users[Role.PRIVACY_OFFICER]
    pim = make_user("pim", Role.PRIVACY_OFFICER, organisation=priya.organisation)
    signal = decided(users, "Erik Wisman", "monitoring")
    subject_request = privacy.register_request(kind="access", person=signal.person, handler=priya, actor=priya,
                                               received_on=timezone.localdate())
    url = f"{base}/privacy/requests/{subject_request.pk}/"
    other = another_person(browser)
    for who, tab in ((priya, page), (pim, other)):
        sign_in(tab, base, who, audit=False)
        tab.goto(url)
    for tab, status, outcome in ((page, "done", "Inzage verstrekt."), (other, "refused", "Geen grondslag.")):
        answer = tab.locator("form", has=tab.get_by_role("heading", name="Beantwoorden"))
        answer.get_by_label("Besluit op het verzoek").select_option(status)
        answer.get_by_label("Antwoord aan de betrokkene", exact=False).fill(outcome)
        answer.get_by_role("button", name="Opslaan").click()
    expect(other).to_have_url(url)
    expect(other.locator(".nr-messages")).to_contain_text("Dit verzoek is intussen al beantwoord door Priya op")
    assert_accessible(other)
    assert other.csp_violations == []  # type: ignore[attr-defined]
    shoot(other, "privacy_officer", "request-answered-first")
    subject_request.refresh_from_db()
    assert subject_request.status == "done"
    assert subject_request.outcome == "Inzage verstrekt."
