"""Writes of phases 1 and 2. Each validates, writes, audits and sets retention in one
transaction; the web forms and the partner API both call these, so they behave alike. Submitting a signal is
``intake/submission.py``, re-exported here."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core import meetings
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.outbox import queue_mail
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import check_state, lock_in_state
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.models import (
    Assessment,
    AssessmentCriterion,
    AssessmentSession,
    Consultation,
    Decision,
    Finding,
    FindingValue,
    Signal,
    SignalStatus,
)
from netwerkregie.intake.policy import may_decide
from netwerkregie.intake.submission import (
    MAX_REASON as MAX_REASON,
)
from netwerkregie.intake.submission import (
    MAX_SHORT as MAX_SHORT,
)
from netwerkregie.intake.submission import (
    MAX_TEXT as MAX_TEXT,
)
from netwerkregie.intake.submission import (
    IdempotencyConflict as IdempotencyConflict,
)
from netwerkregie.intake.submission import (
    SignalInput as SignalInput,
)
from netwerkregie.intake.submission import (
    SpecialCategoryFlagged as SpecialCategoryFlagged,
)
from netwerkregie.intake.submission import (
    Submission as Submission,
)
from netwerkregie.intake.submission import (
    submit_signal as submit_signal,
)
from netwerkregie.intake.submission import (
    today as today,
)
from netwerkregie.intake.submission import (
    validate_signal as validate_signal,
)
from netwerkregie.network.models import Organisation
from netwerkregie.notifications.services import link
from netwerkregie.people.models import Person
from netwerkregie.people.services import (
    PersonInput,
    create_person,
    set_retention,
)


def _link(name: str) -> str:
    return link(name)  # SITE_URL first: never the Host header of the request



# --- Anonymous consultations ------------------------------------------------------------------

def ask_consultation(*, organisation: Organisation, question: str, channel: str, asked_by: User,
                     advice: str = "") -> Consultation:
    """A consultation without personal data; a coordinator may record the advice at once."""
    errors: dict[str, list[ValidationError]] = {}
    question = collect(errors, "question", clean_text, question, MAX_TEXT, required=True)
    advice = collect(errors, "advice", clean_text, advice, MAX_TEXT, required=False)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            organisation=organisation, asked_by=asked_by, channel=channel, question=question,
            advice=advice, advised_by=asked_by if advice else None, advised_at=now if advice else None,
            created_at=now,
            retain_until=timezone.localdate(now) + datetime.timedelta(days=settings.CONSULTATION_RETENTION_DAYS),
        )
        log_event(AuditAction.CREATE, actor=asked_by, obj=consultation,
                  detail={"advice_recorded": bool(advice)})
    return consultation


def give_advice(consultation: Consultation, *, advice: str, actor: User) -> Consultation:
    advice = clean_text(advice, MAX_TEXT, required=True)
    with transaction.atomic():
        consultation.advice, consultation.advised_by, consultation.advised_at = advice, actor, timezone.now()
        consultation.save(update_fields=["advice", "advised_by", "advised_at"])
        log_event(AuditAction.UPDATE, actor=actor, obj=consultation, reason="advice given")
    return consultation


# --- Triage: linking a person, the assessment agenda ------------------------------------------

def link_person(signal: Signal, *, actor: User, person: Person | None = None,
                new_person: PersonInput | None = None) -> Person:
    """Link the signal to an existing person, or to a new one made from ``new_person``."""
    if signal.status == SignalStatus.DECIDED:
        raise ValidationError(_("A decided signal can no longer be linked to another person."))
    with transaction.atomic():
        if person is None:
            if new_person is None:
                raise ValueError("link_person needs a person or new_person")
            person = create_person(new_person, actor=actor, retain_until=signal.retain_until)
        signal.person = person
        signal.save(update_fields=["person"])
        log_event(AuditAction.LINK, actor=actor, obj=signal,
                  detail={"person": person.pseudonym})
        person_retention_follows_signals(person)
    return person


def monitoring_justified_until(signal: Signal, day: datetime.date) -> datetime.date:
    """Monitoring from ``day`` is justified for one period: shorter for a minor."""
    minor = signal.person.is_minor if signal.person is not None else signal.subject_is_minor
    return day + datetime.timedelta(
        days=settings.JUSTIFY_MONITORING_MINOR_DAYS if minor else settings.JUSTIFY_MONITORING_DAYS)


def person_retention_follows_signals(person: Person) -> None:
    dates = list(person.signals.values_list("retain_until", flat=True))
    if dates:
        set_retention(person, max(dates))


def create_session(*, title: str, held_on: datetime.date, participants: list[User], actor: User, location: str = "",
                   starts_at: datetime.time | None = None, ends_at: datetime.time | None = None) -> AssessmentSession:
    errors: dict[str, list[ValidationError]] = {}
    title = collect(errors, "title", clean_text, title, MAX_SHORT, required=True)
    schedule = meetings.check_schedule(errors, starts_at=starts_at, ends_at=ends_at, location=location)
    if not participants:
        errors["participants"] = [ValidationError(_("Choose at least one participant."))]
    eligible = {Role.COORDINATOR, Role.CORE_PARTNER}
    if any(not (p.roles & eligible) for p in participants):
        errors.setdefault("participants", []).append(
            ValidationError(_("Only coordinators and core partners take part in a joint assessment.")))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = AssessmentSession.objects.create(title=title, held_on=held_on, created_by=actor, **schedule)
        session.participants.set({*participants, actor})
        log_event(AuditAction.CREATE, actor=actor, obj=session,
                  detail={"participants": len(session.participants.all())})
    return session


UNDECIDED = [SignalStatus.NEW, SignalStatus.ON_AGENDA]


def signal_moved_on(signal: Signal) -> str:
    """Why a decision on this signal comes too late: who decided it, or where it went, in the meantime."""
    assessment = Assessment.objects.filter(signal=signal).select_related("decided_by").first()
    if assessment is not None:
        return _("This signal was already decided in the meantime by %(who)s: %(decision)s.") % {
            "who": assessment.decided_by, "decision": assessment.get_decision_display().lower()}
    if signal.status == SignalStatus.ON_AGENDA:
        return _("This signal was put on the agenda of %(session)s in the meantime.") % {
            "session": signal.assessment_session}
    return _("This signal can no longer be decided here: %(status)s.") % {
        "status": signal.get_status_display().lower()}


def put_on_agenda(signal: Signal, session: AssessmentSession, *, actor: User) -> Signal:
    check_state(signal, states=UNDECIDED, message=signal_moved_on)
    if signal.person_id is None:
        raise ValidationError(_("Link the signal to a person before putting it on an agenda."))
    with transaction.atomic():
        lock_in_state(signal, states=UNDECIDED, message=signal_moved_on)
        signal.assessment_session, signal.status = session, SignalStatus.ON_AGENDA
        signal.triaged_at = signal.triaged_at or timezone.now()
        signal.save(update_fields=["assessment_session", "status", "triaged_at"])
        log_event(AuditAction.UPDATE, actor=actor, obj=signal,
                  reason="put on the assessment agenda", detail={"session": session.pk})
    return signal


# --- The joint assessment ----------------------------------------------------------------------

def is_single_party(session: AssessmentSession) -> bool:
    """True unless a participant from a core party other than the municipality took part."""
    core = set(settings.CORE_PARTY_SECTORS)
    return not session.participants.filter(organisation__sector__in=core).exists()


@dataclass
class FindingInput:
    criterion: AssessmentCriterion
    value: str
    justification: str


def check_participant(signal: Signal, session: AssessmentSession, actor: User, refusal: str) -> None:
    """The signal is on this session's agenda and the actor takes part in it; ``refusal`` says what not."""
    check_state(signal, states=[SignalStatus.ON_AGENDA], message=signal_moved_on)
    if signal.assessment_session_id != session.pk:
        raise ValidationError(_("This signal is not on this session's agenda."))
    if not session.participants.filter(pk=actor.pk).exists():
        raise ValidationError(refusal)


