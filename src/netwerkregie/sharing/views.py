"""Referring and handing over; the receiving organisation's inbox; approvals; the disclosure ledger."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case as DbCase
from django.db.models import When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.approvers import may_approve, who_approves
from netwerkregie.approvals.models import Approval, ApprovalAct, ApprovalStatus
from netwerkregie.cases.models import Case, ClosureReason
from netwerkregie.cases.services import plan_for_display
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.dates import start_of_day
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.disclosures.models import Disclosure
from netwerkregie.intake.models import Signal
from netwerkregie.sharing import answerable, services
from netwerkregie.sharing.approval_views import may_read_approved
from netwerkregie.sharing.forms import DecisionForm, LedgerFilterForm, ReasonForm, ReferralForm, UpdateForm
from netwerkregie.sharing.models import Referral, ReferralStatus

SENDERS = (Role.COORDINATOR, Role.CASE_MANAGER)


def _referral_input(data: dict[str, Any]) -> services.ReferralInput:
    return services.ReferralInput(
        organisation=data["organisation"], kind=data["kind"], purpose=data["purpose"], categories=data["categories"],
        basis=data["basis"], covenant=data["covenant"], consent_by=data["consent_by"],
        consent_by_name=data["consent_by_name"], consent_on=data["consent_on"], intervention=data["intervention"],
        note=data["note"])


def _refer(request: HttpRequest, *, case: Case | None = None, signal: Signal | None = None) -> HttpResponse:
    if not services.may_refer(request.user, case=case, signal=signal):
        raise Http404
    form = ReferralForm(request.POST or None, from_signal=signal is not None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.refer(_referral_input(form.cleaned_data), actor=request.user, case=case,
                                      signal=signal)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if referral.status == ReferralStatus.AWAITING_APPROVAL:
                messages.success(request, _("Referral %(reference)s awaits a second person's approval; "
                                            "%(organisation)s sees nothing until then.")
                                 % {"reference": referral.reference, "organisation": referral.organisation})
            else:
                messages.success(request, _("Referral %(reference)s sent to %(organisation)s; they see your purpose "
                                            "and the data named, and the data itself only when they accept.")
                                 % {"reference": referral.reference, "organisation": referral.organisation})
            if case is not None:
                return redirect("cases:case_detail", reference=case.reference)
            return redirect("intake:signal_detail", reference=signal.reference)  # type: ignore[union-attr]
    return render(request, "sharing/refer_form.html", {"form": form, "case": case, "signal": signal,
                                                       **answerable.warning(form, request.user),
                                                       **who_approves(ApprovalAct.SENSITIVE_REFERRAL,
                                                                      author=request.user),
                                                       "approval_condition": _("only when it passes police or "
                                                                               "judicial data")},
                  status=422 if form.errors else 200)


@roles_required(*SENDERS)
@require_http_methods(["GET", "POST"])
def refer_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_visible_or_404(Case.objects.select_related("person"), request.user, reference=reference)
    return _refer(request, case=case)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def refer_signal(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_visible_or_404(Signal.objects.select_related("person", "assessment"), request.user,
                                reference=reference)
    return _refer(request, signal=signal)


@roles_required(*SENDERS)
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_visible_or_404(Referral.objects.select_related("case", "signal", "organisation"), request.user,
                                  reference=reference)
    if not services.may_refer(request.user, case=referral.case, signal=referral.signal):
        raise Http404
    back = (redirect("cases:case_detail", reference=referral.case.reference) if referral.case else
            redirect("intake:signal_detail", reference=referral.signal.reference))  # type: ignore[union-attr]
    if not referral.is_open:
        messages.error(request, services.referral_moved_on(referral))
        return back
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(referral, actor=request.user, reason=form.cleaned_data["reason"])
        except AlreadyDecided as error:
            messages.error(request, " ".join(error.messages))
            return back
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Referral %(reference)s withdrawn; %(organisation)s no longer sees it.")
                             % {"reference": referral.reference, "organisation": referral.organisation})
            return back
    return render(request, "sharing/withdraw.html", {"form": form, "referral": referral},
                  status=422 if form.errors else 200)


# --- The receiving organisation ------------------------------------------------------------------

@roles_required(Role.RECIPIENT)
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    referrals = Referral.objects.visible_to(request.user).select_related("intervention", "person").annotate(
        answered=DbCase(When(status=ReferralStatus.SENT, then=0), default=1))  # those to answer first
    pages = paginate(request, referrals.order_by("answered", "-sent_at", "pk"))
    return render(request, "sharing/inbox.html", {"referrals": pages["page"].object_list, **pages})


def _received(request: HttpRequest, reference: str) -> Referral:
    return get_visible_or_404(Referral.objects.filter(organisation_id=request.user.organisation_id)
                              .select_related("person", "case", "signal", "intervention", "covenant", "created_by"),
                              request.user, reference=reference)


def _received_page(request: HttpRequest, referral: Referral, *, decline_form: ReasonForm | None = None,
                   update_form: UpdateForm | None = None, status: int = 200) -> HttpResponse:
    """The receiving organisation's page of one referral: the data passed only once it is accepted (each
    look audited), otherwise what is asked and the answer forms. A form with errors comes back filled in."""
    accepted = referral.status == ReferralStatus.ACCEPTED
    context: dict[str, Any] = {"referral": referral, "accepted": accepted,
                               "decline_form": decline_form or ReasonForm(), "update_form": update_form or UpdateForm()}
    if accepted:
        context["shared"] = services.shared_with_receiver(referral)
        context["updates"] = referral.updates.select_related("written_by")
        record_view(actor=request.user, obj=referral.person, purpose="referral: data passed",
                    detail={"referral": referral.reference, "categories": referral.categories})
    else:
        record_view(actor=request.user, obj=referral, purpose="referral")
    return render(request, "sharing/received.html", context, status=status)


@roles_required(Role.RECIPIENT)
@require_GET
def received(request: HttpRequest, reference: str) -> HttpResponse:
    return _received_page(request, _received(request, reference))


def _answered_first(request: HttpRequest, referral: Referral, error: AlreadyDecided) -> HttpResponse:
    """A colleague answered first: say so, and show the referral if it is still theirs to see."""
    messages.error(request, " ".join(error.messages))
    if referral.status == ReferralStatus.ACCEPTED:
        return redirect("sharing:received", reference=referral.reference)
    return redirect("sharing:inbox")


@roles_required(Role.RECIPIENT)
@require_POST
def accept(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _received(request, reference)
    try:
        services.accept(referral, actor=request.user)
    except AlreadyDecided as error:
        return _answered_first(request, referral, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Accepted. Below is what was passed to you with this referral."))
    return redirect("sharing:received", reference=referral.reference)


@roles_required(Role.RECIPIENT)
@require_POST
def decline(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _received(request, reference)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.decline(referral, actor=request.user, reason=form.cleaned_data["reason"])
        except AlreadyDecided as error:
            return _answered_first(request, referral, error)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Declined; the case manager is told why. You no longer see this referral."))
            return redirect("sharing:inbox")
    return _received_page(request, referral, decline_form=form, status=422)


@roles_required(Role.RECIPIENT)
@require_POST
def report_back(request: HttpRequest, reference: str) -> HttpResponse:
    referral = _received(request, reference)
    if referral.status != ReferralStatus.ACCEPTED:
        messages.error(request, _("Only the receiving organisation reports back on an accepted referral."))
        return redirect("sharing:received", reference=referral.reference)
    form = UpdateForm(request.POST)
    if form.is_valid():
        try:
            services.report_back(referral, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your update is with the case manager."))
            return redirect("sharing:received", reference=referral.reference)
    return _received_page(request, referral, update_form=form, status=422)


# --- Approvals ------------------------------------------------------------------------------------

APPROVAL_AUDIENCE = (Role.COORDINATOR, Role.APPROVER, Role.CASE_MANAGER, Role.CORE_PARTNER)


@roles_required(*APPROVAL_AUDIENCE)
@require_GET
def approval_list(request: HttpRequest) -> HttpResponse:
    if not may_approve(request.user):  # APPROVER_ROLES says which of the audience approve
        raise Http404
    decided = (Approval.objects.visible_to(request.user).exclude(status=ApprovalStatus.PENDING)
               .select_related("case", "referral", "requested_by", "decided_by").order_by("-decided_at", "-pk"))
    pages = paginate(request, decided)
    return render(request, "sharing/approval_list.html", {
        "pending": approvals.pending_for(request.user),
        "mine": Approval.objects.filter(status=ApprovalStatus.PENDING, requested_by=request.user)
        .select_related("case", "referral"),
        "decided": pages["page"].object_list, **pages})


@roles_required(*APPROVAL_AUDIENCE)
@require_http_methods(["GET", "POST"])
def approval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_visible_or_404(Approval.objects.select_related(
        "case__person", "referral__organisation", "referral__covenant", "plan_version", "requested_by",
        "decided_by"), request.user, pk=pk)
    may_decide = approvals.may_decide(approval, request.user)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                approvals.decide(approval, actor=request.user, approve=request.POST.get("decision") == "approve",
                                note=form.cleaned_data["note"])
            except AlreadyDecided as error:
                messages.error(request, " ".join(error.messages))
                return redirect("sharing:approval_detail", pk=approval.pk)
            except ValidationError as error:
                apply_errors(form, error)
                status = 403 if approval.requested_by_id == request.user.pk else 422
            else:
                return _after_decision(request, approval)
        else:
            status = 422
    else:
        record_view(actor=request.user, obj=approval, purpose="approval")

    reason = approval.closure_reason
    context = {"approval": approval, "form": form, "may_decide": may_decide,
               "may_read_case": may_read_approved(approval, request.user),
               "closure_reason_label": ClosureReason(reason).label if reason in ClosureReason.values else reason,
               "plan": plan_for_display(approval.plan_version) if approval.plan_version else None,
               "plan_version": approval.plan_version}
    return render(request, "sharing/approval_detail.html", context, status=status)


# What an approval did, said per act: the approver reads what took effect.
APPROVED_MESSAGES = {
    ApprovalAct.COMPULSORY_PLAN: gettext_lazy("Approval given: the support plan is now in effect."),
    ApprovalAct.CASE_CLOSURE: gettext_lazy("Approval given: the case is closed."),
    ApprovalAct.SENSITIVE_REFERRAL: gettext_lazy("Approval given: the referral has been sent to the receiving "
                                                 "organisation."),
}


def _after_decision(request: HttpRequest, approval: Approval) -> HttpResponse:
    """After approving, the approver lands on the read-only view of what she approved, where she may read it."""
    if approval.status != ApprovalStatus.APPROVED:
        messages.success(request, _("Not approved: the author is told why."))
        return redirect("sharing:approval_list" if may_approve(request.user) else "home")
    messages.success(request, str(APPROVED_MESSAGES[ApprovalAct(approval.act)]))
    if may_read_approved(approval, request.user):
        return redirect("sharing:approved_case", pk=approval.pk)
    return redirect("sharing:approval_detail", pk=approval.pk)


# --- The ledger for the privacy officer ----------------------------------------------------------

@roles_required(Role.PRIVACY_OFFICER)
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    form = LedgerFilterForm(request.GET or None)
    entries = Disclosure.objects.visible_to(request.user).select_related(
        "organisation", "recipient", "disclosed_by", "case", "person")
    if form.is_valid():
        data = form.cleaned_data
        if data["organisation"]:
            entries = entries.filter(organisation=data["organisation"])
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["date_from"]:
            entries = entries.filter(disclosed_at__gte=start_of_day(data["date_from"]))
        if data["date_to"]:
            entries = entries.filter(disclosed_at__lt=start_of_day(data["date_to"] + datetime.timedelta(days=1)))
    elif form.is_bound:
        entries = entries.none()
    pages = paginate(request, entries.order_by("-disclosed_at", "-pk"))
    record_view(actor=request.user, object_type="disclosures.disclosure",
                purpose="disclosure ledger", detail={"query": request.GET.urlencode()})
    return render(request, "sharing/ledger.html", {"form": form, "entries": pages["page"].object_list, **pages,
                                                   "today": timezone.localdate()},
                  status=422 if form.errors else 200)
