"""An assessment session in the participants' calendars: the .ics file holds the kind of meeting, its time in
Europe/Amsterdam, its place and a link, and nothing about the people on its agenda."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.models import AssessmentSession
from tests.calendar_helpers import AMSTERDAM, MEETING_DAY, TODAY, assert_absent, assert_local_times, parse
from tests.conftest import make_user, verified_client
from tests.intake_helpers import on_agenda, submit

pytestmark = pytest.mark.django_db

TWO, FOUR = datetime.time(14, 0), datetime.time(16, 0)


@pytest.fixture(autouse=True)
def _a_month_before(time_machine: object) -> None:
    time_machine.move_to(TODAY)  # type: ignore[attr-defined]


def planned(users: dict[str, User], **fields: object) -> AssessmentSession:
    coordinator, core_partner = users[Role.COORDINATOR], users[Role.CORE_PARTNER]
    session = services.create_session(
        title=str(fields.pop("title", "Weegoverleg juli")), held_on=MEETING_DAY,
        participants=[coordinator, core_partner], actor=coordinator,
        **{"starts_at": TWO, "ends_at": FOUR, "location": "Stadhuis, zaal 3", **fields})
    return session


def calendar_of(client: Client, session: AssessmentSession) -> object:
    return client.get(reverse("intake:session_calendar", args=[session.pk]))


def test_it_gives_the_session_in_amsterdam_time_with_place_and_link(
        users: dict[str, User], client_for: object) -> None:
    session = planned(users)
    response = calendar_of(client_for(Role.COORDINATOR), session)  # type: ignore[operator]
    calendar, event = parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="weegoverleg-20270701.ics"'
    assert_local_times(response.content, TWO, FOUR)
    assert str(event["SUMMARY"]) == "Weegoverleg"
    assert str(event["LOCATION"]) == "Stadhuis, zaal 3"
    assert str(event["URL"]) == f"http://testserver/assessments/{session.pk}/"
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_it_holds_no_name_pseudonym_or_reference_of_anyone_on_the_agenda(
        users: dict[str, User], client_for: object) -> None:
    coordinator = users[Role.COORDINATOR]
    session = planned(users, title="Weging Jesse de Boer en Sam Visser")  # a title that names someone
    first = on_agenda(submit(coordinator.organisation, coordinator), session, coordinator, name="Jesse de Boer")
    second = on_agenda(submit(coordinator.organisation, coordinator, subject_name="Sam Visser"), session,
                       coordinator, name="Sam Visser")
    for who in (Role.COORDINATOR, Role.CORE_PARTNER):
        body = calendar_of(client_for(who), session).content  # type: ignore[operator]
        assert_absent(body, "Jesse de Boer", "Sam Visser", "Jesse", "Visser", session.title,
                      first.reference, second.reference, first.person.pseudonym, second.person.pseudonym,
                      coordinator.full_name, coordinator.email, users[Role.CORE_PARTNER].full_name,
                      users[Role.CORE_PARTNER].email, str(coordinator.organisation))


def test_a_date_without_a_time_is_a_whole_day(users: dict[str, User], client_for: object) -> None:
    session = planned(users, starts_at=None, ends_at=None, location="")
    _, event = parse(calendar_of(client_for(Role.COORDINATOR), session))  # type: ignore[operator]
    assert event.decoded("DTSTART") == MEETING_DAY
    assert event.decoded("DTEND") == MEETING_DAY + datetime.timedelta(days=1)
    assert "LOCATION" not in event


def test_the_uid_stays_and_the_sequence_rises_when_the_session_moves(
        users: dict[str, User], client_for: object) -> None:
    session = planned(users)
    coordinator = client_for(Role.COORDINATOR)  # type: ignore[operator]
    _, before = parse(calendar_of(coordinator, session))
    schedule = reverse("intake:session_schedule", args=[session.pk])
    form = {"held_on": "2027-07-02", "starts_at": "09:30", "ends_at": "11:00", "location": "Politiebureau"}
    assert coordinator.post(schedule, form).status_code == 302
    _, after = parse(calendar_of(coordinator, session))
    assert str(after["UID"]) == str(before["UID"]) == f"weegoverleg-{session.pk}@127.0.0.1"
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert after.decoded("DTSTART") == datetime.datetime(2027, 7, 2, 9, 30, tzinfo=AMSTERDAM)
    assert str(after["LOCATION"]) == "Politiebureau"
    coordinator.post(schedule, form)  # the same again: nothing changed, no new version
    assert AssessmentSession.objects.get(pk=session.pk).calendar_sequence == 1
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(session.pk),
                                     object_type="intake.assessmentsession").count() == 1


def test_an_end_before_the_start_is_refused_in_dutch_and_nothing_changes(
        users: dict[str, User], client_for: object) -> None:
    session = planned(users)
    response = client_for(Role.COORDINATOR).post(  # type: ignore[operator]
        reverse("intake:session_schedule", args=[session.pk]),
        {"held_on": "2027-07-02", "starts_at": "16:00", "ends_at": "15:00", "location": "Elders"})
    assert response.status_code == 422
    assert "De eindtijd moet na de begintijd liggen." in response.content.decode()
    session.refresh_from_db()
    assert (session.held_on, session.location, session.calendar_sequence) == (MEETING_DAY, "Stadhuis, zaal 3", 0)


@pytest.mark.parametrize(("starts_at", "ends_at", "field"), [("14:00", "", "ends_at"), ("", "16:00", "starts_at")])
def test_a_time_needs_both_ends(users: dict[str, User], client_for: object, starts_at: str, ends_at: str,
                                field: str) -> None:
    response = client_for(Role.COORDINATOR).post(reverse("intake:session_new"), {  # type: ignore[operator]
        "title": "Weegoverleg", "held_on": "2027-07-01", "starts_at": starts_at, "ends_at": ends_at,
        "participants": [users[Role.CORE_PARTNER].pk]})
    assert response.status_code == 200  # the form again, with the message beside the empty field
    assert response.context["form"].errors[field] == ["Vul zowel een begin- als een eindtijd in, of geen van beide."]
    assert not AssessmentSession.objects.exists()


def test_the_database_refuses_an_end_before_the_start(users: dict[str, User]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentSession.objects.create(title="X", held_on=MEETING_DAY, starts_at=FOUR, ends_at=TWO,
                                          created_by=users[Role.COORDINATOR])


def test_the_coordinator_plans_a_session_with_time_and_place(users: dict[str, User], client_for: object) -> None:
    response = client_for(Role.COORDINATOR).post(reverse("intake:session_new"), {  # type: ignore[operator]
        "title": "Weegoverleg", "held_on": "2027-07-01", "starts_at": "14:00", "ends_at": "16:00",
        "location": "Stadhuis", "participants": [users[Role.CORE_PARTNER].pk]})
    assert response.status_code == 302
    session = AssessmentSession.objects.get()
    assert (session.starts_at, session.ends_at, session.location) == (TWO, FOUR, "Stadhuis")


def test_the_download_is_recorded(users: dict[str, User], client_for: object) -> None:
    session = planned(users)
    calendar_of(client_for(Role.CORE_PARTNER), session)  # type: ignore[operator]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, actor=users[Role.CORE_PARTNER],
                                     object_id=str(session.pk), reason="calendar file (.ics)").exists()


def test_it_is_not_found_for_whoever_may_not_see_the_session(
        users: dict[str, User], client_for: object, municipality: object) -> None:
    session = planned(users)
    outsider = make_user("olaf", Role.CORE_PARTNER, organisation=municipality)  # a core partner, not invited
    for client in (verified_client(outsider), client_for(Role.PARTNER), client_for(Role.CASE_MANAGER)):  # type: ignore[operator]
        assert calendar_of(client, session).status_code == 404
        assert client.get(reverse("intake:session_schedule", args=[session.pk])).status_code == 404
    assert client_for(Role.CORE_PARTNER).get(  # type: ignore[operator]
        reverse("intake:session_schedule", args=[session.pk])).status_code == 404  # sees it, does not move it
