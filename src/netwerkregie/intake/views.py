"""Pages of phases 1 and 2. Access comes from the querysets' ``visible_to``; every view of a
signal or person is written to the audit log."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import JustificationForm, apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.intake import justification, linking, pseudonymity, queries, services
from netwerkregie.intake.forms import (
    AgendaForm,
    ExistingPersonForm,
    NewPersonForm,
    PreAssessmentForm,
    RevealForm,
    SessionForm,
    TriageFilterForm,
)
from netwerkregie.intake.models import (
    OPEN_SIGNALS,
    AssessmentSession,
    IdentityReveal,
    Signal,
    SignalStatus,
)
from netwerkregie.intake.policy import may_refer_signal
from netwerkregie.people.models import Person

HANDLERS = (Role.COORDINATOR, Role.CORE_PARTNER)


# --- Triage ------------------------------------------------------------------------------------

@roles_required(Role.COORDINATOR)
@require_GET
def triage(request: HttpRequest) -> HttpResponse:
    """Open signals by due date. Ordered by the calendar only, never by anything about people."""
    form = TriageFilterForm(request.GET or None)
    signals = Signal.objects.visible_to(request.user).select_related("source_organisation", "person")
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status")
    signals = signals.filter(status=status) if status else signals.filter(OPEN_SIGNALS)  # its own index
    if data.get("channel"):
        signals = signals.filter(channel=data["channel"])
    if data.get("overdue"):
        signals = signals.filter(status=SignalStatus.NEW, due_on__lt=timezone.localdate())
    if data.get("acute"):
        signals = signals.filter(acute_danger=True)
    pages = paginate(request, signals.order_by("due_on", "received_at", "pk"))
    counts = queries.triage_counts(request.user, timezone.localdate())
    context = {"form": form, "signals": pages["page"].object_list, **pages, "counts": counts,
               "today": timezone.localdate()}
    template = "intake/_triage_results.html" if request.htmx else "intake/triage.html"
    return render(request, template, context)


def _signal_queryset() -> Any:
    return Signal.objects.select_related("source_organisation", "person", "assessment_session",
                                         "subject_neighbourhood")


def _detail_context(request: HttpRequest, signal: Signal, existing_form: ExistingPersonForm | None = None,
                    new_person_form: NewPersonForm | None = None,
                    pre_assessment_form: PreAssessmentForm | None = None) -> dict[str, Any]:
    coordinator = request.user.has_role(Role.COORDINATOR)
    context: dict[str, Any] = {"signal": signal, "coordinator": coordinator,
                               "observations": list(signal.observations.all()),
                               "assessment": getattr(signal, "assessment", None)}
    if coordinator and signal.status != SignalStatus.DECIDED:
        context["existing_form"] = existing_form or ExistingPersonForm()
        if signal.person_id is None:  # a linked signal is relinked through the link box or an offered match
            context["new_person_form"] = new_person_form or NewPersonForm(initial={
                "name": signal.subject_name, "birth_date": signal.subject_birth_date,
                "neighbourhood": signal.subject_neighbourhood, "school_or_organisation": signal.subject_school,
            })
        # On an agenda already: the form offers the other sessions, to move the signal.
        context["agenda_form"] = AgendaForm(
            sessions=_upcoming_sessions(request).exclude(pk=signal.assessment_session_id))
        context.update(linking.person_panel(request, signal))
        if signal.status == SignalStatus.NEW and settings.PRE_ASSESSMENT_DECISIONS:
            context["pre_assessment_form"] = pre_assessment_form or PreAssessmentForm()
    return context


@roles_required(*HANDLERS)
@require_GET
def signal_detail(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_visible_or_404(_signal_queryset(), request.user, reference=reference)
    record_view(signal, actor=request.user, purpose="triage and assessment")
    if pseudonymity.identity_hidden(signal, request.user):
        return render(request, "intake/signal_masked.html", _masked_context(request, signal))
    context = _detail_context(request, signal)
    context["justifications"] = signal.justifications.select_related("justified_by")
    context["reveals"] = signal.reveals.select_related("user__organisation")
    if request.user.has_role(Role.COORDINATOR):
        context["may_refer"] = may_refer_signal(request.user, signal)
        context["referrals"] = signal.referrals.select_related("organisation", "intervention", "covenant")
    return render(request, "intake/signal_detail.html", context)


def _masked_context(request: HttpRequest, signal: Signal, reveal_form: RevealForm | None = None) -> dict[str, Any]:
    session = signal.assessment_session
    may_reveal = (session is not None and signal.status == SignalStatus.ON_AGENDA
                  and session.participants.filter(pk=request.user.pk).exists())
    return {"signal": signal, "masked": pseudonymity.masked(signal), "earlier": pseudonymity.earlier_signals(signal),
            "session": session, "reveal_form": (reveal_form or RevealForm()) if may_reveal else None}


def _upcoming_sessions(request: HttpRequest) -> Any:
    return AssessmentSession.objects.visible_to(request.user).filter(held_on__gte=timezone.localdate())


@roles_required(Role.COORDINATOR)
@require_POST
def signal_link_person(request: HttpRequest, reference: str) -> HttpResponse:
    """Link to a registered person or register a new one (``intake.linking``)."""
    signal = get_visible_or_404(_signal_queryset(), request.user, reference=reference)
    outcome = linking.link_from_post(request, signal)
    if outcome.response is not None:
        return outcome.response
    context = _detail_context(request, signal, existing_form=outcome.existing_form,
                              new_person_form=outcome.new_person_form)
    return render(request, "intake/signal_detail.html", {**context, **outcome.extra}, status=outcome.status)


@roles_required(Role.COORDINATOR)
@require_POST
def signal_put_on_agenda(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_visible_or_404(Signal.objects.all(), request.user, reference=reference)
    form = AgendaForm(request.POST, sessions=_upcoming_sessions(request))
    if form.is_valid():
        try:
            services.put_on_agenda(signal, form.cleaned_data["session"], actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The signal is on the agenda of %(session)s.")
                             % {"session": form.cleaned_data["session"]})
    else:
        messages.error(request, _("Choose an assessment session."))
    return redirect("intake:signal_detail", reference=signal.reference)


@roles_required(Role.COORDINATOR)
@require_POST
def signal_pre_assess(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_visible_or_404(_signal_queryset(), request.user, reference=reference)
    form = PreAssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.pre_assess(signal, actor=request.user, **form.cleaned_data)
        except AlreadyDecided as error:
            messages.error(request, " ".join(error.messages))
            return redirect("intake:signal_detail", reference=signal.reference)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Signal %(reference)s decided at triage.") % {"reference": signal.reference})
            return redirect("intake:triage")
    return render(request, "intake/signal_detail.html", _detail_context(request, signal, pre_assessment_form=form),
                  status=422)


# --- Persons -------------------------------------------------------------------------------------

@roles_required(*HANDLERS)
@require_GET
def person_detail(request: HttpRequest, pseudonym: str) -> HttpResponse:
    person = get_visible_or_404(Person.objects.select_related("neighbourhood"), request.user,
                                pseudonym=pseudonym.upper())
    record_view(person, actor=request.user, purpose="triage and assessment")
    signals = Signal.objects.visible_to(request.user).filter(person=person).order_by("-received_at")
    return render(request, "intake/person_detail.html", {
        "person": person, "signals": signals, "coordinator": request.user.has_role(Role.COORDINATOR)})


# --- Joint assessment ------------------------------------------------------------------------------

@roles_required(*HANDLERS)
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = (AssessmentSession.objects.visible_to(request.user).annotate(agenda=Count("signals"))
                .order_by("-held_on", "-pk"))  # an aggregate query ignores Meta.ordering
    pages = paginate(request, sessions)
    return render(request, "intake/session_list.html", {"sessions": pages["page"].object_list, **pages,
                                                        "coordinator": request.user.has_role(Role.COORDINATOR)})


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("intake:session_detail", pk=session.pk)
    return render(request, "intake/session_form.html", {"form": form})


@roles_required(*HANDLERS)
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(AssessmentSession.objects.all(), request.user, pk=pk)
    agenda = session.signals.select_related("person", "source_organisation").order_by("received_at")
    participants = session.participants.select_related("organisation")
    pseudonymous = settings.PSEUDONYMOUS_ASSESSMENT and not request.user.has_role(Role.COORDINATOR)
    return render(request, "intake/session_detail.html", {
        "session": session, "agenda": agenda, "participants": participants, "pseudonymous": pseudonymous,
        "revealed": set(IdentityReveal.objects.filter(user=request.user, signal__in=agenda)
                        .values_list("signal_id", flat=True)),
        "one_party": services.is_single_party(session),
        "is_participant": participants.filter(pk=request.user.pk).exists(),
        "coordinator": request.user.has_role(Role.COORDINATOR), "today": timezone.localdate(),
    })


# --- Monitoring that lapses unless re-justified --------------------------------------------------

@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def signal_justify(request: HttpRequest, reference: str) -> HttpResponse:
    signal = get_visible_or_404(justification.under_monitoring().select_related("person"), request.user,
                                reference=reference)
    form = JustificationForm(request.POST or None)
    if request.method == "POST" and "end" in request.POST:
        justification.end_monitoring(signal, actor=request.user)
        messages.success(request, _("Monitoring of %(reference)s has ended.") % {"reference": signal.reference})
        return redirect("intake:signal_detail", reference=signal.reference)
    if request.method == "POST" and form.is_valid():
        try:
            justification.rejustify_monitoring(signal, actor=request.user,
                                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Re-justified until %(date)s.") % {
                "date": date_format(signal.justified_until, "SHORT_DATE_FORMAT")})
            return redirect("intake:signal_detail", reference=signal.reference)
    return render(request, "intake/signal_justify.html", {
        "signal": signal, "form": form, "justifications": signal.justifications.select_related("justified_by"),
    }, status=422 if form.errors else 200)
