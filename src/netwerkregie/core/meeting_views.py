"""What the pages of an assessment session and a case consultation share: the calendar file, and the form
that moves the meeting. The apps' views find the meeting (with their access rules) and call these."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from netwerkregie.core import ics, meetings
from netwerkregie.core.audit import log_event
from netwerkregie.core.form_tools import ScheduleForm, apply_errors
from netwerkregie.core.models import AuditAction


def calendar_file(request: HttpRequest, meeting: meetings.ScheduledMeeting, entry: ics.CalendarEntry) -> HttpResponse:
    """The .ics download, recorded like an export (the file itself holds no personal data)."""
    log_event(AuditAction.EXPORT, actor=request.user, obj=meeting, request=request, reason="calendar file (.ics)",
              detail={"sequence": meeting.calendar_sequence})
    return ics.download(meeting, entry)


def schedule_page(request: HttpRequest, meeting: meetings.ScheduledMeeting, *, back: str, heading: str) -> Any:
    """Move a meeting that has not been held yet; back to its page with what happened."""
    held_on = meeting.held_on  # type: ignore[attr-defined]
    form = ScheduleForm(request.POST or None, initial={
        "held_on": held_on, "starts_at": meeting.starts_at, "ends_at": meeting.ends_at, "location": meeting.location})
    if request.method == "POST" and form.is_valid():
        try:
            changed = meetings.reschedule(meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The meeting has moved. Download the calendar file again, or send it "
                                            "to the attendees: their calendars replace the earlier version."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(back)
    return render(request, "core/meeting_schedule.html", {"form": form, "heading": heading, "back": back},
                  status=422 if form.errors else 200)
