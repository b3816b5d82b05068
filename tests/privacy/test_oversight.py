"""Oversight: emergency access, the access review, data-subject requests and the access export,
and the generated register of processing activities."""

import datetime
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import services as cases
from netwerkregie.cases.models import Case, EmergencyAccess
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.models import Person
from netwerkregie.privacy import services
from netwerkregie.privacy.models import DataSubjectRequest
from tests.case_helpers import case_work_covenant, decided_case, intervention
from tests.conftest import make_user, verified_client
from tests.intake_helpers import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_coordinator(users):
    return make_user("coco", Role.COORDINATOR, organisation=users[Role.COORDINATOR].organisation)


def test_emergency_access_needs_a_reason_is_time_limited_audited_and_reviewed(users, other_coordinator,
                                                                              time_machine) -> None:
    case = decided_case(users)
    client = verified_client(other_coordinator)
    detail = reverse("cases:case_detail", args=[case.reference])
    assert client.get(detail).status_code == 404  # not theirs
    refused = client.post(reverse("cases:emergency_access"), {"reference": case.reference, "reason": ""})
    assert "reason" in refused.context["form"].errors
    assert EmergencyAccess.objects.count() == 0
    short = client.post(reverse("cases:emergency_access"), {"reference": case.reference, "reason": "nodig"})
    assert "reason" in short.context["form"].errors
    granted = client.post(reverse("cases:emergency_access"), {
        "reference": case.reference, "reason": "Dreiging vannacht gemeld; casusregisseur onbereikbaar."})
    assert granted.status_code == 302
    assert client.get(detail).status_code == 200
    access = EmergencyAccess.objects.get()
    assert access.expires_at == access.granted_at + datetime.timedelta(hours=8)
    assert AuditEvent.objects.filter(action="emergency_access", actor=other_coordinator,
                                     object_id=str(case.pk)).exists()
    officer = verified_client(users[Role.PRIVACY_OFFICER])
    queue = officer.get(reverse("privacy:access_review")).content.decode()
    assert "Dreiging vannacht gemeld" in queue
    assert "Beoordeling vastleggen" in queue
    officer.post(reverse("privacy:emergency_review", args=[access.pk]), {"justified": "yes", "note": "Terecht."})
    access.refresh_from_db()
    assert access.review_justified is True
    assert access.reviewed_by == users[Role.PRIVACY_OFFICER]
    time_machine.move_to(timezone.now() + datetime.timedelta(hours=9))
    assert not Case.objects.visible_to(other_coordinator).exists()  # expired


def test_the_access_review_finds_bursts_and_work_outside_hours(users, settings, time_machine) -> None:
    settings.ACCESS_REVIEW_BURST_VIEWS = 5
    coordinator = users[Role.COORDINATOR]
    time_machine.move_to(datetime.datetime(2026, 11, 18, 23, 30, tzinfo=datetime.UTC))  # Thursday 00:30 local
    for number in range(6):
        log_event("view", actor=coordinator, object_type="people.person", object_id=number, reason="triage")
    review = services.access_review(since=timezone.now() - datetime.timedelta(days=1))
    assert [(b["user"], b["views"]) for b in review["bursts"]] == [(coordinator, 5)]
    assert len(review["outside_hours"]) == 6
    person = Person.objects.create(name="Nachtelijk Bekeken", retain_until=timezone.localdate())
    log_event("view", actor=coordinator, obj=person, reason="triage and assessment")
    page = verified_client(users[Role.PRIVACY_OFFICER]).get(reverse("privacy:access_review")).content.decode()
    outside = page.split('id="outside"')[1].split("</ul>")[0]
    assert re.search(r"donderdag 19-11-2026 00:30 · carla@example.nl · Betrokkene " + person.pseudonym
                     + " · triage en weging", outside), outside[:600]
    assert "RCET" not in outside
    assert "th04" not in outside


def test_a_request_has_a_legal_deadline_that_can_be_extended_once(users) -> None:
    person = Person.objects.create(name="Iemand", retain_until=timezone.localdate())
    officer = users[Role.PRIVACY_OFFICER]
    request = services.register_request(kind="access", person=person, received_on=datetime.date(2026, 1, 31),
                                        handler=officer, actor=officer)
    assert request.deadline == datetime.date(2026, 2, 28)
    services.extend_request(request, reason="Omvangrijk dossier met meerdere partijen.", actor=officer)
    assert request.deadline == datetime.date(2026, 4, 30)
    with pytest.raises(ValidationError, match=r"two months|twee maanden|once|eenmaal"):
        services.extend_request(request, reason="Nog eens.", actor=officer)


