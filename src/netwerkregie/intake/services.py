"""Writes of phases 1 and 2. Each validates, writes, audits and sets retention in one
transaction; the web forms and the partner API both call these, so they behave alike."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core import meetings
from netwerkregie.core.audit import log_event
from netwerkregie.core.guard import flagged_terms
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.outbox import queue_mail
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import check_state, lock_in_state
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.dates import add_working_days
from netwerkregie.intake.models import (
    Assessment,
    AssessmentCriterion,
    AssessmentSession,
    Consultation,
    Decision,
    Finding,
    FindingValue,
    ObservationCategory,
    Signal,
    SignalStatus,
)
from netwerkregie.network.models import Neighbourhood, Organisation
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import link, notify
from netwerkregie.people.models import Person, age_on
from netwerkregie.people.services import (
    PersonInput,
    clean_birth_date,
    create_person,
    set_retention,
)

MAX_TEXT = 10_000
MAX_SHORT = 200
MAX_REASON = 1_000


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class SignalInput:
    description: str
    subject_name: str
    observation_codes: list[str] = field(default_factory=list)
    context: str = ""
    observed_since: datetime.date | None = None
    acute_danger: bool = False
    subject_birth_date: datetime.date | None = None
    subject_neighbourhood_id: int | None = None
    subject_school: str = ""
    reporter: str = ""
    special_category_reason: str = ""

    def fingerprint(self) -> str:
        """A stable digest of what was submitted, to tell a retry from a different request."""
        payload = {**self.__dict__, "observation_codes": sorted(self.observation_codes)}
        encoded = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(encoded.encode()).hexdigest()


class SpecialCategoryFlagged(ValidationError):
    """Free text mentions a special category and the writer has not confirmed it is necessary."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        super().__init__(
            _("The text mentions %(terms)s. Signals are about behaviour, not about who someone is: "
              "remove it, or confirm with a reason that it is necessary.") % {"terms": ", ".join(terms)},
            code="special_category",
        )


