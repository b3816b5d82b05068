"""One person's whole path on the demo municipality, walked in Chromium as the people would (issue 32): a mentor
reports a pupil twice under two spellings; the coordinator triages, is offered the registered person and links;
the police partner contributes to the joint assessment; the coordinator decides for both signals at once and
opens a case from the decision; the case manager writes a plan with a parent's consent and refers to youth care,
which accepts; closure is approved by the approver; the privacy officer registers the parent's access request by
name and date of birth and makes the export. Every click is counted per role and printed (``-s``); a full-page
screenshot of each step goes to ``var/screenshots/whole_path/``."""

import datetime
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser, expect

from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.models import User
from netwerkregie.intake.models import AssessmentCriterion, Signal
from tests.browser.conftest import assert_accessible
from tests.browser.walk_helpers import Desk, Walk
from tests.mail_helpers import delivered

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BORN = datetime.date(2009, 3, 14)
SCHOOL = "Het Lindeveen College"
SESSION = "Wegingsoverleg Demir"
DEMO = "@demo.netwerkregie.test"
YOUTH_CARE = "Jeugdzorg Regio Lindeveen"
PARENT = "Leyla Demir"
POLICE_KNOWS = "De wijkagent kent hem: twee keer aangesproken bij het winkelcentrum, geen strafbare feiten."
RAW_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # to_case_conference, school_return, care_youth ...
UTC_TIME = re.compile(r"\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|\+00:00)")


def demo_user(local: str) -> User:
    return User.objects.get(email=f"{local}{DEMO}")


