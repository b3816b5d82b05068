"""The case file: the dashboard, the list, opening a case, the case page, its person, its team and the
duties of informing and provenance. Every case page fetches through ``get_case`` and every view of a
case is audited; work lists are ordered by dates, never by anything about people."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.cases import justification, queries, services
from netwerkregie.cases.closure import pending_approvals
from netwerkregie.cases.forms import CaseFromSignalsForm, ContributionForm, InformedForm, MemberForm
from netwerkregie.cases.models import Case, PlanStatus, plan_in_effect
from netwerkregie.cases.own_cases import new_first, note_opened, show_names
from netwerkregie.cases.policy import can_edit, can_manage, may_refer_case
from netwerkregie.cases.views.common import CASE_ROLES, get_case
from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.intake.joint_decisions import group_joint_decisions
from netwerkregie.intake.models import Decision, Signal, SignalStatus
from netwerkregie.people.models import Person, as_pseudonym

DASHBOARD_SHOWN = 15


@roles_required(*CASE_ROLES)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user, today = request.user, timezone.localdate()
    mine, reviews, actions = queries.my_cases(user), queries.reviews_due(user, today), queries.actions_due(user, today)
    return render(request, "cases/dashboard.html", {  # each list bounded; its count links to the whole list
        "mine": show_names(list(mine[:DASHBOARD_SHOWN]), user, shown_in="case dashboard"), "mine_count": mine.count(),
        "reviews_due": list(reviews[:DASHBOARD_SHOWN]), "reviews_count": reviews.count(),
        "actions_due": list(actions[:DASHBOARD_SHOWN]), "actions_count": actions.count(),
        "shown": DASHBOARD_SHOWN, "next_consultation": queries.next_consultation(user, today),
        "today": today, "coordinator": user.has_role(Role.COORDINATOR),
    })


@roles_required(*CASE_ROLES)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """Every case this user may see; ``?mine=1`` their own open ones, ``?review=due`` those whose review comes
    within two weeks (the dashboard's lists, whole)."""
    mine, review = request.GET.get("mine") == "1", request.GET.get("review") == "due"
    cases = (queries.my_cases(request.user) if mine else queries.reviews_due(request.user, timezone.localdate())
             if review else Case.objects.visible_to(request.user).order_by("status", "next_review_on", "pk"))
    pages = paginate(request, new_first(cases, request.user).select_related("person", "case_manager"))
    shown = show_names(list(pages["page"].object_list), request.user, shown_in="case list")
    return render(request, "cases/case_list.html", {"cases": shown, **pages,
                                                    "today": timezone.localdate(), "mine": mine, "review": review})


def _open_signals(user: Any) -> Any:
    return (Signal.objects.visible_to(user).filter(
        status=SignalStatus.DECIDED, assessment__decision=Decision.TO_CASE_CONFERENCE, cases__isnull=True)
        .select_related("person"))


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    """``?signal=<reference>`` (from the decision): that signal's person, with every signal about them that
    waits for a case, chosen already."""
    open_signals = _open_signals(request.user)
    start = open_signals.filter(reference=request.GET.get("signal", "")).first()
    initial = {"signals": list(open_signals.filter(person=start.person))} if start and start.person_id else {}
    form = CaseFromSignalsForm(request.POST or None, signals=open_signals, initial=initial)
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
                                          related=related)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
                return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/case_form.html", {"form": form, "start": start})


@roles_required(*CASE_ROLES)
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference)
    record_view(case, actor=request.user, purpose="case work")
    note_opened(case, user=request.user)
    plan = plan_in_effect(case)
    manage = can_manage(case, request.user)
    return render(request, "cases/case_detail.html", {
        "case": case, "plan": services.plan_for_display(plan), "plan_version": plan,
        "plan_waiting": case.plan_versions.filter(status=PlanStatus.AWAITING_APPROVAL).first(),
        "approvals": pending_approvals(case),
        "referrals": case.referrals.select_related("organisation", "intervention").prefetch_related("updates")
        if manage or can_edit(case, request.user) else [],
        "disclosures": case.disclosures.select_related("organisation", "recipient", "disclosed_by")
        if manage else [],
        "may_refer": may_refer_case(request.user, case),
        "members": case.memberships.filter(removed_at__isnull=True).select_related("user", "organisation"),
        "reviews": case.reviews.select_related("reviewed_by"), "contributions": case.contributions.select_related(
            "organisation"), "signals": case.signals.all(),
        "decisions": group_joint_decisions(case.signals.filter(assessment__isnull=False).select_related(
            "assessment__decided_by", "assessment__session").prefetch_related("assessment__findings")),
        "can_manage": can_manage(case, request.user),
        "can_edit": can_edit(case, request.user), "today": timezone.localdate(),
        "related": case.related_persons.all(), "may_justify": justification.may_justify(case, request.user),
        "justifications": case.justifications.select_related("justified_by"),
        "items": case.agenda_items.select_related("consultation").order_by("-consultation__held_on"),
    })


@roles_required(*CASE_ROLES)
@require_GET
def case_person(request: HttpRequest, reference: str) -> HttpResponse:
    """Who the person is, for the case's own team: a separate, audited look, not on every case page."""
    case = get_case(request, reference)
    person = case.person
    record_view(actor=request.user, obj=person, purpose="case work: identity",
                detail={"case": case.reference})
    return render(request, "cases/case_person.html", {"case": case, "person": person})


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, manage=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(case, actor=request.user, **form.cleaned_data)
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
    case = get_case(request, reference, manage=True)
    membership = case.memberships.filter(pk=pk, removed_at__isnull=True).first()
    if membership is None:
        raise Http404
    services.remove_member(membership, actor=request.user)
    messages.success(request, _("%(name)s no longer has access to this case.") % {"name": membership.user})
    return redirect("cases:case_detail", reference=case.reference)


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def duties(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, edit=True)
    informed = InformedForm(request.POST if "informed" in request.POST else None, initial={
        "person_informed_on": case.person_informed_on, "informing_delay_reason": case.informing_delay_reason})
    contribution = ContributionForm(request.POST if "contribution" in request.POST else None)
    if request.method == "GET":
        record_view(case, actor=request.user, purpose="informing and provenance")
    for form, save in ((informed, lambda d: services.record_informed(
            case, informed_on=d["person_informed_on"], delay_reason=d["informing_delay_reason"],
            actor=request.user)),
                       (contribution, lambda d: services.add_contribution(case, actor=request.user,
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
