"""The coordinator's Vandaag after a national incident: thousands of new signals read "99+", the first five in
their order; legible, accessible, photographed."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from netwerkregie.core.models import User
from netwerkregie.network.models import Organisation
from tests.browser.conftest import assert_accessible
from tests.browser.test_axe_sweep import OVERFLOW_CHECK, SCREENSHOTS, sign_in_demo
from tests.demo_snapshot import load_demo
from tests.today.test_backlog import backlog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_sees_a_backlog_as_99_plus(page: Page, live_server: object, settings: object,
                                                   tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    load_demo("--no-history")
    password = (tmp_path / "demo-password").read_text().strip()
    backlog(2_000, Organisation.objects.order_by("pk").first())
    sign_in_demo(page, live_server.url, User.objects.get(email="netwerkregisseur@demo.netwerkregie.test"),  # type: ignore[attr-defined]
                 password)
    panel = page.locator("section[aria-labelledby=today-signals]")
    for figure in ("signals-new", "signals-overdue", "signals-acute"):
        expect(panel.locator(f"[data-figure={figure}] .nr-figure__number")).to_have_text("99+")
    expect(panel.locator("ul.utrecht-unordered-list > li")).to_have_count(5)
    assert_accessible(page)
    assert page.evaluate(OVERFLOW_CHECK) == []
    folder = SCREENSHOTS / "netwerkregisseur"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / "vandaag-achterstand.png", full_page=True)
    panel.screenshot(path=folder / "vandaag-achterstand-signalen.png")
