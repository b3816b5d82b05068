"""Monitoring and closure: a review, closing (or asking a second coordinator's approval to close), and
re-justifying a running case."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from netwerkregie.approvals.approvers import who_approves
from netwerkregie.approvals.models import ApprovalAct
from netwerkregie.approvals.services import pending_closure
from netwerkregie.cases import closure, justification
from netwerkregie.cases.forms import CloseForm, PlanReviewForm, ReviewForm
from netwerkregie.cases.policy import closure_needs_approval
from netwerkregie.cases.views.common import get_case
from netwerkregie.core.access import roles_required
from netwerkregie.core.dates import short_date
from netwerkregie.core.form_tools import JustificationForm, apply_errors
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, edit=True)
    form = ReviewForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            closure.add_review(case, actor=request.user, **form.cleaned_data)
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
def review_plan(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, edit=True)
    form = PlanReviewForm(request.POST or None, initial={"on": case.review_planned_on or case.next_review_on})
    if request.method == "POST" and form.is_valid():
        try:
            closure.plan_review(case, on=form.cleaned_data["on"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Review planned on %(date)s.") % {"date": short_date(case.review_planned_on)})
            return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "case": case, "heading": _("Plan a review"), "submit": _("Plan the review"),
        "intro": _("The review is due on %(date)s. Plan the date it will be held: it shows on the case and on "
                   "Vandaag, and you are reminded as it comes near. Afterwards, record the review.")
        % {"date": short_date(case.next_review_on)}}, status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, manage=True)
    form = CloseForm(request.POST or None)
    approval = closure_needs_approval(request.user)
    if pending_closure(case):
        messages.info(request, _("A closure of this case already awaits a second person's approval."))
        return redirect("cases:case_detail", reference=case.reference)
    if request.method == "POST" and form.is_valid():
        try:
            closed = closure.close_or_request(case, actor=request.user, **form.cleaned_data)
        except AlreadyDecided as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases:case_detail", reference=case.reference)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if not closed:
                messages.success(request, _("The closure awaits a second person's approval; the case stays "
                                            "open until then."))
            else:
                messages.success(request, _("Case closed; kept until %(date)s.")
                                 % {"date": short_date(case.retain_until)})
            return redirect("cases:case_detail", reference=case.reference)
    intro = _("The retention clock starts at closure (or at the end of the monitoring period): the case is "
              "deleted %(years)d years later.") % {"years": settings.CASE_RETENTION_YEARS}
    if approval:
        intro += " " + _("A second person approves the closure before it takes effect.")
    return render(request, "cases/simple_form.html", {
        **(who_approves(ApprovalAct.CASE_CLOSURE, author=request.user) if approval else {}),
        "form": form, "case": case, "heading": _("Close the case"),
        "submit": _("Ask for approval to close") if approval else _("Close the case"), "intro": intro},
        status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def case_justify(request: HttpRequest, reference: str) -> HttpResponse:
    """The case manager (or a coordinator) writes why the case is still necessary and proportionate."""
    case = get_case(request, reference)
    if not justification.may_justify(case, request.user) or not justification.running().filter(pk=case.pk).exists():
        raise Http404
    form = JustificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            justification.rejustify_case(case, actor=request.user, reason=form.cleaned_data["reason"])
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
