"""A case consultation in the attendees' calendars: its .ics file, and moving it to another time or place."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.cases.models import CaseConsultation
from netwerkregie.core import ics, meeting_views
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.roles import Role

ATTENDEE_ROLES = (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)


def calendar_entry(request: HttpRequest, consultation: CaseConsultation) -> ics.CalendarEntry:
    """What a calendar shows of a consultation: its kind, never its title or the cases on its agenda."""
    return ics.CalendarEntry(
        kind="casusoverleg", summary=_("Case consultation"),
        description=_("The agenda is in Netwerkregie, for the attendees:"),
        url=request.build_absolute_uri(reverse("cases:consultation_detail", args=[consultation.pk])))


def may_move(user: object, consultation: CaseConsultation) -> bool:
    """The coordinator moves any consultation; a case manager the ones she planned."""
    return user.has_role(Role.COORDINATOR) or consultation.created_by_id == user.pk  # type: ignore[attr-defined]


@roles_required(*ATTENDEE_ROLES)
@require_GET
def consultation_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    return meeting_views.calendar_file(request, consultation, calendar_entry(request, consultation))


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def consultation_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    if not may_move(request.user, consultation):
        raise Http404
    return meeting_views.schedule_page(
        request, consultation, back=reverse("cases:consultation_detail", args=[consultation.pk]),
        heading=_("Change the time or place of %(meeting)s") % {"meeting": consultation})