def decide(signal: Signal, *, session: AssessmentSession, findings: list[FindingInput], legal_criterion: str,
           decision: str, rationale: str, actor: User) -> Assessment:
    """Record the joint decision on one signal of the session's agenda, with its reasons."""
    errors: dict[str, list[ValidationError]] = {}
    check_participant(signal, session, actor, _("Only a participant of the session can record its decision."))
    if not may_decide(actor):
        raise ValidationError(_("The decision is recorded by the coordinator; partners record their contribution."))
    legal_criterion = collect(errors, "legal_criterion", clean_text, legal_criterion, 300, required=True)
    rationale = collect(errors, "rationale", clean_text, rationale, MAX_TEXT, required=True)
    if decision not in Decision.values:
        errors["decision"] = [ValidationError(_("Choose a decision."))]
    active = set(AssessmentCriterion.objects.filter(is_active=True).values_list("pk", flat=True))
    given = {f.criterion.pk for f in findings}
    if active - given:
        errors.setdefault("__all__", []).append(ValidationError(_("Give a finding on every criterion.")))
    for finding in findings:
        key = f"finding_{finding.criterion.code}"
        if finding.value not in FindingValue.values:
            errors.setdefault(key, []).append(ValidationError(_("Choose present, absent or unknown.")))
        # Why something is present or absent must be written; "unknown" needs no reason of its own.
        collect(errors, f"justification_{finding.criterion.code}", clean_text, finding.justification,
                MAX_TEXT, required=finding.value in (FindingValue.PRESENT, FindingValue.ABSENT))
    if errors:
        raise ValidationError(errors)
    decided = timezone.localdate()
    retain_until = decided + datetime.timedelta(days=settings.DECISION_RETENTION_DAYS[decision])
    review_on = (decided + datetime.timedelta(days=settings.MONITORING_REVIEW_DAYS)
                 if decision == Decision.MONITORING else None)
    with transaction.atomic():
        lock_in_state(signal, states=[SignalStatus.ON_AGENDA], message=signal_moved_on)
        check_participant(signal, session, actor, _("Only a participant of the session can record its decision."))
        if decision == Decision.MONITORING:
            signal.justified_until = monitoring_justified_until(signal, decided)
        assessment = Assessment.objects.create(
            signal=signal, session=session, legal_criterion=legal_criterion, decision=decision,
            rationale=rationale, decided_by=actor, assessed_by_one_party=is_single_party(session),
            identity_revealed=signal.reveals.exists(), review_on=review_on, retain_until=retain_until,
        )
        Finding.objects.bulk_create(
            Finding(assessment=assessment, criterion=f.criterion, value=f.value,
                    justification=f.justification.strip())
            for f in findings
        )
        signal.status, signal.retain_until = SignalStatus.DECIDED, retain_until
        signal.save(update_fields=["status", "retain_until", "justified_until"])
        if signal.person is not None:
            person_retention_follows_signals(signal.person)
        log_event(AuditAction.DECIDE, actor=actor, obj=signal, reason=decision,
                  detail={"session": session.pk, "one_party": assessment.assessed_by_one_party,
                          "identity_revealed": assessment.identity_revealed,
                          "retain_until": retain_until.isoformat()})
        if decision == Decision.CLOSED_NO_CONCERN:
            _tell_recipients_concern_unfounded(signal, session)
    return assessment