def report_concern(mentor: Desk, name: str, what: str, *, another: bool = False) -> Signal:
    page = mentor.page
    if another:  # from the receipt of the first
        mentor.click(page.get_by_role("link", name="Nog een signaal melden"))
    else:
        mentor.menu("Nieuw signaal")
    mentor.fill(page.get_by_label("Wat is gezien of gehoord"), what)
    mentor.check(page.get_by_label("Rechtvaardigt of verheerlijkt geweld"))
    mentor.fill(page.get_by_label("Naam van de persoon"), name)
    mentor.fill(page.get_by_label("Geboortedatum"), BORN.isoformat())
    mentor.select(page.get_by_label("Wijk"), label="Oosterpark")
    mentor.fill(page.get_by_label("School of organisatie"), SCHOOL)
    mentor.click(page.get_by_role("button", name="Signaal indienen"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Signaal S-")
    receipt = page.locator("#sent-heading").locator("..")
    expect(receipt).to_contain_text(name)  # the receipt says what was sent
    expect(receipt).to_contain_text(f"{BORN.day} maart {BORN.year}")
    return Signal.objects.get(reference=heading.inner_text().removeprefix("Signaal ").strip())


def delivered_to(user: User) -> list:
    return [message for message in delivered() if user.email in message.to]


def mail_link(user: User, path: str) -> str:
    """The path of the link to ``path`` in the newest mail to ``user`` (the mail names no record)."""
    message = delivered_to(user)[-1]
    assert path in message.body
    return path


def export_and_read(officer: Desk, walk: Walk, first: Signal) -> None:
    """The PDF as the parent will read it (the HTML WeasyPrint prints, shown in Chromium) and the JSON."""
    import weasyprint

    printed: list[str] = []
    real_html = weasyprint.HTML
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                      or real_html(string=string, **options))
        with officer.page.expect_download() as pdf:
            officer.click(officer.page.get_by_role("link", name="Inzage-export (pdf)"))
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    with officer.page.expect_download() as json_download:
        officer.click(officer.page.get_by_role("link", name="Inzage-export (JSON)"))
    exported = json.loads(json_download.value.path().read_text())
    reader = officer.page.context.new_page()
    reader.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    reader.set_content(printed[0])
    walk.shot(reader, "the-export-as-the-parent-reads-it")
    text = reader.locator("body").inner_text()
    reader.close()
    assert "@" not in text  # no staff e-mail address, the mentor's least of all
    assert RAW_CODE.findall(text) == []
    assert "probable match" not in text  # every reason in Dutch, the offered match's too
    assert "Jeugdhulp" in text
    dumped = json.dumps(exported, ensure_ascii=False)
    assert "@" not in dumped
    assert UTC_TIME.findall(dumped) == []
    assert re.search(r"T\d{2}:\d{2}:\d{2}\+0[12]:00", dumped)  # times there are, with the local offset
    received = first.received_at
    assert f"{timezone.localtime(received):%H:%M}" in text  # the PDF in local time, as the clock on the wall
    assert f"{received.astimezone(datetime.UTC):%H:%M}" not in text


def put_on_agenda(coordinator: Desk) -> None:
    page = coordinator.page
    sessions = page.get_by_label("Wegingsoverleg")
    coordinator.select(sessions, label=sessions.locator("option", has_text=SESSION).inner_text().strip())
    coordinator.click(page.get_by_role("button", name="Agenderen"))
    expect(coordinator.status()).to_contain_text("op de agenda")


def decide(coordinator: Desk) -> None:
    """Every criterion with its justification, the legal criterion, the decision and its rationale."""
    page = coordinator.page
    for criterion in AssessmentCriterion.objects.all():
        coordinator.check(page.get_by_role("group", name=str(criterion.label_nl)).get_by_label("Onbekend"))
        coordinator.fill(page.get_by_label(f"Toelichting: {criterion.label_nl}"), "Besproken met school en politie.")
    coordinator.fill(page.get_by_label("Toegepast juridisch criterium"), "Convenant Veiligheidshuis art. 6")
    coordinator.check(page.get_by_label("Naar het casusoverleg"))
    coordinator.fill(page.locator("#id_rationale"), "Twee zorgen van school over dezelfde leerling; "
                     "politie kent hem uit de wijk. Een casus met een plan en betrokken ouders.")
    coordinator.click(page.get_by_role("button", name="Besluit vastleggen"))


def test_one_persons_whole_path(browser: Browser, live_server: object, settings: object, tmp_path: Path) -> None:
    settings.DEMO, settings.VAR_DIR = True, tmp_path  # type: ignore[attr-defined]
    base = live_server.url  # type: ignore[attr-defined]
    settings.SITE_URL = base  # type: ignore[attr-defined]
    call_command("load_demo", "--no-history", stdout=StringIO())
    walk = Walk(base, (tmp_path / "demo-password").read_text().strip())
    today = timezone.localdate()
    with walk.photographed_on_failure():
        walk_the_path(walk, browser, today)


def walk_the_path(walk: Walk, browser: Browser, today: datetime.date) -> None:

    # 1. The mentor reports a concern about Yusuf Demir, then one about "Joesoef Demir".
    mentor = walk.desk(browser, "netwerkpartner (mentor)", demo_user("partner"))
    mentor.sign_in()
    first = report_concern(mentor, "Yusuf Demir", "Deelt in de klasgroep filmpjes waarin geweld wordt verheerlijkt.")
    mentor.shot("mentor-first-signal-sent")
    second = report_concern(mentor, "Joesoef Demir", "Zei in de les dat geweld tegen ongelovigen gerechtvaardigd is.",
                            another=True)
    mentor.shot("mentor-second-signal-sent")

    # 2. The coordinator plans the joint assessment with the police, registers the first, is offered the link
    #    on the second and takes it, and puts both on the agenda.
    coordinator = walk.desk(browser, "netwerkregisseur", demo_user("netwerkregisseur"))
    coordinator.sign_in()
    page = coordinator.page
    coordinator.menu("Weging")
    coordinator.click(page.get_by_role("link", name="Overleg plannen"))
    coordinator.fill(page.get_by_label("Titel"), SESSION)
    coordinator.fill(page.get_by_label("Datum"), today.isoformat())
    coordinator.check(page.get_by_label(re.compile("Sanne de Vries")))
    coordinator.check(page.get_by_label(re.compile("Ahmed Bakker")))
    coordinator.click(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(SESSION)
    coordinator.shot("coordinator-session-planned")

    coordinator.menu("Triage")
    coordinator.click(page.get_by_role("link", name=first.reference))
    register = page.locator("form", has=page.get_by_role("button", name="Registreren en koppelen"))
    expect(register.get_by_label(re.compile(r"^Naam"))).to_have_value("Yusuf Demir")
    coordinator.click(register.get_by_role("button", name="Registreren en koppelen"))
    expect(coordinator.status()).to_contain_text("Signaal gekoppeld aan P-")
    first.refresh_from_db()
    yusuf = first.person
    put_on_agenda(coordinator)
    coordinator.shot("coordinator-first-signal-registered")

    coordinator.menu("Triage")
    coordinator.click(page.get_by_role("link", name=second.reference))
    offer = page.locator("#duplicates")
    expect(offer).to_contain_text("Yusuf Demir")
    assert_accessible(page)
    coordinator.shot("coordinator-second-signal-link-offered")
    coordinator.click(offer.get_by_role("button", name=f"Koppelen aan {yusuf.pseudonym}"))
    expect(coordinator.status()).to_contain_text(f"Signaal gekoppeld aan {yusuf.pseudonym}")
    put_on_agenda(coordinator)
    coordinator.shot("coordinator-second-signal-linked")
    second.refresh_from_db()
    assert second.person_id == yusuf.pk

    # 3. The joint assessment: the police partner contributes what the police know (no decision form); the
    #    coordinator reads it beside the decision and decides once for both signals about the person.
    police = walk.desk(browser, "kernpartner (politie)", demo_user("kernpartner"))
    police.sign_in()
    table = police.page
    police.menu("Weging")
    police.click(table.get_by_role("link", name=SESSION))
    police.click(table.get_by_role("link", name=first.reference))
    expect(table.get_by_role("button", name="Besluit vastleggen")).to_have_count(0)
    aside = table.locator("aside.nr-beside__aside")
    expect(aside).to_contain_text(second.reference)  # the person's other signal on the agenda
    expect(table.locator("#contribution-name-guidance")).to_contain_text(yusuf.pseudonym)
    police.fill(table.get_by_label("Wat weet uw organisatie?"), "Yusuf is bij de wijkagent bekend.")
    police.check(table.get_by_role("group", name=re.compile("^Ideologische betrokkenheid")).get_by_label(
        "herkenbaar", exact=True))
    police.click(table.get_by_role("button", name="Inbreng vastleggen"))
    expect(table.locator("main")).to_contain_text("bevat mogelijk de naam van de persoon")
    police.shot("police-contribution-may-name-the-person")
    police.fill(table.get_by_label("Wat weet uw organisatie?"), POLICE_KNOWS)
    police.check(table.get_by_role("group", name=re.compile("^Ideologische betrokkenheid")).get_by_label(
        "herkenbaar", exact=True))
    police.shot("police-contribution-form")
    police.click(table.get_by_role("button", name="Inbreng vastleggen"))
    expect(police.status()).to_contain_text("Uw inbreng is vastgelegd")
    police.shot("police-contribution-recorded")

    coordinator.menu("Weging")
    coordinator.click(page.get_by_role("link", name=SESSION))
    coordinator.click(page.get_by_role("link", name=first.reference))
    expect(page.locator("#contributions-heading").locator("..")).to_contain_text(POLICE_KNOWS)
    expect(page.get_by_label(re.compile(second.reference))).to_be_checked()  # the same decision for both
    coordinator.shot("coordinator-decision-form-beside-the-police-contribution")
    decide(coordinator)
    expect(coordinator.status()).to_contain_text("Besluit vastgelegd voor 2 signalen")
    coordinator.shot("coordinator-decided-for-both-signals")

    # 4. The case, opened from the decision: the person's signals chosen already.
    coordinator.click(page.get_by_role("link", name=f"Casus openen {first.reference}"))
    expect(page.get_by_label(re.compile(first.reference))).to_be_checked()
    expect(page.get_by_label(re.compile(second.reference))).to_be_checked()
    coordinator.select(page.get_by_label("Casusregisseur"), label="Lotte Jansen")
    coordinator.select(page.get_by_label(re.compile("Betrokken ideologie")), "jihadist")
    coordinator.shot("coordinator-opens-the-case-from-the-decision")
    coordinator.click(page.get_by_role("button", name="Casus openen"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus C-")
    case = Case.objects.get(person=yusuf)
    decisions = page.locator("#decisions-heading").locator("..")
    expect(decisions).to_contain_text("Twee zorgen van school")
    expect(decisions.locator("caption").first).to_have_css("text-align", "start")  # a caption, not a centred title
    expect(page.locator("#team-heading").locator("..")).to_contain_text("Lotte Jansen")
    coordinator.shot("coordinator-case-opened")

    # 5. The case manager finds the new case and writes the plan, with a parent's consent.
    manager = walk.desk(browser, "casusregisseur", demo_user("casusregisseur"))
    manager.sign_in()
    work = manager.page
    listed = work.locator("#today-mycases").locator("..").locator("ul.utrecht-unordered-list > li")
    mine = listed.filter(has_text=case.reference)
    expect(mine).to_contain_text("Yusuf Demir")  # on her own case the name, beside the pseudonym
    expect(mine).to_contain_text("nieuw")
    above = listed.all_inner_texts()
    above = above[:next(n for n, text in enumerate(above) if case.reference in text)]
    assert [text for text in above if "nieuw" not in text] == []  # among the new cases, at the top of "Vandaag"
    manager.shot("case-manager-today-new-case-first")
    manager.click(mine.get_by_role("link", name=case.reference))
    expect(work.get_by_role("heading", level=1)).to_contain_text(case.reference)
    manager.shot("case-manager-opens-the-new-case")
    manager.click(work.get_by_role("link", name="Plan bewerken"))
    manager.fill(work.get_by_label(re.compile("^Doel")).first, "Yusuf gaat elke dag naar school en haalt zijn diploma.")
    plan = work.get_by_role("group", name="Interventie 1")
    manager.select(plan.get_by_label("Interventie", exact=True), "care_youth")
    manager.select(plan.get_by_label("Dient doel"), "1")
    manager.select(plan.get_by_label("Uitvoerende organisatie"), label=YOUTH_CARE)
    manager.fill(plan.get_by_label("Start"), today.isoformat())
    manager.select(plan.get_by_label("Toestemming gegeven door"), "parent")
    manager.fill(plan.get_by_label("Naam van de ouder of voogd"), PARENT)
    manager.fill(plan.get_by_label("Toestemming gegeven op"), today.isoformat())
    manager.fill(work.get_by_label("Wat is er veranderd"), "Eerste plan na het casusoverleg")
    manager.shot("case-manager-writes-the-plan")
    manager.click(work.get_by_role("button", name="Plan opslaan"))
    expect(manager.status()).to_contain_text("versie 1")
    expect(work.locator("main")).to_contain_text(PARENT)  # who consented, on the plan
    manager.shot("case-manager-plan-saved")

    # 6. A referral to youth care on the parent's consent; youth care opens the link in its mail, signed out,
    #    lands on its referrals after the password and the second factor, and accepts.
    manager.click(work.get_by_role("link", name="Verwijzen of overdragen", exact=True))
    manager.select(work.get_by_label(re.compile("^Ontvangende organisatie")), label=YOUTH_CARE)
    manager.check(work.get_by_label("Verwijzing voor een interventie"))
    manager.select(work.get_by_label("Interventie", exact=True), label="Jeugdhulp")
    manager.fill(work.get_by_label(re.compile("^Doel")), "Jeugdhulp voor Yusuf en zijn ouders: school en thuis.")
    manager.check(work.get_by_label(re.compile("Identiteit \\(naam")))
    manager.check(work.get_by_label(re.compile("Wat is gesignaleerd \\(")))
    manager.check(work.get_by_label("Toestemming", exact=True))
    manager.select(work.get_by_label("Toestemming gegeven door"), "parent")
    manager.fill(work.get_by_label("Naam van de ouder of voogd"), PARENT)
    manager.fill(work.get_by_label("Toestemming gegeven op"), today.isoformat())
    manager.shot("case-manager-refers-to-youth-care")
    manager.click(work.get_by_role("button", name="Verwijzing versturen"))
    expect(manager.status()).to_contain_text(f"verstuurd naar {YOUTH_CARE}")
    manager.shot("case-manager-referral-sent")

    youth_care = walk.desk(browser, "ontvangende organisatie (jeugdzorg)", demo_user("jeugdzorg"))
    inbox = mail_link(youth_care.user, "/referrals/")
    youth_care.sign_in(inbox)
    expect(youth_care.page).to_have_url(walk.base + inbox)  # the link opened signed out still lands on its page
    youth_care.shot("youth-care-lands-on-its-referrals")
    youth_care.click(youth_care.page.get_by_role("link", name=re.compile("^V-")).first)
    youth_care.click(youth_care.page.get_by_role("button", name="Verwijzing aanvaarden"))
    expect(youth_care.status()).to_contain_text("Aanvaard")
    expect(youth_care.main()).to_contain_text("Yusuf Demir")
    youth_care.shot("youth-care-accepted")

    # 7. Closure: the case manager asks, the approver approves.
    manager.menu("Casussen")
    manager.click(work.get_by_role("link", name=case.reference).first)
    expect(work.locator("main")).to_contain_text("Aanvaard")
    manager.click(work.get_by_role("link", name="Casus afsluiten"))
    manager.select(work.get_by_label("Reden van afsluiten"), "goals_achieved")
    manager.fill(work.get_by_label("Warme overdracht"), "Jeugdzorg begeleidt Yusuf en zijn ouders;"
                 " school blijft betrokken.")
    who = work.locator("#who-approves")
    expect(who).to_contain_text("Marieke van Dijk")  # who approves, before asking
    sentence, names = who.locator("p").first.bounding_box(), who.locator("ul").bounding_box()
    assert names["y"] >= sentence["y"] + sentence["height"]  # the names under the sentence, not a column beside it
    manager.shot("case-manager-closure-form-names-the-approver")
    manager.click(work.get_by_role("button", name="Akkoord vragen voor afsluiten"))
    expect(manager.status()).to_contain_text("wacht op het akkoord")
    manager.shot("case-manager-asks-closure")

    approver = walk.desk(browser, "fiatteur", demo_user("fiatteur"))
    approver.sign_in(mail_link(approver.user, "/approvals/"))  # from the mail, signed out
    expect(approver.page).to_have_url(walk.base + "/approvals/")
    approver.click(approver.page.get_by_role("link", name=re.compile("Afsluiten")).first)
    expect(approver.page.get_by_role("heading", level=1)).to_contain_text("Akkoord")
    approver.shot("approver-reads-the-request")
    approver.click(approver.page.get_by_role("button", name="Goedkeuren", exact=True))
    expect(approver.status()).to_contain_text("Akkoord gegeven: de casus is afgesloten.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    expect(approver.page).to_have_url(re.compile(r"/approvals/\d+/case/$"))  # lands on what she approved
    expect(approver.main()).to_contain_text(case.reference)  # read-only
    approver.shot("approver-reads-the-closed-case")

    # 8. The parent asks for access: the privacy officer registers it by name and date of birth, and exports.
    officer = walk.desk(browser, "privacy officer", demo_user("privacy"))
    officer.sign_in()
    desk = officer.page
    officer.menu("AVG-verzoeken")
    officer.fill(desk.get_by_label("Naam van de persoon"), "Yusuf Demir")
    officer.fill(desk.get_by_label("Geboortedatum"), BORN.isoformat())
    officer.select(desk.get_by_label("Aangevraagd door"), "parent")
    officer.select(desk.get_by_label("Identiteit van de aanvrager gecontroleerd met"), "id_document")
    officer.fill(desk.get_by_label("Toelichting bij de identiteitscontrole"), "Paspoort van de moeder gezien.")
    officer.select(desk.get_by_label("Verzoek binnengekomen per"), "desk")
    officer.click(desk.get_by_role("button", name="Registreren"))
    expect(desk.locator("#request-person")).to_contain_text(yusuf.pseudonym)
    officer.shot("privacy-officer-request-registered")
    export_and_read(officer, walk, first)

    print("\n" + walk.report())
    for each in walk.desks:
        assert each.page.csp_violations == [], each.role  # type: ignore[attr-defined]
    assert walk.inaccessible == []
