"""Pages of phases 3 and 4. Every case page fetches through ``Case.objects.visible_to`` and every
view of a case is audited. Work lists are ordered by dates, never by anything about people."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict, ErrorList
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.cases import calendar_views, justification, queries, services
from netwerkregie.cases import minutes as minutes_record
from netwerkregie.cases.forms import (
    ActionForm,
    CaseFromSignalsForm,
    CloseForm,
    ConsultationForm,
    ContributionForm,
    EmergencyAccessForm,
    GoalFormSet,
    InformedForm,
    InterventionFormSet,
    MemberForm,
    MinutesForm,
    PlanForm,
    ReviewForm,
    goal_choices,
)
from netwerkregie.cases.models import Action, AgendaItem, Case, CaseConsultation, PlanStatus, plan_in_effect
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.form_tools import JustificationForm, apply_errors
from netwerkregie.core.models import AuditAction
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.intake.models import Decision, Signal, SignalStatus
from netwerkregie.people.models import Person, as_pseudonym
from netwerkregie.sharing import services as sharing
from netwerkregie.sharing.models import ApprovalAct, ApprovalStatus

CASE_ROLES = (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)


def can_manage(case: Case, user: Any) -> bool:
    """Team and closure: the coordinator, or the case manager of this case."""
    return user.has_role(Role.COORDINATOR) or case.case_manager_id == user.pk


def can_edit(case: Case, user: Any) -> bool:
    """Plan, reviews and duties: those who manage, and case managers on the team."""
    return can_manage(case, user) or (user.has_role(Role.CASE_MANAGER) and Case.objects.visible_to(user)
                                      .filter(pk=case.pk).exists())


def _case(request: HttpRequest, reference: str, *, edit: bool = False, manage: bool = False) -> Case:
    case = get_visible_or_404(Case.objects.select_related("person", "case_manager"), request.user,
                              reference=reference)
    if (manage and not can_manage(case, request.user)) or (edit and not can_edit(case, request.user)):
        raise Http404
    return case


@roles_required(*CASE_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    mine, reviews, actions = queries.my_cases(user), queries.reviews_due(user, today), queries.actions_due(user, today)
    return render(request, "cases/dashboard.html", {  # each list bounded; its count links to the whole list
        "mine": list(mine[:DASHBOARD_SHOWN]), "mine_count": mine.count(),
        "reviews_due": list(reviews[:DASHBOARD_SHOWN]), "reviews_count": reviews.count(),
        "actions_due": list(actions[:DASHBOARD_SHOWN]), "actions_count": actions.count(),
        "shown": DASHBOARD_SHOWN, "next_consultation": queries.next_consultation(user, today),
        "today": today, "coordinator": user.has_role(Role.COORDINATOR),
    })


DASHBOARD_SHOWN = 15


@roles_required(*CASE_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case this user may see; ``?mine=1`` their own open ones, ``?review=due`` those whose review comes
    within two weeks (the dashboard's lists, whole)."""
    mine, review = request.GET.get("mine") == "1", request.GET.get("review") == "due"
    cases = (queries.my_cases(request.user) if mine else queries.reviews_due(request.user, timezone.localdate())
             if review else Case.objects.visible_to(request.user).order_by("status", "next_review_on", "pk"))
    pages = paginate(request, cases.select_related("person", "case_manager"))
    return render(request, "cases/case_list.html", {"cases": pages["page"].object_list, **pages,
                                                    "today": timezone.localdate(), "mine": mine, "review": review})


