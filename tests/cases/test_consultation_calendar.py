"""A case consultation in the attendees' calendars: the .ics file holds the kind of meeting, its time in
Europe/Amsterdam, its place and a link; never a case, its person or its minutes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from netwerkregie.cases import consultations as services
from netwerkregie.cases.models import Case, CaseConsultation
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from tests.calendar_helpers import MEETING_DAY, TODAY, assert_absent, assert_local_times, parse
from tests.case_helpers import decided_case
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db

TEN, NOON = datetime.time(10, 0), datetime.time(12, 0)


@pytest.fixture(autouse=True)
def _a_month_before(time_machine: object) -> None:
    time_machine.move_to(TODAY)  # type: ignore[attr-defined]


@pytest.fixture
def case(users: dict[str, User]) -> Case:
    for who, name in ((Role.COORDINATOR, "Carla Jansen"), (Role.CASE_MANAGER, "Cas van Dam"),
                      (Role.PARTNER, "Petra de Vries")):  # full names: "Cas" alone is in "Casusoverleg"
        User.objects.filter(pk=users[who].pk).update(full_name=name)
        users[who].refresh_from_db()
    return decided_case(users, "Jesse de Boer")


def planned(users: dict[str, User], case: Case, by: str = Role.COORDINATOR) -> CaseConsultation:
    consultation = services.plan_consultation(
        title=f"Casusoverleg {case.reference} Jesse", held_on=MEETING_DAY, starts_at=TEN, ends_at=NOON,
        location="Wijkcentrum De Brug", attendees=[users[Role.CASE_MANAGER], users[Role.PARTNER]], cases=[case],
        actor=users[by])
    services.save_minutes(consultation.items.get(), minutes="Jesse zoekt werk.", decisions="Mentor via school.",
                          actor=users[Role.COORDINATOR])
    return consultation


def calendar_of(client: Client, consultation: CaseConsultation) -> object:
    return client.get(reverse("cases:consultation_calendar", args=[consultation.pk]))


def test_it_gives_the_consultation_in_amsterdam_time_and_nothing_of_the_cases(
        users: dict[str, User], client_for: object, case: Case) -> None:
    consultation = planned(users, case)
    for who in (Role.COORDINATOR, Role.CASE_MANAGER, Role.PARTNER):  # the partner attends, without the case
        response = calendar_of(client_for(who), consultation)  # type: ignore[operator]
        _, event = parse(response)
        assert response["Content-Disposition"] == 'attachment; filename="casusoverleg-20270701.ics"'
        assert_local_times(response.content, TEN, NOON)
        assert str(event["SUMMARY"]) == "Casusoverleg"
        assert str(event["LOCATION"]) == "Wijkcentrum De Brug"
        assert str(event["URL"]) == f"http://testserver/case-consultations/{consultation.pk}/"
        assert_absent(response.content, "Jesse de Boer", "Jesse", case.reference, case.person.pseudonym,
                      consultation.title, "zoekt werk", "Mentor via school",
                      *(u.full_name for u in consultation.attendees.all()),
                      *(u.email for u in consultation.attendees.all()))


def test_the_uid_stays_and_the_sequence_rises_when_the_consultation_moves(
        users: dict[str, User], client_for: object, case: Case) -> None:
    consultation = planned(users, case, by=Role.CASE_MANAGER)
    planner = client_for(Role.CASE_MANAGER)  # type: ignore[operator]
    _, before = parse(calendar_of(planner, consultation))
    response = planner.post(reverse("cases:consultation_schedule", args=[consultation.pk]),
                            {"held_on": "2027-07-01", "starts_at": "13:00", "ends_at": "15:00",
                             "location": "Wijkcentrum De Brug"})
    assert response.status_code == 302
    _, after = parse(calendar_of(client_for(Role.PARTNER), consultation))  # type: ignore[operator]
    assert str(after["UID"]) == str(before["UID"]) == f"casusoverleg-{consultation.pk}@127.0.0.1"
    assert (int(before["SEQUENCE"]), int(after["SEQUENCE"])) == (0, 1)
    assert after.decoded("DTSTART").time() == datetime.time(13, 0)


def test_a_held_consultation_does_not_move(users: dict[str, User], client_for: object, case: Case,
                                           time_machine: object) -> None:
    consultation = planned(users, case)
    time_machine.move_to(datetime.datetime(2027, 7, 2, 9, 0, tzinfo=TODAY.tzinfo))  # type: ignore[attr-defined]
    response = client_for(Role.COORDINATOR).post(  # type: ignore[operator]
        reverse("cases:consultation_schedule", args=[consultation.pk]),
        {"held_on": "2027-07-09", "starts_at": "10:00", "ends_at": "12:00", "location": ""})
    assert response.status_code == 422
    assert "Dit overleg is al geweest" in response.content.decode()
    assert CaseConsultation.objects.get(pk=consultation.pk).calendar_sequence == 0


def test_it_is_not_found_for_whoever_may_not_see_the_consultation(
        users: dict[str, User], client_for: object, case: Case, municipality: object) -> None:
    consultation = planned(users, case)
    others = [verified_client(make_user("pim", Role.PARTNER, organisation=municipality)),  # does not attend
              verified_client(make_user("kim", Role.CORE_PARTNER, organisation=municipality)),
              client_for(Role.PRIVACY_OFFICER), client_for(Role.ADMIN)]  # type: ignore[operator]
    for client in others:
        assert calendar_of(client, consultation).status_code == 404
    schedule = reverse("cases:consultation_schedule", args=[consultation.pk])
    # The case manager attends but did not plan it; the partner attends.
    for who in (Role.CASE_MANAGER, Role.PARTNER):
        assert client_for(who).get(schedule).status_code == 404  # type: ignore[operator]
    assert client_for(Role.COORDINATOR).get(schedule).status_code == 200  # type: ignore[operator]
