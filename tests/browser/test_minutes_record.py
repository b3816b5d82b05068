"""The minutes as a record in Chromium: the chair establishes them, the edit form is gone, a correction
with its reason makes version 2, and the case manager on the team reads both versions."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Browser, expect

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases.models import MinutesVersion
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.case_helpers import decided_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "minutes-record"


def test_the_chair_establishes_and_corrects_and_the_team_reads_every_version(
        browser: Browser, live_server: object, users) -> None:
    from netwerkregie.core.roles import Role

    base = live_server.url  # type: ignore[attr-defined]
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    case = decided_case(users, "Noor Vastgesteld")
    consultation = case_consultations.plan_consultation(title="Casusoverleg week 49", held_on=timezone.localdate(),
                                              attendees=[manager], cases=[case], actor=coordinator)
    item = consultation.items.get()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    chair = browser.new_context(locale="nl-NL").new_page()
    sign_in(chair, base, coordinator, audit=False)
    chair.goto(f"{base}/case-consultations/{consultation.pk}/items/{item.pk}/")
    chair.get_by_label("Verslag", exact=True).fill("Noor gaat weer naar school.")
    chair.get_by_role("button", name="Verslag opslaan").click()
    expect(chair.get_by_role("status")).to_contain_text("Verslag opgeslagen")
    chair.goto(f"{base}/case-consultations/{consultation.pk}/items/{item.pk}/")
    chair.get_by_role("button", name="Verslag vaststellen").click()
    expect(chair.get_by_role("status")).to_contain_text("vastgesteld")
    expect(chair.get_by_label("Verslag", exact=True)).to_have_count(0)  # no edit form any more
    expect(chair.locator("main")).to_contain_text("Noor gaat weer naar school.")
    assert_accessible(chair)
    chair.screenshot(path=SCREENSHOTS / "established.png", full_page=True)

    chair.get_by_role("link", name="Verslag corrigeren").click()
    chair.get_by_label("Verslag", exact=True).fill("Noor gaat weer naar school; haar broer helpt.")
    chair.get_by_role("button", name="Correctie opslaan").click()
    expect(chair.locator(".nr-error-summary")).to_contain_text("Reden van de correctie")
    chair.get_by_label(re.compile("Reden van de correctie")).fill("De steun van de broer ontbrak.")
    assert_accessible(chair)
    chair.get_by_role("button", name="Correctie opslaan").click()
    expect(chair.get_by_role("status")).to_contain_text("versie 2")
    assert [v.number for v in MinutesVersion.objects.filter(item=item)] == [1, 2]
    chair.context.close()

    member = browser.new_context(locale="nl-NL").new_page()
    sign_in(member, base, manager, audit=False)
    member.goto(f"{base}/case-consultations/{consultation.pk}/items/{item.pk}/")
    expect(member.get_by_role("link", name="Verslag corrigeren")).to_have_count(0)  # not the chair
    member.get_by_role("link", name="2 versies").click()
    main = member.locator("main")
    expect(main).to_contain_text("De steun van de broer ontbrak.")
    expect(main).to_contain_text("Noor gaat weer naar school.")
    expect(main).to_contain_text("haar broer helpt")
    assert_accessible(member)
    member.screenshot(path=SCREENSHOTS / "versions-case-manager.png", full_page=True)
    member.context.close()
