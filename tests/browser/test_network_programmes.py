"""The network and the prevention programmes in Chromium: a programme officer plans a mothers'
training with a partner, records 14 participants and the costs and sees the budget move; the
coordinator logs a contact moment and sees the coverage table update."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from netwerkregie.core.roles import Role
from netwerkregie.network.models import Neighbourhood, Organisation, Sector
from netwerkregie.programmes import services as programmes
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.browser.test_signal_flow import new_page
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_training_moves_the_budget_and_a_contact_moment_moves_the_coverage(
    page: Page, browser: Browser, live_server: object
) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    oost = Neighbourhood.objects.create(name="Oost", code="oost")
    women = Organisation.objects.create(name="Vrouwennetwerk Oost", sector=Sector.INTEREST_GROUP)
    women.neighbourhoods.add(oost)
    officer = make_user("programma", Role.PROGRAMME_OFFICER, organisation=municipality)
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    programmes.save_budget(timezone.localdate().year, "national_grant", Decimal("30000"), "", actor=officer)

    # The programme officer plans the training with the partner.
    sign_in(page, base, officer)
    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    nav.get_by_role("link", name="Preventie").click()
    assert_accessible(page)
    page.get_by_role("link", name="Activiteit plannen").click()
    page.get_by_label("Soort").select_option("parent_training")
    page.get_by_label("Titel").fill("Moedertraining Signalen herkennen")
    page.get_by_label("Begint op").fill(timezone.localdate().isoformat())
    page.get_by_label("Eindigt op").fill(timezone.localdate().isoformat())
    page.get_by_label("Wijk").select_option(label="Oost")
    page.get_by_role("group", name="Partnerorganisaties").get_by_label("Vrouwennetwerk Oost").check()
    page.get_by_label("Aantal deelnemers").fill("14")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#activity-facts")).to_contain_text("14")
    assert_accessible(page)

    # It records the costs and sees the budget move.
    page.get_by_role("link", name="Kosten vastleggen").click()
    page.get_by_label("Financieringsbron").select_option("national_grant")
    page.get_by_label("Bedrag (EUR)").fill("-100")
    page.get_by_label("Omschrijving").fill("Trainer moedertraining")
    page.get_by_label("Categorie").select_option("facilitator")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_contain_text("positief")
    page.get_by_label("Bedrag (EUR)").fill("2450,00")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("€ 2.450,00")
    expect(page.locator("#activity-facts")).to_contain_text("2.450,00")
    nav.get_by_role("link", name="Budget").click()
    table = page.locator(f"#budget-{timezone.localdate().year}")
    expect(table).to_contain_text("30.000,00")
    expect(table).to_contain_text("27.550,00")
    assert_accessible(page)

    # The coordinator logs a contact moment and sees the coverage table update.
    desk = new_page(browser)
    sign_in(desk, base, coordinator)
    desk.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Netwerk").click()
    coverage = desk.locator("#coverage")
    row = coverage.get_by_role("row", name="Oost")
    expect(row).to_contain_text("geen contact")
    assert_accessible(desk)
    desk.get_by_role("link", name="Contactmoment vastleggen").first.click()
    expect(desk.get_by_role("note")).to_contain_text("niet vastgelegd")
    desk.get_by_label("Soort").select_option("meeting")
    desk.get_by_role("group", name="Organisaties").get_by_label("Vrouwennetwerk Oost").check()
    desk.get_by_label("Onderwerp").select_option(label="Evaluatie van een activiteit")
    desk.get_by_label("Korte samenvatting").fill("Moedertraining geëvalueerd; vervolg in het voorjaar.")
    assert_accessible(desk)
    desk.get_by_role("button", name="Opslaan").click()
    expect(desk.get_by_role("status")).to_contain_text("Contactmoment vastgelegd")
    expect(desk.locator("#coverage").get_by_role("row", name="Oost")).to_contain_text("0 dagen")
    expect(desk.locator("#stale")).not_to_contain_text("Vrouwennetwerk Oost")
    assert_accessible(desk)
    assert page.csp_violations == []  # type: ignore[attr-defined]
    desk.context.close()
