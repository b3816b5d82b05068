"""The privacy officer in Chromium: registers a parent's access request by the pupil's name and date of
birth, with who asked, how identity was checked and the channel; sees whose data it is before sending;
the export as printed. Full-page screenshots under ``var/screenshots/access-request/``."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from netwerkregie.cases import services as cases
from netwerkregie.core.roles import Role
from netwerkregie.privacy.models import DataSubjectRequest
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.case_helpers import decided_case, intervention

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots" / "access-request"
BORN = datetime.date(2009, 3, 14)


def test_the_privacy_officer_registers_a_parents_request_by_name_and_date_of_birth(
        page: Page, live_server: object, users: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    case = decided_case(users, "Yusuf Demir", subject_birth_date=BORN)
    cases.save_plan(case, goals=["Yusuf gaat weer naar school."], protective_factors="Steun van zijn oom.",
                    base_version=0, interventions=[intervention("school_return")], change_note="Eerste plan",
                    actor=users[Role.CASE_MANAGER])
    officer = users[Role.PRIVACY_OFFICER]

    sign_in(page, base, officer)
    page.goto(base + "/privacy/requests/")
    page.get_by_label("Naam van de persoon").fill("Yusuf Demir")
    page.get_by_label("Geboortedatum").fill("2009-03-15")  # a typo: not found, said in Dutch
    page.get_by_label("Aangevraagd door").select_option("parent")
    page.get_by_label("Identiteit van de aanvrager gecontroleerd met").select_option("id_document")
    page.get_by_label("Toelichting bij de identiteitscontrole").fill("Paspoort van de moeder gezien.")
    page.get_by_label("Verzoek binnengekomen per").select_option("desk")
    page.get_by_role("button", name="Registreren").click()
    expect(page.locator(".nr-error-summary")).to_contain_text("precies deze naam en geboortedatum")
    page.screenshot(path=str(SCREENSHOTS / "register-not-found.png"), full_page=True)
    assert_accessible(page)
    page.get_by_label("Geboortedatum").fill(BORN.isoformat())
    page.get_by_role("button", name="Registreren").click()

    expect(page).to_have_url(re.compile(r"/privacy/requests/\d+/$"))
    expect(page.locator("#request-person")).to_contain_text("Yusuf Demir")
    expect(page.locator("#request-person")).to_contain_text(case.person.pseudonym)
    expect(page.locator("main")).to_contain_text("Een ouder")
    expect(page.locator("main")).to_contain_text("Aan de balie")
    page.screenshot(path=str(SCREENSHOTS / "request-detail.png"), full_page=True)
    assert_accessible(page)
    assert DataSubjectRequest.objects.get().received_on == timezone.localdate()

    import weasyprint  # the HTML WeasyPrint prints, shown in Chromium: the PDF's content, page by page

    printed: list[str] = []
    real_html = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                        or real_html(string=string, **options))
    with page.expect_download() as download:
        page.get_by_role("link", name="Inzage-export (pdf)").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    (SCREENSHOTS / "export.pdf").write_bytes(pdf)
    export = page.context.new_page()
    export.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    export.set_content(printed[0])
    export.screenshot(path=str(SCREENSHOTS / "export.png"), full_page=True)
    text = export.locator("body").inner_text()
    assert "@" not in text
    assert "school_return" not in text
    assert "Terug naar school" in text
