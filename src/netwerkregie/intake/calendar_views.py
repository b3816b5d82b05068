"""An assessment session in the participants' calendars: its .ics file, and moving it to another time or place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.core import ics, meeting_views
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentSession


def calendar_entry(request: HttpRequest, session: AssessmentSession) -> ics.CalendarEntry:
    """What a calendar shows of a session: its kind, never its title (which might name someone)."""
    return ics.CalendarEntry(
        kind="weegoverleg", summary=_("Joint assessment meeting"),
        description=_("The agenda and the signals are in Netwerkregie, for the participants:"),
        url=request.build_absolute_uri(reverse("intake:session_detail", args=[session.pk])))


@roles_required(Role.COORDINATOR, Role.CORE_PARTNER)
@require_GET
def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(AssessmentSession.objects.all(), request.user, pk=pk)
    return meeting_views.calendar_file(request, session, calendar_entry(request, session))


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def session_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(AssessmentSession.objects.all(), request.user, pk=pk)
    return meeting_views.schedule_page(request, session, back=reverse("intake:session_detail", args=[session.pk]),
                                       heading=_("Change the time or place of %(meeting)s") % {"meeting": session})
