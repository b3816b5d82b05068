"""Reading a meeting's calendar file in tests: parsed with icalendar, and checked for what must not be in it."""

import datetime
import zoneinfo

from django.http import HttpResponse
from icalendar import Calendar, Event

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
# A day in summer time (UTC+2) with today a month before it, so the meeting can still move.
TODAY = datetime.datetime(2027, 6, 1, 9, 0, tzinfo=AMSTERDAM)
MEETING_DAY = datetime.date(2027, 7, 1)


def parse(response: HttpResponse) -> tuple[Calendar, Event]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def assert_absent(body: bytes, *secrets: str) -> None:
    """Each string is absent from the file, also where a long line was folded across it."""
    unfolded = body.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    for secret in secrets:
        assert secret, "an empty string proves nothing"
        for form in {secret, secret.upper(), secret.lower()}:
            assert form.encode() not in body, f"{secret!r} is in the calendar file"
            assert form.encode() not in unfolded, f"{secret!r} is in the calendar file"


def assert_local_times(body: bytes, start: datetime.time, end: datetime.time) -> None:
    """The times are Amsterdam wall-clock times with the zone's definition in the file."""
    calendar = Calendar.from_ical(body)
    event = calendar.walk("VEVENT")[0]
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    for name, wall in (("DTSTART", start), ("DTEND", end)):
        assert event[name].params["TZID"] == "Europe/Amsterdam"
        value = event.decoded(name)
        assert (value.date(), value.time()) == (MEETING_DAY, wall)
        assert value.utcoffset() == datetime.timedelta(hours=2)  # summer time
    text = body.decode()
    assert f"DTSTART;TZID=Europe/Amsterdam:{MEETING_DAY:%Y%m%d}T{start:%H%M}00" in text