def validate_signal(data: SignalInput) -> tuple[SignalInput, list[ObservationCategory], list[str]]:
    """The domain rules for a signal, whichever way it arrives. Raises ValidationError(dict)."""
    errors: dict[str, list[ValidationError]] = {}
    description = collect(errors, "description", clean_text, data.description, MAX_TEXT, required=True)
    context = collect(errors, "context", clean_text, data.context, MAX_TEXT, required=False)
    name = collect(errors, "subject_name", clean_text, data.subject_name, MAX_SHORT, required=True)
    school = collect(errors, "subject_school", clean_text, data.subject_school, MAX_SHORT, required=False)
    reporter = collect(errors, "reporter", clean_text, data.reporter, MAX_SHORT, required=False)
    reason = collect(errors, "special_category_reason", clean_text, data.special_category_reason,
                      MAX_REASON, required=False)
    birth_date = collect(errors, "subject_birth_date", clean_birth_date, data.subject_birth_date)
    if data.observed_since and data.observed_since > today():
        errors.setdefault("observed_since", []).append(
            ValidationError(_("This date is in the future."), code="future"))
    codes = list(dict.fromkeys(data.observation_codes))
    observations = list(ObservationCategory.objects.filter(code__in=codes, is_active=True)) if codes else []
    unknown = sorted(set(codes) - {o.code for o in observations})
    if unknown:
        errors.setdefault("observation_codes", []).append(ValidationError(
            _("Unknown observation: %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown"))
    if data.subject_neighbourhood_id is not None and not Neighbourhood.objects.filter(
        pk=data.subject_neighbourhood_id
    ).exists():
        errors.setdefault("subject_neighbourhood", []).append(
            ValidationError(_("Unknown neighbourhood."), code="unknown"))
    if errors:
        raise ValidationError(errors)
    terms = flagged_terms(description, context, reporter, school)
    if terms and not reason:
        raise SpecialCategoryFlagged(terms)
    cleaned = SignalInput(
        description=description, subject_name=name, observation_codes=codes, context=context,
        observed_since=data.observed_since, acute_danger=data.acute_danger,
        subject_birth_date=birth_date, subject_neighbourhood_id=data.subject_neighbourhood_id,
        subject_school=school, reporter=reporter, special_category_reason=reason if terms else "",
    )
    return cleaned, observations, terms


@dataclass
class Submission:
    signal: Signal
    created: bool


class IdempotencyConflict(Exception):
    """The idempotency key was used before for a different request."""


def submit_signal(
    data: SignalInput,
    *,
    organisation: Organisation,
    channel: str,
    submitted_by: User | None = None,
    actor_label: str = "",
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
) -> Submission:
    """Record a signal. With an idempotency key, a retry of the same request returns the signal
    it created the first time; the same key with a different request raises IdempotencyConflict.

    The first request with a key is not read for first: the unique constraint on (organisation, key)
    turns a retry's insert away, and then the stored signal is read (a retry costs a query more, a
    first submission a query less)."""
    fingerprint = data.fingerprint()
    try:
        cleaned, observations, terms = validate_signal(data)
    except ValidationError:  # a key used before for another request is that, before the body's faults
        if idempotency_key and (existing := _replay(organisation, idempotency_key, fingerprint)) is not None:
            return Submission(existing, created=False)
        raise
    try:
        signal = _store_signal(cleaned, observations, terms, organisation=organisation, channel=channel,
                               submitted_by=submitted_by, actor_label=actor_label,
                               idempotency_key=idempotency_key, fingerprint=fingerprint, request=request)
    except IntegrityError:
        if not idempotency_key:
            raise
        existing = _replay(organisation, idempotency_key, fingerprint)
        if existing is None:
            raise
        return Submission(existing, created=False)
    return Submission(signal, created=True)


def _replay(organisation: Organisation, key: str, fingerprint: str) -> Signal | None:
    existing = Signal.objects.filter(source_organisation=organisation, idempotency_key=key).first()
    if existing is not None and existing.request_fingerprint != fingerprint:
        raise IdempotencyConflict
    return existing


def _store_signal(
    data: SignalInput, observations: list[ObservationCategory], terms: list[str], *,
    organisation: Organisation, channel: str, submitted_by: User | None, actor_label: str,
    idempotency_key: str | None, fingerprint: str, request: HttpRequest | None,
) -> Signal:
    received = timezone.now()
    signal = Signal(
        source_organisation=organisation,
        submitted_by=submitted_by,
        channel=channel,
        reporter=data.reporter,
        description=data.description,
        context=data.context,
        observed_since=data.observed_since,
        acute_danger=data.acute_danger,
        special_category_confirmed=bool(terms),
        subject_name=data.subject_name,
        subject_birth_date=data.subject_birth_date,
        subject_neighbourhood_id=data.subject_neighbourhood_id,
        subject_school=data.subject_school,
        subject_is_minor=bool(data.subject_birth_date)
        and age_on(data.subject_birth_date, received.date()) < 18,  # type: ignore[arg-type]
        received_at=received,
        due_on=add_working_days(timezone.localdate(received), settings.SIGNAL_TRIAGE_WORKING_DAYS),
        idempotency_key=idempotency_key or None,
        request_fingerprint=fingerprint,
        retain_until=timezone.localdate(received)
        + datetime.timedelta(days=settings.SIGNAL_UNDECIDED_RETENTION_DAYS),
    )
    # A reference drawn twice is rare: the whole insert again with a new one. Outside a transaction (the
    # API) the insert and its audit event are one transaction without a savepoint.
    save_with_fresh(signal, "reference", save=lambda: _insert_signal(
        signal, observations, terms, data=data, submitted_by=submitted_by, actor_label=actor_label,
        request=request))
    return signal


def _insert_signal(signal: Signal, observations: list[ObservationCategory], terms: list[str], *,
                   data: SignalInput, submitted_by: User | None, actor_label: str,
                   request: HttpRequest | None) -> None:
    signal.save(force_insert=True)
    if observations:  # a new signal has none yet: add, no read of what it has
        signal.observations.add(*observations)
    log_event(AuditAction.CREATE, actor=submitted_by, actor_label=actor_label, obj=signal,
              request=request, detail={"channel": signal.channel, "acute_danger": data.acute_danger,
                                       "minor": signal.subject_is_minor})
    if terms:
        log_event(AuditAction.SPECIAL_CATEGORY_CONFIRMED, actor=submitted_by, actor_label=actor_label,
                  obj=signal, request=request, reason=data.special_category_reason,
                  detail={"terms": terms})
    _tell_coordinators(signal, submitted_by, request)


def _tell_coordinators(signal: Signal, submitted_by: User | None, request: HttpRequest | None) -> None:
    """Into the outbox with the signal itself (the same transaction): the mail server's state never decides
    whether the submitter sees "call 112". Every coordinator but the submitter hears of a new signal at once
    (acute danger as the urgent alert, first in the queue), whatever they chose; no reference or content in
    the mail, only a link to the triage."""
    coordinators = User.objects.filter(role_assignments__role=Role.COORDINATOR)
    kind = Kind.ACUTE_SIGNAL if signal.acute_danger else Kind.NEW_SIGNAL
    alerted = notify(kind, coordinators, actor=submitted_by, request=request)
    if signal.acute_danger and alerted:
        log_event(AuditAction.ALERT, actor_label="system", obj=signal,
                  detail={"recipients": len(alerted), "reason": "acute danger"})


def _link(request: HttpRequest | None, name: str) -> str:
    return link(name, request)  # SITE_URL first: never the Host header of the request



# --- Anonymous consultations ------------------------------------------------------------------

def ask_consultation(*, organisation: Organisation, question: str, channel: str, asked_by: User,
                     advice: str = "", request: HttpRequest | None = None) -> Consultation:
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
        log_event(AuditAction.CREATE, actor=asked_by, obj=consultation, request=request,
                  detail={"advice_recorded": bool(advice)})
    return consultation


def give_advice(consultation: Consultation, *, advice: str, actor: User,
                request: HttpRequest | None = None) -> Consultation:
    advice = clean_text(advice, MAX_TEXT, required=True)
    with transaction.atomic():
        consultation.advice, consultation.advised_by, consultation.advised_at = advice, actor, timezone.now()
        consultation.save(update_fields=["advice", "advised_by", "advised_at"])
        log_event(AuditAction.UPDATE, actor=actor, obj=consultation, request=request, reason="advice given")
    return consultation


# --- Triage: linking a person, the assessment agenda ------------------------------------------

def link_person(signal: Signal, *, actor: User, person: Person | None = None,
                new_person: PersonInput | None = None, request: HttpRequest | None = None) -> Person:
    """Link the signal to an existing person, or to a new one made from ``new_person``."""
    if signal.status == SignalStatus.DECIDED:
        raise ValidationError(_("A decided signal can no longer be linked to another person."))
    with transaction.atomic():
        if person is None:
            if new_person is None:
                raise ValueError("link_person needs a person or new_person")
            person = create_person(new_person, actor=actor, retain_until=signal.retain_until, request=request)
        signal.person = person
        signal.save(update_fields=["person"])
        log_event(AuditAction.LINK, actor=actor, obj=signal, request=request,
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
                   starts_at: datetime.time | None = None, ends_at: datetime.time | None = None,
                   request: HttpRequest | None = None) -> AssessmentSession:
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
        log_event(AuditAction.CREATE, actor=actor, obj=session, request=request,
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


def put_on_agenda(signal: Signal, session: AssessmentSession, *, actor: User,
                  request: HttpRequest | None = None) -> Signal:
    check_state(signal, states=UNDECIDED, message=signal_moved_on)
    if signal.person_id is None:
        raise ValidationError(_("Link the signal to a person before putting it on an agenda."))
    with transaction.atomic():
        lock_in_state(signal, states=UNDECIDED, message=signal_moved_on)
        signal.assessment_session, signal.status = session, SignalStatus.ON_AGENDA
        signal.triaged_at = signal.triaged_at or timezone.now()
        signal.save(update_fields=["assessment_session", "status", "triaged_at"])
        log_event(AuditAction.UPDATE, actor=actor, obj=signal, request=request,
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
           decision: str, rationale: str, actor: User, request: HttpRequest | None = None) -> Assessment:
    """Record the joint decision on one signal of the session's agenda, with its reasons."""
    errors: dict[str, list[ValidationError]] = {}
    check_participant(signal, session, actor, _("Only a participant of the session can record its decision."))
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
        log_event(AuditAction.DECIDE, actor=actor, obj=signal, request=request, reason=decision,
                  detail={"session": session.pk, "one_party": assessment.assessed_by_one_party,
                          "identity_revealed": assessment.identity_revealed,
                          "retain_until": retain_until.isoformat()})
        if decision == Decision.CLOSED_NO_CONCERN:
            _tell_recipients_concern_unfounded(signal, session, request)
    return assessment


def pre_assess(signal: Signal, *, decision: str, legal_criterion: str, rationale: str, actor: User,
               request: HttpRequest | None = None) -> Assessment:
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
        log_event(AuditAction.DECIDE, actor=actor, obj=signal, request=request, reason=decision,
                  detail={"pre_assessment": True, "one_party": True, "retain_until": retain_until.isoformat()})
        if decision == Decision.CLOSED_NO_CONCERN:
            _tell_recipients_concern_unfounded(signal, None, request)
    return assessment


def _tell_recipients_concern_unfounded(signal: Signal, session: AssessmentSession | None,
                                       request: HttpRequest | None) -> None:
    """Everyone who received the personal data hears that it was unfounded and will be erased (in the
    decision's transaction; the mail names no signal: they sign in to see which)."""
    recipients = {u.email for u in session.participants.filter(is_active=True)} if session else set()
    if signal.submitted_by is not None and signal.submitted_by.is_active:
        recipients.add(signal.submitted_by.email)
    queue_mail(template="concern_unfounded", recipients=recipients, context={"link": _link(request, "home")})
    log_event(AuditAction.NOTIFY, actor_label="system", obj=signal, reason="concern unfounded",
              detail={"recipients": len(recipients)})

