"""The thread from a decision to a closed case, in Chromium, as each person walks it: the coordinator opens the
case from the decision; the case page shows the decision and the team; the case manager finds the case first on
"Vandaag", marked new; the closure page names who approves; the approver approves and reads the case. Each page
passes axe and is photographed into var/screenshots/thread/."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.services import decide
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.intake_helpers import findings, on_agenda, session_with, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "thread"


def as_user(browser: Browser, base: str, user: User) -> Page:
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, user, audit=False)
    return page


def shoot(page: Page, name: str) -> None:
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_from_the_decision_to_a_closure_the_approver_approved(browser: Browser, live_server: object,
                                                               users: dict[str, User]) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    coordinator, manager, approver = users[Role.COORDINATOR], users[Role.CASE_MANAGER], users[Role.APPROVER]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Yusuf Demir")
    session = session_with(coordinator, title="Weging week 49")
    on_agenda(signal, session, coordinator, name="Yusuf Demir")
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="to_case_conference", rationale="Zorgen op school en thuis; een plan is nodig.", actor=coordinator)

    page = as_user(browser, base, coordinator)
    page.goto(base + reverse("intake:signal_detail", args=[signal.reference]))
    shoot(page, "1-coordinator-signal-open-the-case")
    page.get_by_role("link", name="Casus openen").click()
    page.locator("select[name=case_manager]").select_option(str(manager.pk))
    page.locator("select[name=ideology]").select_option("unclear")
    page.get_by_role("button", name="Casus openen").click()
    expect(page.locator("#decisions-heading")).to_be_visible()
    shoot(page, "2-coordinator-case-decision-and-team")
    case = Case.objects.get(signals=signal)

    page = as_user(browser, base, manager)
    expect(page.locator("#today-mycases").locator("xpath=..")).to_contain_text("nieuw")
    shoot(page, "3-case-manager-today-new-case")
    page.goto(base + reverse("cases:case_close", args=[case.reference]))
    expect(page.locator("#who-approves")).to_contain_text(approver.full_name)
    shoot(page, "4-case-manager-closure-names-approvers")
    page.locator("select[name=reason]").select_option("goals_achieved")
    page.locator("textarea[name=handover_note]").fill("Overgedragen aan de mentor; kennismaking gehad.")
    page.get_by_role("button", name=re.compile("akkoord", re.I)).click()

    page = as_user(browser, base, approver)
    page.get_by_role("link", name=re.compile("Afsluiten van een casus", re.I)).first.click()
    expect(page.get_by_role("link", name=re.compile("Casus lezen"))).to_be_visible()
    shoot(page, "5-approver-approval-with-read-link")
    page.get_by_role("button", name="Goedkeuren", exact=True).click()
    page.goto(base + reverse("sharing:approved_case", args=[case.approvals.get().pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("alleen lezen")
    shoot(page, "6-approver-read-only-case")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