def test_the_access_export_holds_everything_about_the_person_and_nothing_about_anyone_else(
        users, monkeypatch) -> None:
    coordinator, manager, officer = users[Role.COORDINATOR], users[Role.CASE_MANAGER], users[Role.PRIVACY_OFFICER]
    police = Organisation.objects.create(name="Politie Export", sector=Sector.POLICE)
    case_work_covenant([coordinator.organisation, police], coordinator)
    case = decided_case(users, "Esmee Exportsma")
    person = case.person
    extra = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Esmee Exportsma",
                   description="Tweede signaal over Esmee.")
    from netwerkregie.intake.services import link_person
    link_person(extra, actor=coordinator, person=person)
    cases.save_plan(case, goals=["Esmee rondt school af."], protective_factors="", base_version=0,
                    interventions=[intervention("mentor")], change_note="Plan", actor=manager)
    cases.add_contribution(case, organisation=police, category="police", reason="Dreiging", actor=manager)
    other_case = decided_case(users, "Olaf Anders")  # someone else entirely
    sibling_case = cases.open_case(person=other_case.person, case_manager=manager, actor=coordinator,
                                   reason="Broer van Olaf, apart traject.", related=[person])
    client = verified_client(officer)
    verified_client(manager).get(reverse("cases:case_detail", args=[case.reference]))
    request = services.register_request(kind="access", person=person, received_on=timezone.localdate(),
                                        handler=officer, actor=officer)
    data = json.loads(client.get(reverse("privacy:export_json", args=[request.pk])).content)
    assert data["person"]["name"] == "Esmee Exportsma"
    assert {s["reference"] for s in data["signals"]} == set(
        Signal.objects.filter(person=person).values_list("reference", flat=True))
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    assert data["cases"][0]["plan_versions"][0]["goals"] == ["Esmee rondt school af."]
    dump = json.dumps(data, ensure_ascii=False)
    assert "Olaf" not in dump
    assert other_case.reference not in dump
    assert {w["record"] for w in data["withheld"]} == {f"Casus {sibling_case.reference}",
                                                       f"Casus {case.reference}: Politie Export"}
    assert any(e["who"] == f"Casusregisseur, {manager.organisation}" and e["action"] == "inzien"
               for e in data["access_log"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", data["access_log"][0]["first"])
    import weasyprint

    printed: list[str] = []
    real_html = weasyprint.HTML
    monkeypatch.setattr(weasyprint, "HTML", lambda string, **options: printed.append(string)
                        or real_html(string=string, **options))
    pdf = client.get(reverse("privacy:export_pdf", args=[request.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = re.sub(r"<style>.*?</style>", "", printed[0], flags=re.S)
    assert not re.search(r"\d{4}-\d\d-\d\d", text)  # people read Dutch dates, not ISO
    assert "{" not in text
    assert "date_of_birth" not in text
    assert "retain_until" not in text
    assert not re.search(r">(planned|running|completed|person|parent)<", text)  # labels, not codes
    assert "Geboortedatum" in text
    assert "Esmee rondt school af." in text
    exports = AuditEvent.objects.filter(action="export", object_type="people.person", object_id=str(person.pk))
    assert exports.count() == 2


def test_requests_page_and_registers(users) -> None:
    person = Person.objects.create(name="Iemand", retain_until=timezone.localdate())
    client = verified_client(users[Role.PRIVACY_OFFICER])
    response = client.post(reverse("privacy:requests"), {
        "kind": "erasure", "pseudonym": person.pseudonym.lower(), "received_on": timezone.localdate().isoformat(),
        "handler": users[Role.PRIVACY_OFFICER].pk, "requester": "person", "identity_check": "digid",
        "channel": "email"})
    assert response.status_code == 302
    assert DataSubjectRequest.objects.get().person == person
    register = client.get(reverse("privacy:register")).content.decode()
    assert "burgerservicenummer (BSN) *" in register
    assert "28 dagen" in register
    assert "Noodzaak en proportionaliteit" in client.get(reverse("privacy:register") + "?dpia=1").content.decode()
    overview = client.get(reverse("privacy:overview")).content.decode()
    assert "5 jaar na afsluiten" in overview


def test_the_access_export_of_a_demo_person_is_complete_and_about_them_only(settings, tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from netwerkregie.core.models import User

    settings.DEMO, settings.VAR_DIR = True, tmp_path
    call_command("load_demo", "--no-history", stdout=StringIO())
    subject_request = DataSubjectRequest.objects.get(kind="access")
    person = subject_request.person
    client = Client()
    officer = User.objects.get(email="privacy@demo.netwerkregie.test")
    client.force_login(officer)
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=officer).persistent_id
    session.save()
    data = json.loads(client.get(reverse("privacy:export_json", args=[subject_request.pk])).content)
    assert {s["reference"] for s in data["signals"]} == set(
        Signal.objects.filter(person=person).values_list("reference", flat=True))
    assert {c["reference"] for c in data["cases"]} == set(Case.objects.filter(person=person).values_list(
        "reference", flat=True))
    assert data["cases"][0]["plan_versions"]
    assert data["cases"][0]["consultations"][0]["minutes"]
    dump = json.dumps(data, ensure_ascii=False)
    for other in Person.objects.exclude(pk=person.pk):
        assert other.name not in dump
        assert other.pseudonym not in dump
    for signal in Signal.objects.exclude(person=person):
        assert signal.reference not in dump
    for case in Case.objects.exclude(person=person):
        assert case.reference not in dump


def test_a_legal_hold_is_recorded_only_for_a_record_that_exists(users) -> None:
    from netwerkregie.privacy.models import LegalHold

    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    client = verified_client(users[Role.PRIVACY_OFFICER])
    until = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    post = {"object_type": "intake.signal", "reason": "Vordering van de officier van justitie.", "until": until}
    for missing in ("S-2000-ZZZZZZ", "999999"):
        response = client.post(reverse("privacy:overview"), {**post, "reference": missing})
        assert "reference" in response.context["form"].errors
    past = client.post(reverse("privacy:overview"), {**post, "reference": signal.reference, "until": "2000-01-01"})
    assert "until" in past.context["form"].errors
    assert LegalHold.objects.count() == 0
    client.post(reverse("privacy:overview"), {**post, "reference": signal.reference.lower()})
    client.post(reverse("privacy:overview"), {**post, "reference": str(signal.pk)})
    assert list(LegalHold.objects.values_list("object_id", flat=True)) == [str(signal.pk)] * 2
    assert AuditEvent.objects.filter(object_type="privacy.legalhold", action="create").count() == 2
