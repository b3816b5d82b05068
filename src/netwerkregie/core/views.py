"""Core's own pages: the health probe and the audit log for the privacy officer."""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.audit_labels import label_events
from netwerkregie.core.dates import start_of_day
from netwerkregie.core.forms import AuditFilterForm
from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.core.middleware import mfa_not_required
from netwerkregie.core.models import AuditChainHead, AuditEvent
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role


@login_not_required
@mfa_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _filtered_events(user: Any, form: AuditFilterForm) -> Any:
    events = AuditEvent.objects.visible_to(user).select_related("actor")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data["actor"]:
        events = events.filter(actor_label__icontains=data["actor"])
    if data["action"]:
        events = events.filter(action=data["action"])
    if data["object_type"]:
        events = events.filter(object_type=data["object_type"])
    if data["object_id"]:
        events = events.filter(object_id=data["object_id"])
    if data["date_from"]:
        events = events.filter(occurred_at__gte=start_of_day(data["date_from"]))
    if data["date_to"]:
        events = events.filter(occurred_at__lt=start_of_day(data["date_to"] + datetime.timedelta(days=1)))
    return events


@roles_required(Role.PRIVACY_OFFICER)
@require_GET
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The audit log for the privacy officer; reading it is itself an audited act."""
    form = AuditFilterForm(request.GET)
    unfiltered = form.is_valid() and not any(form.cleaned_data.values())
    # The whole log has exactly as many events as the chain's head says (append-only, numbered from one):
    # no COUNT(*) over millions of rows.
    total = (AuditChainHead.objects.values_list("sequence", flat=True).first() or 0) if unfiltered else None
    pages = paginate(request, _filtered_events(request.user, form), count=total)
    pages["page"].object_list = label_events(pages["page"].object_list)  # read before this reading is logged
    record_view(actor=request.user, object_type="core.auditevent", purpose="audit log review",
                detail={"query": request.GET.urlencode()})
    context = {"form": form, **pages}
    template = "core/_audit_results.html" if request.htmx else "core/audit_log.html"
    return render(request, template, context)


@roles_required(Role.PRIVACY_OFFICER)
@require_GET
def audit_verify(request: HttpRequest) -> HttpResponse:
    """The old address of the chain's check: the check now runs in the scheduler, its result is on the
    privacy officer's verification page."""
    return redirect("privacy:verification")
