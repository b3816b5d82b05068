"""The case consultation (MDO): its list, planning it, the agenda, minutes and actions, and the minutes
as a PDF. Only the cases a reader may see are shown; every view of a case on it is audited."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.cases import calendar_views, consultations
from netwerkregie.cases import minutes as minutes_record
from netwerkregie.cases.forms import ActionForm, ConsultationForm, MinutesForm
from netwerkregie.cases.models import Action, AgendaItem, Case, CaseConsultation
from netwerkregie.cases.views.common import CASE_ROLES
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.services import is_own_team


@roles_required(*CASE_ROLES)
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    pages = paginate(request, CaseConsultation.objects.visible_to(request.user).order_by("-held_on", "-pk"))
    return render(request, "cases/consultation_list.html", {
        "consultations": pages["page"].object_list, **pages,
        "coordinator": bool(request.user.roles & {Role.COORDINATOR, Role.CASE_MANAGER})})


def _cases_for_agenda(user: Any) -> Any:
    """The open cases this user may put on an agenda: all for the coordinator, her own for a case manager."""
    cases = Case.objects.visible_to(user).exclude(status="closed").select_related("person").order_by("reference")
    return cases if user.has_role(Role.COORDINATOR) else cases.filter(case_manager=user)


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    open_cases = _cases_for_agenda(request.user)
    form = ConsultationForm(request.POST or None, cases=open_cases,
                            initial={"held_on": timezone.localdate() + datetime.timedelta(days=21)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consultation = consultations.plan_consultation(
                title=data["title"], held_on=data["held_on"], attendees=list(data["attendees"]),
                cases=list(data["cases"]), starts_at=data["starts_at"], ends_at=data["ends_at"],
                location=data["location"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("cases:consultation_detail", pk=consultation.pk)
    return render(request, "cases/simple_form.html", {"form": form, "heading": _("Plan a case consultation")})


def _agenda(request: HttpRequest, consultation: CaseConsultation, reader: Any = None) -> list[tuple[AgendaItem, bool]]:
    """The agenda with, per item, whether ``reader`` (the user, or the attendee printed for) may see the case."""
    visible = set(Case.objects.visible_to(reader or request.user).values_list("pk", flat=True))
    items = consultation.items.select_related("case__person").prefetch_related("actions__owner",
                                                                               "minutes_versions__author")
    return [(item, item.case_id in visible) for item in items]


@roles_required(*CASE_ROLES)
@require_GET
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    agenda = _agenda(request, consultation)
    for item, allowed in agenda:
        if allowed:
            record_view(item.case, actor=request.user, purpose="case consultation")
    addable = None
    if request.user.roles & {Role.COORDINATOR, Role.CASE_MANAGER} and consultation.held_on >= timezone.localdate():
        addable = _cases_for_agenda(request.user).exclude(agenda_items__consultation=consultation)
    external = [a for a in consultation.attendees.select_related("organisation")
                if not is_own_team(a.organisation)] if request.user.roles & {
        Role.COORDINATOR, Role.CASE_MANAGER} else []
    return render(request, "cases/consultation_detail.html", {
        "external_attendees": external,
        "consultation": consultation, "agenda": agenda, "attendees": consultation.attendees.all(),
        "today": timezone.localdate(), "addable": addable,
        "may_move": calendar_views.may_move(request.user, consultation)})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_POST
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    case = _cases_for_agenda(request.user).filter(reference=request.POST.get("case", "")).first()
    if case is None:
        messages.error(request, _("Choose one of your open cases."))
    else:
        try:
            consultations.add_to_agenda(consultation, case, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(reference)s is on the agenda.") % {"reference": case.reference})
    return redirect("cases:consultation_detail", pk=consultation.pk)


@roles_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def agenda_item(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    item = consultation.items.filter(pk=item_pk, case__in=Case.objects.visible_to(request.user)).prefetch_related(
        "minutes_versions__author").first()
    if item is None:
        raise Http404
    owners = consultation.attendees.all()
    minutes = MinutesForm(request.POST if "minutes_form" in request.POST else None,
                          initial={"minutes": item.minutes, "decisions": item.decisions})
    action = ActionForm(request.POST if "action_form" in request.POST else None, owners=owners)
    if minutes.is_bound and minutes.is_valid():
        try:
            consultations.save_minutes(item, actor=request.user, **minutes.cleaned_data)
        except ValidationError as error:
            apply_errors(minutes, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("cases:consultation_detail", pk=consultation.pk)
    if action.is_bound and action.is_valid():
        try:
            consultations.add_action(item, actor=request.user, **action.cleaned_data)
        except ValidationError as error:
            apply_errors(action, error)
        else:
            messages.success(request, _("Action added."))
            return redirect("cases:agenda_item", pk=consultation.pk, item_pk=item.pk)
    if request.method == "GET":
        record_view(item.case, actor=request.user, purpose="case consultation minutes")
    return render(request, "cases/agenda_item.html", {
        "consultation": consultation, "item": item, "minutes": minutes, "action": action,
        "actions": item.actions.select_related("owner"), "chair": minutes_record.may_chair(item, request.user),
        "held": consultation.held_on <= timezone.localdate()}, status=422 if minutes.errors else 200)


@roles_required(*CASE_ROLES)
@require_POST
def action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = Action.objects.filter(pk=pk, item__case__in=Case.objects.visible_to(request.user)).select_related(
        "item").first()
    if action is None:
        raise Http404
    consultations.complete_action(action, actor=request.user)
    messages.success(request, _("Action done."))
    return redirect("cases:dashboard")


@roles_required(*CASE_ROLES)
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a clean PDF for the case file: only the cases this reader may see."""
    from netwerkregie.core.pdf import render_pdf  # WeasyPrint loads in seconds: only when a PDF is made

    consultation = get_visible_or_404(CaseConsultation.objects.all(), request.user, pk=pk)
    # Printed for an attendee: with only the cases that attendee may see, and recorded as a disclosure when the
    # attendee is of another organisation (as when such an attendee downloads the minutes themselves).
    reader = request.user
    if request.GET.get("for"):
        if not request.user.roles & {Role.COORDINATOR, Role.CASE_MANAGER}:
            raise Http404
        reader = consultation.attendees.filter(pk=request.GET["for"]).first() if request.GET["for"].isdigit() else None
        if reader is None:
            raise Http404
    agenda = _agenda(request, consultation, reader)
    html = render_to_string("cases/minutes_pdf.html", {
        "consultation": consultation, "agenda": agenda, "attendees": consultation.attendees.all(),
        "printed_by": request.user, "printed_for": reader if reader != request.user else None,
        "printed_at": timezone.localtime()}, request=request)
    pdf = render_pdf(html, request=request)
    shown = [item.case for item, allowed in agenda if allowed]
    consultations.record_minutes_export(consultation, shown, reader=reader, actor=request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casusoverleg-{consultation.held_on:%Y%m%d}.pdf"'
    return response
