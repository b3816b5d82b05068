"""What the eye sees on the partner's signal form and receipt, in Chromium: a select looks like a select (the NL
Design System's arrow), the observations box shows its last item whole, and a reference never wraps at a hyphen."""

import pytest
from playwright.sync_api import Page

from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation, Sector
from tests.browser.test_shell import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signal_form(page: Page, live_server: object) -> Page:
    base = live_server.url  # type: ignore[attr-defined]
    school = Organisation.objects.create(name="Stedelijk College", sector=Sector.SCHOOL)
    sign_in(page, base, make_user("mentor", Role.PARTNER, organisation=school), audit=False)
    page.goto(base + "/signals/new/")
    return page


def test_a_select_shows_the_arrow_of_a_select(signal_form: Page) -> None:
    image = signal_form.locator("select").first.evaluate("el => getComputedStyle(el).backgroundImage")
    assert "select-arrow" in image


def test_the_observations_box_shows_its_last_item_whole(signal_form: Page) -> None:
    box = signal_form.locator(".nr-choices--long").first
    last = box.locator(".nr-choice").last
    assert last.evaluate("(el) => el.getBoundingClientRect().bottom <= el.parentElement.getBoundingClientRect().bottom")


def test_a_reference_does_not_wrap_at_its_hyphens(signal_form: Page) -> None:
    signal_form.get_by_label("Wat is gezien of gehoord").fill("Deelt filmpjes waarin geweld wordt verheerlijkt.")
    signal_form.get_by_label("Naam van de persoon").fill("Yusuf Demir")
    signal_form.get_by_role("button", name="Signaal indienen").click()
    # Squeezed into a column narrower than the reference: a hyphen would be a place to break the line.
    lines = signal_form.locator("main .nr-ref").first.evaluate(
        "el => { el.parentElement.style.width = '3ch'; return el.getClientRects().length; }")
    assert lines == 1
