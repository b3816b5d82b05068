"""Phases 1 and 2 in Chromium: a partner submits a signal, the coordinator links a person and
puts it on an assessment agenda, the joint assessment decides with a rationale, and the
partner's "my signals" shows the new status and nothing more."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal
from netwerkregie.network.models import Organisation, Sector
from tests.browser.conftest import assert_accessible
from tests.browser.test_shell import sign_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def new_page(browser: Browser) -> Page:
    context = browser.new_context(locale="nl-NL")
    context.set_default_timeout(10_000)
    return context.new_page()


def test_from_signal_to_joint_decision(page: Page, browser: Browser, live_server: object) -> None:
    base = live_server.url  # type: ignore[attr-defined]
    municipality = Organisation.objects.create(name="Gemeente Teststad", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="Stedelijk College", sector=Sector.SCHOOL)
    police = Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE)
    partner = make_user("mentor", Role.PARTNER, organisation=school)
    coordinator = make_user("regisseur", Role.COORDINATOR, organisation=municipality)
    officer = make_user("wijkagent", Role.CORE_PARTNER, organisation=police)

    # 1. The partner submits a signal; markup is refused and shown back as text, never run.
    sign_in(page, base, partner)
    page.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Nieuw signaal").click()
    assert_accessible(page)
    page.get_by_label("Wat is gezien of gehoord").fill("<script>window.__ran = true</script>")
    page.get_by_label("Naam van de persoon").fill("Yara Pietersen")
    page.get_by_role("button", name="Signaal indienen").click()
    expect(page.locator(".utrecht-form-field-error-message").first).to_contain_text("HTML")
    assert page.evaluate("window.__ran === undefined")
    assert_accessible(page)
    page.get_by_label("Wat is gezien of gehoord").fill(
        "Verheerlijkt in de les geweld tegen politieagenten en deelt filmpjes daarvan.")
    page.get_by_label("Rechtvaardigt of verheerlijkt geweld").check()
    page.get_by_label("Geboortedatum").fill("2010-09-12")
    page.get_by_role("button", name="Signaal indienen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signaal S-")
    expect(page.locator(".nr-facts").last).to_contain_text("Ontvangen")  # the receipt: the summary, then the reference
    assert_accessible(page)
    signal = Signal.objects.get()
    assert signal.subject_is_minor

    # 2. The coordinator plans a joint session, links a new person and puts the signal on its agenda.
    desk = new_page(browser)
    sign_in(desk, base, coordinator)
    desk.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Weging").click()
    desk.get_by_role("link", name="Overleg plannen").click()
    desk.get_by_label("Titel").fill("Wegingsoverleg week 48")
    desk.get_by_label(re.compile("Wijkagent")).check()
    assert_accessible(desk)
    desk.get_by_role("button", name="Opslaan").click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Wegingsoverleg week 48")
    desk.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Triage").click()
    expect(desk.locator("#triage-results")).to_contain_text(signal.reference)
    assert_accessible(desk)
    desk.get_by_role("link", name=signal.reference).click()
    assert_accessible(desk)
    new_person = desk.locator("form", has=desk.get_by_role("button", name="Registreren en koppelen"))
    expect(new_person.get_by_label(re.compile(r"^Naam"))).to_have_value("Yara Pietersen")
    new_person.get_by_label("Burgerservicenummer (BSN)").fill("123456789")
    new_person.get_by_role("button", name="Registreren en koppelen").click()
    expect(desk.locator(".utrecht-form-field-error-message")).to_contain_text("elfproef")
    new_person = desk.locator("form", has=desk.get_by_role("button", name="Registreren en koppelen"))
    new_person.get_by_label("Burgerservicenummer (BSN)").fill("123456782")
    new_person.get_by_role("button", name="Registreren en koppelen").click()
    expect(desk.get_by_role("status")).to_contain_text("Signaal gekoppeld aan P-")
    desk.get_by_label("Wegingsoverleg").select_option(label=str(AssessmentSession.objects.get()))
    desk.get_by_role("button", name="Agenderen").click()
    expect(desk.get_by_role("status")).to_contain_text("op de agenda")
    assert_accessible(desk)

    # The partner now sees "being handled" and nothing of the handling.
    page.goto(base + "/signals/mine/")
    expect(page.locator(".nr-record-list")).to_contain_text("In behandeling")

    # 3. In the joint session the police officer records the police's contribution; the coordinator decides.
    table = new_page(browser)
    sign_in(table, base, officer)
    table.get_by_role("navigation", name="Hoofdnavigatie").get_by_role("link", name="Weging").click()
    table.get_by_role("link", name="Wegingsoverleg week 48").click()
    expect(table.locator("main")).not_to_contain_text("door één partij")
    table.get_by_role("link", name=signal.reference).click()
    assert_accessible(table)
    expect(table.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    table.get_by_role("button", name="Inbreng vastleggen").click()
    expect(table.locator(".utrecht-form-field-error-message").first).to_be_visible()  # nothing without its words
    table.get_by_label("Wat weet uw organisatie?").fill("Niets bekend bij de politie.")
    table.get_by_role("button", name="Inbreng vastleggen").click()
    expect(table.get_by_role("status")).to_contain_text("Uw inbreng is vastgelegd")
    assert_accessible(table)
    signal.refresh_from_db()
    desk.goto(base + reverse("intake:session_decide", args=[signal.assessment_session_id, signal.reference]))
    expect(desk.locator("main")).to_contain_text("Niets bekend bij de politie.")
    desk.get_by_role("button", name="Besluit vastleggen").click()
    expect(desk.locator(".utrecht-form-field-error-message").first).to_be_visible()  # nothing decided without reasons
    for criterion in AssessmentCriterion.objects.all():
        group = desk.get_by_role("group", name=str(criterion.label_nl))
        group.get_by_label("Onbekend").check()
        desk.get_by_label(f"Toelichting: {criterion.label_nl}").fill("Besproken met school en wijkagent.")
    desk.get_by_label("Toegepast juridisch criterium").fill("Convenant Veiligheidshuis art. 6")
    desk.get_by_label("Monitoren").check()
    desk.get_by_label("Onderbouwing").fill("Zorgelijk gedrag, sterke band met school; mentor en wijkagent volgen.")
    desk.get_by_role("button", name="Besluit vastleggen").click()
    expect(desk.get_by_role("status")).to_contain_text(f"Besluit vastgelegd voor {signal.reference}")
    assert_accessible(desk)

    # 4. The partner's "my signals" shows the new status and nothing more.
    page.goto(base + "/signals/mine/")
    expect(page.locator(".nr-record-list")).to_contain_text("Afgehandeld")
    page.get_by_role("link", name=signal.reference).click()
    main = page.locator("main")
    expect(main).to_contain_text("Afgehandeld")
    for hidden in ("Monitoren", "Convenant", "mentor en wijkagent", "P-", "Yara", "Wegingsoverleg"):
        expect(main).not_to_contain_text(hidden)
    assert_accessible(page)
    for p in (page, desk, table):
        assert getattr(p, "csp_violations", []) == []
    desk.context.close()
    table.context.close()
