"""A meeting as a calendar file (iCalendar, RFC 5545) that Outlook and other agendas import.

The file holds no personal data: the kind of meeting (never its title, which a coordinator types and might
name someone), the date and times in the site's zone with its VTIMEZONE, the place, and a link to the
meeting's page, where the reader signs in and sees only what they may. No organiser and no attendees: their
names and addresses would travel with every forwarded invitation.

The UID is derived from the meeting's kind and number (not personal data) and stays the same for the
meeting's life; SEQUENCE is the meeting's ``calendar_sequence``, raised by every change of time or place.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from netwerkregie.core.meetings import ScheduledMeeting

PRODUCT_ID = "-//Netwerkregie//Netwerkregie//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True)
class CalendarEntry:
    kind: str  # "weegoverleg", "casusoverleg": part of the UID and the file name
    summary: str  # the kind of meeting in words, in the reader's language
    description: str  # one line of text before the link
    url: str  # absolute


def meeting_uid(kind: str, pk: int) -> str:
    """Stable for the meeting's life and unique across installations: a police officer who attends the
    sessions of two municipalities gets two different UIDs for their sessions number 3. The domain is the
    installation's first ``ALLOWED_HOSTS`` entry, whatever host name a reader used."""
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.lstrip(".") and "*" not in h), "")
    return f"{kind}-{pk}@{host or 'netwerkregie.invalid'}"


def build(meeting: ScheduledMeeting, entry: CalendarEntry, *, cancelled: bool = False) -> bytes:
    """The calendar file of one meeting: one VEVENT, in local time with the zone's definition included."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", meeting_uid(entry.kind, meeting.pk))
    event.add("sequence", meeting.calendar_sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", entry.summary)
    held_on: datetime.date = meeting.held_on  # type: ignore[attr-defined]
    starts, ends = meeting.starts, meeting.ends
    if starts is None:  # a date only: an all-day entry
        event.add("dtstart", held_on)
        event.add("dtend", held_on + datetime.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        zone = timezone.get_default_timezone()
        event.add("dtstart", starts.astimezone(zone))
        event.add("dtend", (ends or starts).astimezone(zone))
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", entry.url)
    event.add("description", f"{entry.description}\n{entry.url}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("class", "CONFIDENTIAL")
    calendar.add_component(event)
    # The zone's rules around the meeting only (a year either side), not since 1970: a short VTIMEZONE.
    year = datetime.timedelta(days=366)
    calendar.add_missing_timezones(first_date=held_on - year, last_date=held_on + year)
    ical: bytes = calendar.to_ical()
    return ical


def download(meeting: ScheduledMeeting, entry: CalendarEntry) -> HttpResponse:
    held_on: datetime.date = meeting.held_on  # type: ignore[attr-defined]
    response = HttpResponse(build(meeting, entry), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{entry.kind}-{held_on:%Y%m%d}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response

