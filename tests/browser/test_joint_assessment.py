"""The joint assessment in Chromium with the demo data: the police partner records its contribution on a
signal of the agenda (no decision form), the coordinator reads it beside the decision form and records one
decision for both signals about the person. Screenshots in var/screenshots/joint/."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from netwerkregie.core.models import User
from netwerkregie.intake.models import Assessment, Contribution, Signal
from tests.browser.conftest import assert_accessible
from tests.browser.test_axe_sweep import SCREENSHOTS, sign_in_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_police_contribute_and_the_coordinator_decides_for_both_signals(
        page: Page, live_server: object, settings: object, tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    call_command("load_demo", stdout=StringIO())
    password = (tmp_path / "demo-password").read_text().strip()
    base = live_server.url  # type: ignore[attr-defined]
    folder = SCREENSHOTS / "joint"
    folder.mkdir(parents=True, exist_ok=True)
    first, second = Signal.objects.get(idempotency_key="demo-03"), Signal.objects.get(idempotency_key="demo-10")
    session = first.assessment_session

    sign_in_demo(page, base, User.objects.get(email="kernpartner@demo.netwerkregie.test"), password)
    page.goto(base + reverse("intake:session_decide", args=[session.pk, second.reference]))
    expect(page.get_by_role("button", name="Inbreng vastleggen")).to_be_visible()
    expect(page.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    expect(page.locator("aside.nr-beside__aside")).to_contain_text(first.reference)  # the other one on the agenda
    expect(page.get_by_role("button", name="Identiteit tonen")).to_be_visible()
    page.screenshot(path=folder / "police-contribution-form.png", full_page=True)
    assert_accessible(page)
    page.get_by_label("Wat weet uw organisatie?").fill("Bij de politie bekend: melding van de buurt over "
                                                       "geldinzameling, april. Geen strafbare feiten.")
    page.get_by_role("button", name="Inbreng vastleggen").click()
    expect(page.locator("body")).to_contain_text("Uw inbreng is vastgelegd")
    page.screenshot(path=folder / "police-contribution-recorded.png", full_page=True)
    assert Contribution.objects.filter(signal=second).count() == 1

    page.context.clear_cookies()
    sign_in_demo(page, base, User.objects.get(email="netwerkregisseur@demo.netwerkregie.test"), password)
    page.goto(base + reverse("intake:session_decide", args=[session.pk, first.reference]))
    expect(page.locator("#contributions-heading")).to_be_visible()
    expect(page.get_by_label(second.reference, exact=False)).to_be_checked()
    page.screenshot(path=folder / "coordinator-decision-form.png", full_page=True)
    assert_accessible(page)
    for criterion in page.locator("fieldset.nr-choice-group").filter(has_text="Onbekend").all():
        criterion.get_by_label("Onbekend").check()
    page.get_by_label("Toegepast juridisch criterium").fill("Convenant Zorg- en Veiligheidshuis, art. 6")
    page.get_by_label("Monitoren").check()
    page.locator("#id_rationale").fill("Beide signalen wijzen op dezelfde zorg; volgen.")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator("body")).to_contain_text("Besluit vastgelegd voor 2 signalen")
    page.screenshot(path=folder / "coordinator-decided.png", full_page=True)
    assert Assessment.objects.filter(signal__in=[first, second]).count() == 2
    assert page.csp_violations == []  # type: ignore[attr-defined]
