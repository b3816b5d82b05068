"""Partners, contact people, covenants, contact moments and the network at a glance."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.network import services
from netwerkregie.network.models import Contact, ContactMoment, ContactTopic, Covenant, Organisation, Sector
from tests.conftest import make_user, verified_client
from tests.network_helpers import PDF, covenant

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db: None) -> Organisation:
    return Organisation.objects.create(name="Zuiderpark Lyceum", sector=Sector.SCHOOL)


def moment_post(organisation: Organisation, **changes: object) -> dict[str, object]:
    return {"happened_on": timezone.localdate().isoformat(), "kind": "visit", "organisations": [organisation.pk],
            "topic": ContactTopic.objects.get(code="getting_acquainted").pk,
            "summary": "Kennismaking met de nieuwe zorgcoördinator.", **changes}


def test_the_coordinator_logs_a_contact_moment_and_coverage_updates(users, school) -> None:
    client = verified_client(users[Role.COORDINATOR])
    before = services.coverage()
    column = before["sectors"].index(Sector.SCHOOL)
    assert all(row["cells"][column].days_since_contact is None for row in before["rows"])
    form = client.get(reverse("network:contact_moment_new")).content.decode()
    assert "niet vastgelegd" in form  # the form says what is never recorded here
    response = client.post(reverse("network:contact_moment_new"),
                           moment_post(school, happened_on=(timezone.localdate() - datetime.timedelta(days=3))))
    assert response.status_code == 302
    city_wide = services.coverage()["rows"][-1]["cells"][column]
    assert (city_wide.partners, city_wide.days_since_contact) == (1, 3)
    assert school not in services.stale_partners()
    page = client.get(reverse("network:overview")).content.decode()
    assert "3 dagen" in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"happened_on": "2999-01-01"}, "happened_on"),
        ({"summary": ""}, "summary"),
        ({"summary": "<script>alert(1)</script>"}, "summary"),
        ({"organisations": []}, "organisations"),
    ],
)
def test_bad_contact_moments_are_refused(users, school, changes: dict, field: str) -> None:
    client = verified_client(users[Role.COORDINATOR])
    events = AuditEvent.objects.count()
    response = client.post(reverse("network:contact_moment_new"), moment_post(school, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ContactMoment.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_the_guard_applies_to_summaries(users, school) -> None:
    client = verified_client(users[Role.COORDINATOR])
    text = "Gesprek met de imam over de sfeer in de wijk."
    flagged = client.post(reverse("network:contact_moment_new"), moment_post(school, summary=text))
    assert flagged.status_code == 200
    assert "imam" in flagged.content.decode()
    assert ContactMoment.objects.count() == 0
    saved = client.post(reverse("network:contact_moment_new"), moment_post(
        school, summary=text, special_category_confirmed="on", special_category_reason="De functie is de partner."))
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(action="special_category_confirmed", object_type="network.contactmoment").exists()


def test_contacts_must_belong_to_the_chosen_organisations(users, school) -> None:
    other = Organisation.objects.create(name="Buurthuis Noord", sector=Sector.COMMUNITY_CENTRE)
    stranger = services.save_contact(Contact(organisation=other, name="Piet Buur", informed_on=timezone.localdate()),
                                     actor=users[Role.COORDINATOR])
    response = verified_client(users[Role.COORDINATOR]).post(
        reverse("network:contact_moment_new"), moment_post(school, contacts=[stranger.pk]))
    assert "contacts" in response.context["form"].errors
    assert ContactMoment.objects.count() == 0


def test_a_contact_person_is_recorded_with_the_date_they_were_told(users, school) -> None:
    client = verified_client(users[Role.COORDINATOR])
    url = reverse("network:contact_new", args=[school.pk])
    missing = client.post(url, {"name": "Jet de Vries", "job_title": "Mentor"})
    assert "informed_on" in missing.context["form"].errors
    assert Contact.objects.count() == 0
    client.post(url, {"name": "Jet de Vries", "job_title": "Mentor", "email": "jet@school.nl",
                      "informed_on": timezone.localdate().isoformat(), "is_active": "on"})
    contact = Contact.objects.get()
    assert contact.informed_on == timezone.localdate()
    assert contact.retain_until > timezone.localdate()


def test_a_covenant_needs_a_valid_period_and_a_pdf(users, school) -> None:
    client = verified_client(users[Role.COORDINATOR])
    base = {"title": "Convenant scholen", "parties": [school.pk, users[Role.COORDINATOR].organisation.pk],
            "for_signals": "on", "valid_from": "2026-01-01"}
    backwards = client.post(reverse("network:covenant_new"), {**base, "valid_until": "2025-01-01"})
    assert "valid_until" in backwards.context["form"].errors
    not_pdf = client.post(reverse("network:covenant_new"), {
        **base, "document": SimpleUploadedFile("c.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")})
    assert "document" in not_pdf.context["form"].errors
    assert Covenant.objects.count() == 0
    ok = client.post(reverse("network:covenant_new"), {
        **base, "document": SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf")})
    assert ok.status_code == 302
    saved = Covenant.objects.get()
    assert saved.is_valid_on(timezone.localdate())
    assert saved.purpose_labels() == ["Signalen indienen"]
    download = client.get(reverse("network:covenant_document", args=[saved.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_covenants_are_valid_for_a_purpose_and_a_period(users, school) -> None:
    partner_org = users[Role.PARTNER].organisation
    old = covenant([school, partner_org], users[Role.COORDINATOR], purposes=("case_work",),
                   valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2021, 12, 31))
    today = timezone.localdate()
    assert list(Covenant.objects.valid_on(today)) == []
    assert list(Covenant.objects.valid_on(datetime.date(2021, 6, 1)).for_purpose("case_work")) == [old]
    assert list(Covenant.objects.valid_on(datetime.date(2021, 6, 1)).for_purpose("signals")) == []


def test_a_partner_sees_only_their_own_organisation(users, school) -> None:
    partner = users[Role.PARTNER]
    client = verified_client(partner)
    assert client.get(reverse("network:organisation_detail", args=[partner.organisation.pk])).status_code == 200
    assert client.get(reverse("network:organisation_detail", args=[school.pk])).status_code == 404
    listing = client.get(reverse("network:organisation_list")).content.decode()
    assert partner.organisation.name in listing
    assert school.name not in listing


def test_the_partner_list_shows_each_partners_last_contact(users, school, settings) -> None:
    """Read for the listed page only (not an aggregate over every partner): the latest of several moments,
    a dash for a partner never contacted, and the same in the "no recent contact" list of the overview."""
    settings.NETWORK_STALE_AFTER_DAYS = 90
    quiet = Organisation.objects.create(name="Buurthuis De Stilte", sector=Sector.COMMUNITY_CENTRE)
    topic, today = ContactTopic.objects.first(), timezone.localdate()
    for days in (200, 100):
        services.record_contact_moment(services.ContactMomentInput(
            happened_on=today - datetime.timedelta(days=days), kind="call", organisations=[school], contacts=[],
            topic=topic, summary="Bijpraten."), actor=users[Role.COORDINATOR])
    client = verified_client(users[Role.COORDINATOR])
    page = client.get(reverse("network:organisation_list")).content.decode()
    rows = {re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
            for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, re.S)}
    latest = today - datetime.timedelta(days=100)
    assert f"{school.name} School Stadsbreed {latest.day}-{latest.month}-{latest.year}" in rows
    assert f"{quiet.name} Buurthuis of wijkcentrum Stadsbreed —" in rows
    ContactMoment.objects.create(happened_on=today, kind="call", topic=topic, summary="Zonder partner.",
                                 recorded_by=users[Role.COORDINATOR], retain_until=today)  # linked to none
    stale = services.stale_partners()  # never contacted first (by name), then the oldest contact
    assert [o.name for o in stale] == ["Buurthuis De Stilte", "Gemeente Teststad", "Zuiderpark Lyceum"]
    assert [o.last_contact for o in stale] == [None, None, latest]


def test_stale_partners_and_follow_ups(users, school, settings) -> None:
    settings.NETWORK_STALE_AFTER_DAYS = 90
    today = timezone.localdate()
    topic = ContactTopic.objects.first()
    services.record_contact_moment(services.ContactMomentInput(
        happened_on=today - datetime.timedelta(days=120), kind="call", organisations=[school], contacts=[],
        topic=topic, summary="Lang geleden.", follow_up_on=today - datetime.timedelta(days=1)),
        actor=users[Role.COORDINATOR])
    assert school in services.stale_partners()
    due = list(services.follow_ups_due())
    assert len(due) == 1
    client = verified_client(users[Role.PROGRAMME_OFFICER])
    client.post(reverse("network:follow_up_done", args=[due[0].pk]))
    assert list(services.follow_ups_due()) == []


def test_the_network_picture_is_accessible_svg_with_a_text_alternative(users, school) -> None:
    page = verified_client(users[Role.COORDINATOR]).get(reverse("network:overview")).content.decode()
    assert '<svg viewBox=' in page
    assert 'role="img"' in page
    assert "<title id=\"picture-title\">" in page
    assert "Actieve partners per sector" in page
    assert "School" in page
    svg = ElementTree.fromstring(re.search(r"<svg .*?</svg>", page, re.S).group(0))  # noqa: S314 - our own page, must be well-formed
    numbers = [svg.get("viewBox"), *(el.get(a) for el in svg.iter() for a in ("x", "y", "cx", "cy", "r", "x1", "y1",
                                                                              "x2", "y2") if el.get(a) is not None)]
    assert len(numbers) > 5
    for value in numbers:  # never a Dutch decimal comma inside the picture
        assert all(float(part) >= 0 for part in value.split(" ")), value


def test_programme_officer_works_in_the_network_without_personal_data_of_persons(users) -> None:
    officer = make_user("pim", Role.PROGRAMME_OFFICER, organisation=users[Role.COORDINATOR].organisation)
    client = verified_client(officer)
    assert client.get(reverse("network:overview")).status_code == 200
    for name in ("intake:triage", "intake:session_list", "intake:my_signals", "intake:consultation_list"):
        assert client.get(reverse(name)).status_code == 404, name
