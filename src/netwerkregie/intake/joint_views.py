"""The joint assessment of one signal on a session's agenda: the signal panel, the partners' contributions,
the reveal of the person's identity and the coordinator's decision (which may cover every signal about the
same person on the agenda). A partner never gets the decision form; its POST answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.intake import contributions, joint, pseudonymity, services
from netwerkregie.intake.contribution_forms import ContributionForm, JointDecisionForm
from netwerkregie.intake.forms import RevealForm
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal, SignalStatus
from netwerkregie.intake.policy import may_contribute, may_decide

HANDLERS = (Role.COORDINATOR, Role.CORE_PARTNER)


def _on_agenda(request: HttpRequest, pk: int, reference: str) -> tuple[AssessmentSession, Signal]:
    session = get_visible_or_404(AssessmentSession.objects.all(), request.user, pk=pk)
    signal = get_visible_or_404(
        Signal.objects.filter(assessment_session=session)
        .select_related("person", "source_organisation").prefetch_related("observations"),
        request.user, reference=reference)
    return session, signal


def _criteria() -> list[AssessmentCriterion]:
    return list(AssessmentCriterion.objects.filter(is_active=True))


def _panel(request: HttpRequest, session: AssessmentSession, signal: Signal, *, form: Any = None,
           reveal_form: RevealForm | None = None, contribution_form: ContributionForm | None = None) -> dict[str, Any]:
    """Everything the participant sees of the signal: the signal (masked while the identity is hidden), the
    reveal form, the other signals about the person, the contributions, and the one form that is theirs."""
    user = request.user
    hidden = pseudonymity.identity_hidden(signal, user)
    participant = session.participants.filter(pk=user.pk).exists()
    waiting = signal.status == SignalStatus.ON_AGENDA
    same_person = pseudonymity.same_person_on_agenda(signal, session)
    context: dict[str, Any] = {
        "session": session, "signal": signal, "hidden": hidden, "one_party": services.is_single_party(session),
        "masked": pseudonymity.masked(signal) if hidden else None,
        "earlier": pseudonymity.earlier_signals(signal),
        "reveal_form": (reveal_form or RevealForm()) if hidden and participant and waiting else None,
        "reveals": signal.reveals.select_related("user__organisation"),
        # This signal's contributions first, then those on the person's other signals in the session.
        "contributions": sorted(contributions.contributions_for(same_person, user),
                                key=lambda shown: shown.reference != signal.reference),
        "deciding": may_decide(user) and participant and waiting,
    }
    if context["deciding"]:
        others = joint.undecided_others(signal, session)
        context["form"] = form = form or JointDecisionForm(criteria=_criteria(), others=others)
        # Beside each criterion of the decision, the partners' views on it for this signal.
        views = {}
        for shown in context["contributions"]:
            if shown.reference == signal.reference:
                for criterion, view in shown.views:
                    views.setdefault(criterion, []).append((shown.organisation, view))
        context["criterion_rows"] = [(finding, justification, views.get(str(criterion), []))
                                     for (finding, justification), criterion in zip(form.criterion_rows(),
                                                                                     form.criteria, strict=True)]
    elif may_contribute(user) and participant and waiting:
        own = contributions.own_contribution(signal, user)
        context["own"] = own
        if own is None or own.author_id == user.pk:
            context["contribution_form"] = contribution_form or ContributionForm(criteria=_criteria(), instance=own)
    return context


@roles_required(*HANDLERS)
@require_http_methods(["GET", "POST"])
def session_decide(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """The signal panel; for the coordinator with the decision form, for a partner with the contribution form."""
    session, signal = _on_agenda(request, pk, reference)
    if request.method == "POST" and not may_decide(request.user):
        raise Http404
    if signal.status != SignalStatus.ON_AGENDA:  # decided by another participant since this page was opened
        messages.error(request, services.signal_moved_on(signal))
        return redirect("intake:session_detail", pk=session.pk)
    if request.method == "GET":
        record_view(signal, actor=request.user, purpose="joint assessment")
        return render(request, "intake/decision_form.html", _panel(request, session, signal))
    form = JointDecisionForm(request.POST, criteria=_criteria(), others=joint.undecided_others(signal, session))
    if form.is_valid():
        try:
            decided = joint.decide_together(
                signal, also=form.also(), session=session, findings=form.findings(), actor=request.user,
                legal_criterion=form.cleaned_data["legal_criterion"], decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"])
        except AlreadyDecided as error:
            messages.error(request, " ".join(error.messages))
            return redirect("intake:session_detail", pk=session.pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, ngettext(
                "Decision recorded for %(references)s.", "Decision recorded for %(count)d signals: %(references)s.",
                len(decided)) % {"count": len(decided), "references": ", ".join(a.signal.reference for a in decided)})
            return redirect("intake:session_detail", pk=session.pk)
    return render(request, "intake/decision_form.html", _panel(request, session, signal, form=form), status=422)


@roles_required(Role.CORE_PARTNER)
@require_POST
def session_contribute(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """A participating partner records, or its author changes, the organisation's contribution."""
    session, signal = _on_agenda(request, pk, reference)
    if not may_contribute(request.user) or not session.participants.filter(pk=request.user.pk).exists():
        raise Http404
    if signal.status != SignalStatus.ON_AGENDA:  # decided while the form was open: the contribution is closed
        messages.error(request, services.signal_moved_on(signal))
        return redirect("intake:session_detail", pk=session.pk)
    own = contributions.own_contribution(signal, request.user)
    form = ContributionForm(request.POST, criteria=_criteria(), instance=own)
    if form.is_valid():
        try:
            contributions.record_contribution(
                signal, session=session, actor=request.user, knowledge=form.cleaned_data["knowledge"],
                views=form.views(), special_category_reason=form.guard_reason(),
                name_confirmed=form.cleaned_data["name_confirmed"])
        except contributions.PersonNamed as named:
            form.person_named = True
            apply_errors(form, named)
        except services.SpecialCategoryFlagged as flagged:
            form.flagged_terms = flagged.terms
            form.add_error(None, flagged)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your contribution is recorded; the participants see it beside the decision."))
            return redirect("intake:session_decide", pk=session.pk, reference=signal.reference)
    return render(request, "intake/decision_form.html", _panel(request, session, signal, contribution_form=form),
                  status=422)


@roles_required(*HANDLERS)
@require_POST
def session_reveal(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    """A participant has the person's identity revealed, for a reason: for all of the person's signals in the
    session at once (pseudonymous assessment)."""
    session = get_visible_or_404(AssessmentSession.objects.all(), request.user, pk=pk)
    signal = get_visible_or_404(
        Signal.objects.filter(assessment_session=session, status=SignalStatus.ON_AGENDA)
        .select_related("person", "source_organisation"), request.user, reference=reference)
    form = RevealForm(request.POST)
    if form.is_valid():
        try:
            pseudonymity.reveal_identity(signal, session=session, actor=request.user,
                                         reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The identity is shown to you for every signal about this person in this "
                                        "session; this is recorded on the assessment."))
            return redirect("intake:session_decide", pk=session.pk, reference=signal.reference)
    return render(request, "intake/decision_form.html", _panel(request, session, signal, reveal_form=form), status=422)
