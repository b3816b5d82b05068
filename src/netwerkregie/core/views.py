from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from netwerkregie.core.access import roles_required
from netwerkregie.core.accounts import users_without_second_factor
from netwerkregie.core.audit import log_event, verify_chain
from netwerkregie.core.audit_labels import label_events
from netwerkregie.core.forms import AuditFilterForm
from netwerkregie.core.middleware import mfa_not_required
from netwerkregie.core.models import AuditAction, AuditEvent, User
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
        events = events.filter(occurred_at__date__gte=data["date_from"])
    if data["date_to"]:
        events = events.filter(occurred_at__date__lte=data["date_to"])
    return events


@roles_required(Role.PRIVACY_OFFICER)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log for the privacy officer; reading it is itself an audited act."""
    form = AuditFilterForm(request.GET)
    page = Paginator(_filtered_events(request.user, form), 50).get_page(request.GET.get("page"))
    page.object_list = label_events(page.object_list)  # read before this reading is itself logged
    log_event(AuditAction.VIEW, actor=request.user, object_type="core.auditevent",
              request=request, reason="audit log review", detail={"query": request.GET.urlencode()})
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "core/_audit_results.html" if request.htmx else "core/audit_log.html"
    return render(request, template, context)


@roles_required(Role.PRIVACY_OFFICER)
@require_GET
def audit_verify(request: HttpRequest) -> HttpResponse:
    report = verify_chain()
    template = "core/_audit_verify.html" if request.htmx else "core/audit_verify.html"
    return render(request, template, {"report": report})


@roles_required(Role.ADMIN)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    missing_mfa = request.GET.get("mfa") == "missing"
    users = users_without_second_factor(request.user) if missing_mfa else User.objects.visible_to(request.user)
    users = users.select_related("organisation").prefetch_related("role_assignments", "totpdevice_set")
    log_event(AuditAction.VIEW, actor=request.user, object_type="core.user",
              request=request, reason="user administration")
    return render(request, "core/user_list.html", {"users": users, "demo": settings.DEMO, "missing_mfa": missing_mfa})