def _open_signals(user: Any) -> Any:
    return (Signal.objects.visible_to(user).filter(
        status=SignalStatus.DECIDED, assessment__decision=Decision.TO_CASE_CONFERENCE, cases__isnull=True)
        .select_related("person"))


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseFromSignalsForm(request.POST or None, signals=_open_signals(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        signals = list(data["signals"])
        person = None
        if data["pseudonym"]:
            person = Person.objects.visible_to(request.user).filter(pseudonym=as_pseudonym(data["pseudonym"])).first()
            if person is None:
                form.add_error("pseudonym", _("No registered person with this pseudonym."))
        elif signals:
            person = signals[0].person
        else:
            form.add_error(None, _("Choose the signals, or give a pseudonym and a reason."))
        related = []
        for pseudonym in filter(None, (as_pseudonym(p) for p in data["related"].split(","))):
            match = Person.objects.visible_to(request.user).filter(pseudonym=pseudonym).first()
            if match is None:
                form.add_error("related", _("No registered person with pseudonym %(pseudonym)s.")
                               % {"pseudonym": pseudonym})
            elif match != person:
                related.append(match)
        if person is not None and not form.errors:
            try:
                case = services.open_case(person=person, case_manager=data["case_manager"], actor=request.user,
                                          signals=signals, ideology=data["ideology"], reason=data["reason"],
                                          related=related, request=request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form})


@roles_required(*CASE_ROLES)
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.record_view(case, actor=request.user, request=request)
    plan = plan_in_effect(case)
    manage = can_manage(case, request.user)
    return render(request, "cases/case_detail.html", {
        "case": case, "plan": services.plan_for_display(plan), "plan_version": plan,
        "plan_waiting": case.plan_versions.filter(status=PlanStatus.AWAITING_APPROVAL).first(),
        "approvals": case.approvals.filter(status=ApprovalStatus.PENDING).select_related("requested_by"),
        "referrals": case.referrals.select_related("organisation", "intervention").prefetch_related("updates")
        if manage or can_edit(case, request.user) else [],
        "disclosures": case.disclosures.select_related("organisation", "recipient", "disclosed_by")
        if manage else [],
        "may_refer": sharing.may_refer(request.user, case=case),
        "members": case.memberships.filter(removed_at__isnull=True).select_related("user", "organisation"),
        "reviews": case.reviews.select_related("reviewed_by"), "contributions": case.contributions.select_related(
            "organisation"), "signals": case.signals.all(), "can_manage": can_manage(case, request.user),
        "can_edit": can_edit(case, request.user), "today": timezone.localdate(),
        "related": case.related_persons.all(), "may_justify": justification.may_justify(case, request.user),
        "justifications": case.justifications.select_related("justified_by"),
        "items": case.agenda_items.select_related("consultation").order_by("-consultation__held_on"),
    })


@roles_required(*CASE_ROLES)
@require_GET
def case_person(request: HttpRequest, reference: str) -> HttpResponse:
    """Who the person is, for the case's own team: a separate, audited look, not on every case page."""
    case = _case(request, reference)
    person = case.person
    log_event(AuditAction.VIEW, actor=request.user, obj=person, request=request, reason="case work: identity",
              detail={"case": case.reference})
    return render(request, "cases/case_person.html", {"case": case, "person": person})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, manage=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(case, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team member added."))
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "case": case, "heading": _("Add a team member"),
        "intro": _("Only users whose organisation has a covenant that is valid for case work can be added. "
                   "Access ends at once when the membership or the covenant ends.")})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_POST
