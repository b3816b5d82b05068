"""The calendar file builder on its own: the cancelled form (for when meetings can be cancelled) and the UID's
domain, which is the installation's, not the host name a reader happened to use."""

import datetime

import pytest
from icalendar import Calendar

from netwerkregie.core import ics
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentSession

pytestmark = pytest.mark.django_db

ENTRY = ics.CalendarEntry(kind="weegoverleg", summary="Weegoverleg", description="Agenda:",
                          url="https://intern.example.nl/assessments/7/")


def a_session(users: dict[str, User]) -> AssessmentSession:
    return AssessmentSession.objects.create(title="X", held_on=datetime.date(2027, 1, 15),
                                            starts_at=datetime.time(9, 0), ends_at=datetime.time(10, 0),
                                            created_by=users[Role.COORDINATOR], calendar_sequence=3)


def test_a_cancelled_meeting_says_so_with_its_uid_and_sequence(users: dict[str, User], settings: object) -> None:
    settings.ALLOWED_HOSTS = ["netwerkregie.example.nl"]  # type: ignore[attr-defined]
    session = a_session(users)
    calendar = Calendar.from_ical(ics.build(session, ENTRY, cancelled=True))
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"weegoverleg-{session.pk}@netwerkregie.example.nl"
    assert int(event["SEQUENCE"]) == 3
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)  # winter time


@pytest.mark.parametrize(("hosts", "domain"), [
    ([".example.nl", "localhost"], "example.nl"), (["*"], "netwerkregie.invalid"), ([], "netwerkregie.invalid")])
def test_the_uid_domain_is_the_first_named_allowed_host(hosts: list[str], domain: str, settings: object) -> None:
    settings.ALLOWED_HOSTS = hosts  # type: ignore[attr-defined]
    assert ics.meeting_uid("casusoverleg", 12) == f"casusoverleg-12@{domain}"
