"""Pseudonymous joint assessment (PSEUDONYMOUS_ASSESSMENT, on by default).

Police and public prosecutor assess a signal under its reference and the person's pseudonym: they
see the observations, the texts with the person's names replaced by the pseudonym, dates of birth by
an age, other recorded names and long numbers masked, the sector that sent it (not the partner's
name) and earlier signals about the same pseudonym. Only an explicit "reveal identity" act with a
reason, audited and shown on the assessment, shows them who it is. The coordinator, who triages,
always sees the identity."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerkregie.core.audit import record_view
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.models import AssessmentSession, IdentityReveal, Signal
from netwerkregie.intake.services import check_participant
from netwerkregie.people.identity import PARTICLES
from netwerkregie.people.models import age_on

LONG_NUMBER = re.compile(r"\b\d[\d .-]{6,}\d\b")


def identity_hidden(signal: Signal, user: User) -> bool:
    """True while this user sees the signal under its pseudonym only."""
    if not settings.PSEUDONYMOUS_ASSESSMENT or user.has_role(Role.COORDINATOR):
        return False
    shown = Q(signal=signal)
    if signal.assessment_session_id is not None and signal.person_id is not None:  # revealed for the person
        shown |= Q(session_id=signal.assessment_session_id, signal__person_id=signal.person_id)
    return not IdentityReveal.objects.filter(shown, user=user).exists()


def _names(*texts: str) -> list[str]:
    """Whole names first, then their parts (longest first), without particles ("de" or "van" on its own
    says nothing about who someone is) and initials."""
    whole = [t.strip() for t in texts if t and t.strip()]
    parts = {p for t in whole for p in re.split(r"[\s,.'\u2019-]+", t) if len(p) > 1 and p.lower() not in PARTICLES}
    return sorted(set(whole), key=len, reverse=True) + sorted(parts, key=len, reverse=True)


def _dates(day: datetime.date) -> list[str]:
    return sorted({f"{day:%d-%m-%Y}", f"{day.day}-{day.month}-{day.year}", f"{day:%d/%m/%Y}", day.isoformat(),
                   f"{day.day}/{day.month}/{day.year}", date_format(day, "j F Y"), f"{day:%d.%m.%Y}"},
                  key=len, reverse=True)


def mask(text: str, signal: Signal) -> str:
    """The text as a pseudonymous participant reads it."""
    if not text:
        return text
    person = signal.person
    pseudonym = person.pseudonym if person else _("[person]")
    born = (person.birth_date if person else None) or signal.subject_birth_date
    if born:
        age = _("[%(age)d years old]") % {"age": age_on(born, timezone.localdate())}
        for shown in _dates(born):
            text = re.sub(re.escape(shown), age, text, flags=re.IGNORECASE)
    for name in _names(signal.subject_name, person.name if person else ""):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", pseudonym, text, flags=re.IGNORECASE)
    for name in _names(signal.reporter, signal.subject_school):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", _("[name]"), text, flags=re.IGNORECASE)
    return LONG_NUMBER.sub(_("[number]"), text)


@dataclass
class MaskedSignal:
    """What a pseudonymous participant sees of one signal."""

    reference: str
    pseudonym: str
    age: int | None
    received_at: datetime.datetime
    sector: str
    acute_danger: bool
    observations: list[str]
    description: str
    context: str
    decision: str


def masked(signal: Signal) -> MaskedSignal:
    person = signal.person
    born = (person.birth_date if person else None) or signal.subject_birth_date
    assessment = getattr(signal, "assessment", None)
    return MaskedSignal(
        reference=signal.reference, pseudonym=person.pseudonym if person else "—",
        age=age_on(born, timezone.localdate()) if born else None, received_at=signal.received_at,
        sector=signal.source_organisation.get_sector_display(), acute_danger=signal.acute_danger,
        observations=[str(o) for o in signal.observations.all()], description=mask(signal.description, signal),
        context=mask(signal.context, signal), decision=assessment.get_decision_display() if assessment else "")


def earlier_signals(signal: Signal) -> list[MaskedSignal]:
    """The other signals about the same person, as the participant may read them (masked): earlier ones and
    those on the same agenda alike, newest first."""
    if signal.person_id is None:
        return []
    others = (Signal.objects.filter(person_id=signal.person_id).exclude(pk=signal.pk)
              .select_related("person", "source_organisation", "assessment").prefetch_related("observations")
              .order_by("-received_at", "-pk"))
    return [masked(s) for s in others]


def same_person_on_agenda(signal: Signal, session: AssessmentSession) -> list[Signal]:
    """The signal and every other signal about the same person on this session's agenda, oldest first."""
    if signal.person_id is None:
        return [signal]
    return list(Signal.objects.filter(assessment_session=session, person_id=signal.person_id)
                .select_related("person", "source_organisation").order_by("received_at", "pk"))


def reveal_identity(signal: Signal, *, session: AssessmentSession, actor: User, reason: str) -> IdentityReveal:
    """A participant of the session has the person's identity shown, for a written reason: on every signal
    about that person on the session's agenda at once, one audit event; once each."""
    errors: dict[str, list[ValidationError]] = {}
    check_participant(signal, session, actor, _("Only a participant of the session can have the identity revealed."))
    reason = collect(errors, "reason", clean_text, reason, 500, required=True)
    if errors:
        raise ValidationError(errors)
    existing = signal.reveals.filter(user=actor).first()
    if existing is not None:
        return existing
    signals = same_person_on_agenda(signal, session)
    try:
        with transaction.atomic():
            done = set(IdentityReveal.objects.filter(user=actor, signal__in=signals)
                       .values_list("signal_id", flat=True))
            IdentityReveal.objects.bulk_create(
                IdentityReveal(signal=s, session=session, user=actor, reason=reason)
                for s in signals if s.pk not in done and s.pk != signal.pk)
            reveal = IdentityReveal.objects.create(signal=signal, session=session, user=actor, reason=reason)
            record_view(actor=actor, obj=signal, purpose="identity revealed",
                        detail={"session": session.pk, "signals": [s.pk for s in signals]})
    except IntegrityError:  # the same participant, twice at once
        return signal.reveals.get(user=actor)
    return reveal


def names_person(text: str, signal: Signal) -> bool:
    """Whether ``text`` may contain a name of the signal's person (as reported or as registered). Says only yes
    or no: the caller tells the writer without echoing the name."""
    person = signal.person
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text or "", flags=re.IGNORECASE)
               for name in _names(signal.subject_name, person.name if person else ""))
