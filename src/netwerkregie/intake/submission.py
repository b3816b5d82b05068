"""Submitting a signal (phase 1): validation, the special-category guard, the idempotency key, the reference,
the triage due date, retention and the audit event in one transaction; the coordinators are told after it. The
web form and the partner API both call ``submit_signal`` (re-exported by ``intake.services``)."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.guard import flagged_terms
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.dates import add_working_days
from netwerkregie.intake.models import ObservationCategory, Signal
from netwerkregie.network.models import Neighbourhood, Organisation
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import notify
from netwerkregie.people.models import age_on
from netwerkregie.people.services import clean_birth_date

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
                               idempotency_key=idempotency_key, fingerprint=fingerprint)
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
    idempotency_key: str | None, fingerprint: str,
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
        signal, observations, terms, data=data, submitted_by=submitted_by, actor_label=actor_label))
    return signal


def _insert_signal(signal: Signal, observations: list[ObservationCategory], terms: list[str], *,
                   data: SignalInput, submitted_by: User | None, actor_label: str) -> None:
    signal.save(force_insert=True)
    if observations:  # a new signal has none yet: add, no read of what it has
        signal.observations.add(*observations)
    log_event(AuditAction.CREATE, actor=submitted_by, actor_label=actor_label, obj=signal,
              detail={"channel": signal.channel, "acute_danger": data.acute_danger,
                                       "minor": signal.subject_is_minor})
    if terms:
        log_event(AuditAction.SPECIAL_CATEGORY_CONFIRMED, actor=submitted_by, actor_label=actor_label,
                  obj=signal, reason=data.special_category_reason,
                  detail={"terms": terms})
    _tell_coordinators(signal, submitted_by)


def _tell_coordinators(signal: Signal, submitted_by: User | None) -> None:
    """Into the outbox with the signal itself (the same transaction): the mail server's state never decides
    whether the submitter sees "call 112". Every coordinator but the submitter hears of a new signal at once
    (acute danger as the urgent alert, first in the queue), whatever they chose; no reference or content in
    the mail, only a link to the triage."""
    coordinators = User.objects.filter(role_assignments__role=Role.COORDINATOR)
    kind = Kind.ACUTE_SIGNAL if signal.acute_danger else Kind.NEW_SIGNAL
    alerted = notify(kind, coordinators, actor=submitted_by)
    if signal.acute_danger and alerted:
        log_event(AuditAction.ALERT, actor_label="system", obj=signal,
                  detail={"recipients": len(alerted), "reason": "acute danger"})