def pre_assess(signal: Signal, *, decision: str, legal_criterion: str, rationale: str, actor: User) -> Assessment:
    """The coordinator closes a new signal alone at triage, where the municipality's rules allow it
    (PRE_ASSESSMENT_DECISIONS): "concern unfounded" or "advice given", with written reasons. Flagged
    as assessed by one party and counted; anything heavier goes to the joint assessment."""
    errors: dict[str, list[ValidationError]] = {}
    check_state(signal, states=[SignalStatus.NEW], message=signal_moved_on)
    if decision not in settings.PRE_ASSESSMENT_DECISIONS:
        errors["decision"] = [ValidationError(_("This decision needs the joint assessment."))]
    legal_criterion = collect(errors, "legal_criterion", clean_text, legal_criterion, 300, required=True)
    rationale = collect(errors, "rationale", clean_text, rationale, MAX_TEXT, required=True)
    if errors:
        raise ValidationError(errors)
    retain_until = timezone.localdate() + datetime.timedelta(days=settings.DECISION_RETENTION_DAYS[decision])
    with transaction.atomic():
        lock_in_state(signal, states=[SignalStatus.NEW], message=signal_moved_on)
        assessment = Assessment.objects.create(
            signal=signal, session=None, legal_criterion=legal_criterion, decision=decision, rationale=rationale,
            decided_by=actor, assessed_by_one_party=True, retain_until=retain_until)
        signal.status, signal.retain_until, signal.triaged_at = SignalStatus.DECIDED, retain_until, timezone.now()
        signal.save(update_fields=["status", "retain_until", "triaged_at"])
        if signal.person is not None:
            person_retention_follows_signals(signal.person)
        log_event(AuditAction.DECIDE, actor=actor, obj=signal, reason=decision,
                  detail={"pre_assessment": True, "one_party": True, "retain_until": retain_until.isoformat()})
        if decision == Decision.CLOSED_NO_CONCERN:
            _tell_recipients_concern_unfounded(signal, None)
    return assessment


def _tell_recipients_concern_unfounded(signal: Signal, session: AssessmentSession | None) -> None:
    """Everyone who received the personal data hears that it was unfounded and will be erased (in the
    decision's transaction; the mail names no signal: they sign in to see which)."""
    recipients = {u.email for u in session.participants.filter(is_active=True)} if session else set()
    if signal.submitted_by is not None and signal.submitted_by.is_active:
        recipients.add(signal.submitted_by.email)
    queue_mail(template="concern_unfounded", recipients=recipients, context={"link": _link("home")})
    log_event(AuditAction.NOTIFY, actor_label="system", obj=signal, reason="concern unfounded",
              detail={"recipients": len(recipients)})

