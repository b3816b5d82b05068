"""Signal intake through the web form: receipt, acute danger, bad input, the special-category
guard, and what the submitter is (not) shown."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal, SignalStatus
from netwerkregie.intake.services import decide
from netwerkregie.network.models import Organisation, Sector
from tests.conftest import make_user, verified_client
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.mail_helpers import delivered

pytestmark = pytest.mark.django_db

VALID = {
    "description": "Zegt in de les dat geweld tegen de overheid gerechtvaardigd is.",
    "observations": ["justifies_violence", "rejects_democratic_order"],
    "subject_name": "Mila Jansen",
    "subject_birth_date": "2011-06-15",
    "context": "Tijdens een lessenreeks over democratie.",
}


def post_signal(client: Client, **changes: object) -> object:
    return client.post(reverse("intake:signal_new"), {**VALID, **changes})


def test_a_partner_submits_a_signal_and_gets_a_reference(client_for, users) -> None:
    response = post_signal(client_for(Role.PARTNER))
    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("intake:my_signal", args=[signal.reference])
    assert signal.reference.startswith(f"S-{timezone.localdate().year}-")
    assert signal.source_organisation == users[Role.PARTNER].organisation
    assert signal.channel == "web_form"
    assert signal.status == SignalStatus.NEW
    assert signal.subject_is_minor is True
    assert sorted(o.code for o in signal.observations.all()) == ["justifies_violence", "rejects_democratic_order"]
    assert signal.due_on > timezone.localdate()
    assert signal.retain_until > signal.due_on
    assert AuditEvent.objects.filter(action="create", object_type="intake.signal",
                                     object_id=str(signal.pk), actor=users[Role.PARTNER]).exists()
    receipt = client_for(Role.PARTNER).get(response.headers["Location"]).content.decode()
    assert signal.reference in receipt
    assert "Ontvangen" in receipt


def test_triage_is_due_five_working_days_later(client_for, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, tzinfo=datetime.UTC))  # a Friday
    post_signal(client_for(Role.PARTNER))
    assert Signal.objects.get().due_on == datetime.date(2026, 11, 27)


def test_triage_skips_dutch_public_holidays(client_for, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 12, 18, 10, tzinfo=datetime.UTC))  # Friday before Christmas
    post_signal(client_for(Role.PARTNER))
    assert Signal.objects.get().due_on == datetime.date(2026, 12, 28)  # 21-24 December and Monday the 28th


def test_acute_danger_tells_the_submitter_to_call_112_and_alerts_the_coordinator(
    client_for, users, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_signal(client_for(Role.PARTNER), acute_danger="on")
    page = client_for(Role.PARTNER).get(response.headers["Location"]).content.decode()
    assert "U gaf acuut gevaar aan: bel nu 112" in page
    assert Signal.objects.get().acute_danger is True
    assert len(delivered()) == 1
    assert delivered()[0].to == [users[Role.COORDINATOR].email]
    assert "Mila" not in delivered()[0].body  # no personal data in the alert
    assert Signal.objects.get().reference not in delivered()[0].subject + delivered()[0].body
    assert AuditEvent.objects.filter(action="alert").count() == 1
    triage = client_for(Role.COORDINATOR).get(reverse("intake:triage")).content.decode()
    assert "acuut gevaar" in triage


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"subject_birth_date": "2999-01-01"}, "subject_birth_date", "in de toekomst"),
        ({"description": "x" * 1_048_576}, "description", "10000"),
        ({"description": "<script>alert('x')</script>"}, "description", "HTML"),
        ({"context": "<img src=x onerror=alert(1)>"}, "context", "HTML"),
        ({"subject_name": "<b>Mila</b>"}, "subject_name", "HTML"),
        ({"subject_school": "<iframe src=//evil>"}, "subject_school", "HTML"),
        ({"subject_name": ""}, "subject_name", "verplicht"),
        ({"description": "   "}, "description", "verplicht"),
        ({"observed_since": "2999-01-01"}, "observed_since", "toekomst"),
        ({"subject_birth_date": "1800-01-01"}, "subject_birth_date", "120"),
        ({"observations": ["no_such_code"]}, "observations", "geldige keuze"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client_for, changes: dict, field: str, message: str
) -> None:
    client = client_for(Role.PARTNER)
    events = AuditEvent.objects.count()
    response = post_signal(client, **changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert Signal.objects.count() == 0
    assert AuditEvent.objects.count() == events
    assert "<script>alert" not in response.content.decode()  # echoed back as text, never as markup


def test_special_categories_are_flagged_and_need_a_reason(client_for, users) -> None:
    client = client_for(Role.PARTNER)
    text = "Hij zegt dat alle Joden het land uit moeten en roept op tot geweld bij de synagoge."
    flagged = post_signal(client, description=text)
    assert flagged.status_code == 200
    assert Signal.objects.count() == 0
    page = flagged.content.decode()
    assert "joden" in page
    assert "synagoge" in page
    assert "noodzakelijk" in page
    no_reason = post_signal(client, description=text, special_category_confirmed="on")
    assert "special_category_reason" in no_reason.context["form"].errors
    assert Signal.objects.count() == 0
    saved = post_signal(client, description=text, special_category_confirmed="on",
                        special_category_reason="Het doelwit van de dreiging is nodig om het gevaar te wegen.")
    assert saved.status_code == 302
    signal = Signal.objects.get()
    assert signal.special_category_confirmed is True
    event = AuditEvent.objects.get(action="special_category_confirmed")
    assert event.actor == users[Role.PARTNER]
    assert event.object_id == str(signal.pk)
    assert event.reason.startswith("Het doelwit")
    assert event.detail["terms"] == ["joden", "synagoge"]


def test_the_guard_matches_whole_words_only(client_for) -> None:
    # "ras" is flagged as a word, but not inside "terras"; "Kerk" starts "kerkdienst" on purpose.
    response = post_signal(client_for(Role.PARTNER), description="Zat op het terras en dreigde met een mes.")
    assert response.status_code == 302


def test_my_signals_shows_status_and_nothing_of_the_handling(users) -> None:
    partner, coordinator = users[Role.PARTNER], users[Role.COORDINATOR]
    signal = submit(partner.organisation, partner)
    client = verified_client(partner)
    assert "Ontvangen" in client.get(reverse("intake:my_signals")).content.decode()
    session = session_with(coordinator, users[Role.CORE_PARTNER])
    on_agenda(signal, session, coordinator)
    assert "In behandeling" in client.get(reverse("intake:my_signals")).content.decode()
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 4",
           decision="monitoring", rationale="Zorgen over geweldsverheerlijking; school en wijkteam volgen.",
           actor=coordinator)
    for url in (reverse("intake:my_signals"), reverse("intake:my_signal", args=[signal.reference])):
        page = client.get(url).content.decode()
        assert "Afgehandeld" in page
        for secret in ("Monitoring", "Convenant", "geweldsverheerlijking", signal.person.pseudonym,
                       "Jesse", "Weging week 48"):
            assert secret not in page, (url, secret)


def test_a_partner_cannot_open_another_organisations_signal(users) -> None:
    school = Organisation.objects.create(name="Het Baken College", sector=Sector.SCHOOL)
    other = make_user("olga", Role.PARTNER, organisation=school)
    theirs = submit(school, other)
    client = verified_client(users[Role.PARTNER])
    assert client.get(reverse("intake:my_signal", args=[theirs.reference])).status_code == 404
    assert client.get(reverse("intake:signal_detail", args=[theirs.reference])).status_code == 404
    assert theirs.reference not in client.get(reverse("intake:my_signals")).content.decode()


def test_analyst_and_programme_officer_see_no_signal_at_all(users) -> None:
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    for role in (Role.ANALYST, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER, Role.ADMIN, Role.CASE_MANAGER):
        user = users[role]
        assert Signal.objects.visible_to(user).count() == 0
        client = verified_client(user)
        for name in ("intake:signal_detail", "intake:my_signal"):
            assert client.get(reverse(name, args=[signal.reference])).status_code == 404, (role, name)


def test_the_coordinator_records_a_phone_report_for_a_worried_parent(client_for, municipality) -> None:
    response = client_for(Role.COORDINATOR).post(reverse("intake:signal_new"), {
        **VALID, "source_organisation": municipality.pk, "channel": "phone", "reporter": "Bezorgde moeder",
    })
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.channel == "phone"
    assert signal.reporter == "Bezorgde moeder"


def test_a_user_who_only_core_partners_cannot_submit(users: dict[str, User]) -> None:
    response = verified_client(users[Role.CORE_PARTNER]).post(reverse("intake:signal_new"), VALID)
    assert response.status_code == 404
    assert Signal.objects.count() == 0