def member_remove(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _case(request, reference, manage=True)
    membership = case.memberships.filter(pk=pk, removed_at__isnull=True).first()
    if membership is None:
        raise Http404
    services.remove_member(membership, actor=request.user, request=request)
    messages.success(request, _("%(name)s no longer has access to this case.") % {"name": membership.user})
    return redirect("cases:case_detail", reference=case.reference)


def _plan_initial(case: Case) -> tuple[int, dict[str, Any], list[dict], list[dict]]:
    latest = case.plan_versions.order_by("-number").first()
    if latest is None:
        return 0, {}, [], []
    data = latest.data
    interventions = [{
        "type": i["type"], "goal": i["goal"], "provider": i["provider"], "owner": i["owner"],
        "starts_on": i["starts_on"], "ends_on": i["ends_on"], "status": i["status"], "outcome": i["outcome"],
        "consent": i["consent"], "consent_on": i["consent_on"]} for i in data["interventions"]]
    return latest.number, {"protective_factors": data["protective_factors"]}, [{"text": g} for g in data["goals"]], \
        interventions


def _with_extra_row(data: Any, prefix: str) -> Any:
    """The posted form with one more empty row of ``prefix``: adding a row works without JavaScript."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1) if str(data.get(key, "")).isdigit() else "1"
    return data


def _kept_goals(goal_set: Any) -> tuple[list[str], dict[int, int]]:
    """The goals that stay (not removed, not empty) and how each row number maps onto their new number."""
    goals: list[str] = []
    renumbered: dict[int, int] = {}
    for row, goal_form in enumerate(goal_set.forms, start=1):
        text = goal_form.cleaned_data.get("text", "").strip()
        if text and not goal_form.cleaned_data.get("DELETE"):
            goals.append(text)
            renumbered[row] = len(goals)
    return goals, renumbered


def _interventions(intervention_set: Any, renumbered: dict[int, int]) -> list[services.InterventionInput]:
    items = []
    for f in intervention_set:
        data = f.cleaned_data
        if not data.get("type") or data.get("DELETE"):
            continue
        if data["goal"] not in renumbered:
            f.add_error("goal", _("The goal it served is being removed: choose another goal."))
            continue
        items.append(services.InterventionInput(
            type=data["type"], goal=renumbered[data["goal"]], provider=data["provider"], owner=data["owner"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], status=data["status"] or "planned",
            outcome=data["outcome"], consent=data["consent"], consent_on=data["consent_on"]))
    return items


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, edit=True)
    number, initial, goals, interventions = _plan_initial(case)
    post = request.POST or None
    adding = post.get("add") if post else None
    if adding in ("goals", "interventions"):
        post = _with_extra_row(post, adding)
    form = PlanForm(post, initial={"base_version": number, **initial})
    goal_set = GoalFormSet(post, initial=goals, prefix="goals")
    intervention_set = InterventionFormSet(post, initial=interventions, prefix="interventions",
                                           form_kwargs={"goals": goal_choices(post, goals)})
    conflict = None
    status = 200
    if request.method == "GET":
        services.record_view(case, actor=request.user, request=request, purpose="support plan")
    elif adding:
        # Only a row was added: show the form again as typed, without judging it yet; nothing is saved.
        for bound in (form, *goal_set.forms, *intervention_set.forms):
            bound._errors = ErrorDict()
        for formset in (goal_set, intervention_set):
            formset._errors, formset._non_form_errors = [ErrorDict() for _ in formset.forms], ErrorList()
    elif form.is_valid() and goal_set.is_valid() and intervention_set.is_valid():
        kept, renumbered = _kept_goals(goal_set)
        items = _interventions(intervention_set, renumbered)
        if not intervention_set.is_valid():
            status = 422
        else:
            try:
                version = services.save_plan(
                    case, goals=kept, protective_factors=form.cleaned_data["protective_factors"],
                    interventions=items, base_version=form.cleaned_data["base_version"],
                    change_note=form.cleaned_data["change_note"], actor=request.user, request=request)
            except services.PlanConflict as error:
                conflict, status = error.latest, 409
                form.data = form.data.copy()  # the next save builds on the newer version, knowingly
                form.data["base_version"] = str(conflict.number)
            except ValidationError as error:
                apply_errors(form, error)
                status = 422
            else:
                if version.status == PlanStatus.AWAITING_APPROVAL:
                    messages.success(request, _("Plan saved as version %(n)d. It adds or changes compulsory measures: "
                                                "it takes effect when a second coordinator approves it.")
                                     % {"n": version.number})
                else:
                    messages.success(request, _("Plan saved as version %(n)d.") % {"n": version.number})
                return redirect("cases:case_detail", reference=case.reference)
    else:
        status = 422
    template = "cases/_plan_form.html" if request.htmx and adding else "cases/plan_form.html"
    return render(request, template, {
        "case": case, "form": form, "goal_set": goal_set, "intervention_set": intervention_set,
        "conflict": conflict, "conflict_plan": services.plan_for_display(conflict), "version": number,
    }, status=status)


@roles_required(*CASE_ROLES)
@require_GET
def plan_history(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    services.record_view(case, actor=request.user, request=request, purpose="support plan history")
    versions = [(v, services.plan_for_display(v)) for v in case.plan_versions.select_related("saved_by")]
    return render(request, "cases/plan_history.html", {"case": case, "versions": versions})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, edit=True)
    form = ReviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_review(case, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "case": case, "heading": _("Record a review"),
        "intro": _("Decide explicitly whether the support is still necessary and proportionate, and plan the next "
                   "review (at least once a year).")})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def duties(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, edit=True)
    informed = InformedForm(request.POST if "informed" in request.POST else None, initial={
        "person_informed_on": case.person_informed_on, "informing_delay_reason": case.informing_delay_reason})
    contribution = ContributionForm(request.POST if "contribution" in request.POST else None)
    if request.method == "GET":
        services.record_view(case, actor=request.user, request=request, purpose="informing and provenance")
    for form, save in ((informed, lambda d: services.record_informed(
            case, informed_on=d["person_informed_on"], delay_reason=d["informing_delay_reason"],
            actor=request.user, request=request)),
                       (contribution, lambda d: services.add_contribution(case, actor=request.user, request=request,
                                                                          **d))):
        if form.is_bound and form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/duties_form.html", {"case": case, "informed": informed,
                                                       "contribution": contribution})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, manage=True)
    form = CloseForm(request.POST or None)
    approval = sharing.needs_approval(ApprovalAct.CASE_CLOSURE)
    if sharing.pending_closure(case):
        messages.info(request, _("A closure of this case already awaits a second coordinator's approval."))
        return redirect("cases:case_detail", reference=case.reference)
    if request.method == "POST" and form.is_valid():
        try:
            if approval:
                sharing.request_closure(case, actor=request.user, request=request, **form.cleaned_data)
            else:
                services.close_case(case, actor=request.user, request=request, **form.cleaned_data)
        except AlreadyDecided as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:case_detail", reference=case.reference)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if approval:
                messages.success(request, _("The closure awaits a second coordinator's approval; the case stays "
                                            "open until then."))
            else:
                messages.success(request, _("Case closed; kept until %(date)s.")
                                 % {"date": short_date(case.retain_until)})
            return redirect("cases:case_detail", reference=case.reference)
    intro = _("The retention clock starts at closure (or at the end of the monitoring period): the case is "
              "deleted %(years)d years later.") % {"years": settings.CASE_RETENTION_YEARS}
    if approval:
        intro += " " + _("A second coordinator approves the closure before it takes effect.")
    return render(request, "cases/simple_form.html", {
        "form": form, "case": case, "heading": _("Close the case"),
        "submit": _("Ask for approval to close") if approval else _("Close the case"), "intro": intro},
        status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def case_justify(request: HttpRequest, reference: str) -> HttpResponse:
    """The case manager (or a coordinator) writes why the case is still necessary and proportionate."""
    case = _case(request, reference)
    if not justification.may_justify(case, request.user) or not justification.running().filter(pk=case.pk).exists():
        raise Http404
    form = JustificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            justification.rejustify_case(case, actor=request.user, request=request, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Re-justified until %(date)s.")
                             % {"date": date_format(case.justified_until, "SHORT_DATE_FORMAT")})
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "case": case, "heading": _("Re-justify the case"), "submit": _("Re-justify"),
        "intro": _("This case is justified until %(date)s. Without a written re-justification (or a review that "
                   "finds it still necessary) it closes by itself the day after, as “lapsed: not re-justified”. "
                   "If it is no longer needed, close it instead.")
        % {"date": date_format(case.justified_until, "SHORT_DATE_FORMAT")}}, status=422 if form.errors else 200)


# --- Case consultations -------------------------------------------------------------------------

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
            consultation = services.plan_consultation(
                title=data["title"], held_on=data["held_on"], attendees=list(data["attendees"]),
                cases=list(data["cases"]), starts_at=data["starts_at"], ends_at=data["ends_at"],
                location=data["location"], actor=request.user, request=request)
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
            services.record_view(item.case, actor=request.user, request=request, purpose="case consultation")
    addable = None
    if request.user.roles & {Role.COORDINATOR, Role.CASE_MANAGER} and consultation.held_on >= timezone.localdate():
        addable = _cases_for_agenda(request.user).exclude(agenda_items__consultation=consultation)
    external = [a for a in consultation.attendees.select_related("organisation")
                if not sharing.is_own_team(a.organisation)] if request.user.roles & {
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
            services.add_to_agenda(consultation, case, actor=request.user, request=request)
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
            services.save_minutes(item, actor=request.user, request=request, **minutes.cleaned_data)
        except ValidationError as error:
            apply_errors(minutes, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("cases:consultation_detail", pk=consultation.pk)
    if action.is_bound and action.is_valid():
        try:
            services.add_action(item, actor=request.user, request=request, **action.cleaned_data)
        except ValidationError as error:
            apply_errors(action, error)
        else:
            messages.success(request, _("Action added."))
            return redirect("cases:agenda_item", pk=consultation.pk, item_pk=item.pk)
    if request.method == "GET":
        services.record_view(item.case, actor=request.user, request=request, purpose="case consultation minutes")
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
    services.complete_action(action, actor=request.user, request=request)
    messages.success(request, _("Action done."))
    return redirect("cases:dashboard")


@roles_required(*CASE_ROLES)
@require_GET
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as a clean PDF for the case file: only the cases this reader may see."""
    from netwerkregie.core.pdf import render_pdf

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
    with transaction.atomic():
        for case in shown:
            log_event(AuditAction.EXPORT, actor=request.user, obj=case, request=request,
                      reason="case consultation minutes (PDF)", detail={"consultation": consultation.pk,
                                                                        "for": reader.pk})
        sharing.record_minutes_disclosure(shown, reader=reader, actor=request.user, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="casusoverleg-{consultation.held_on:%Y%m%d}.pdf"'
    return response




@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    form = EmergencyAccessForm(request.POST or None, initial={"reference": request.GET.get("reference", "")})
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
        if case is None:
            form.add_error("reference", _("No case with this reference."))
        else:
            try:
                access = services.break_glass(case, user=request.user, reason=form.cleaned_data["reason"],
                                              request=request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.warning(request, _("Emergency access until %(time)s. The privacy officer will review it.")
                                 % {"time": short_date(access.expires_at)})
                return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "heading": _("Emergency access to a case"), "submit": _("Open the case"),
        "intro": _("Use this only when a case outside your own needs you now. Access lasts %(hours)d hours.")
        % {"hours": settings.EMERGENCY_ACCESS_HOURS}})
