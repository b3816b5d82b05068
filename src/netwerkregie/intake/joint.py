"""One decision for every signal about the same person on a joint assessment's agenda: the coordinator
records it once, and each signal gets its own assessment and audit event with the same findings and
reasons, all in one transaction (all or none)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from netwerkregie.core.models import User
from netwerkregie.intake.models import Assessment, AssessmentSession, Signal, SignalStatus
from netwerkregie.intake.services import FindingInput, decide


def decide_together(signal: Signal, *, also: list[Signal], session: AssessmentSession, findings: list[FindingInput],
                    legal_criterion: str, decision: str, rationale: str, actor: User) -> list[Assessment]:
    """``decide`` for the signal and for each of ``also`` (other signals about the same person on the same
    agenda). If one cannot be decided, none is."""
    for other in also:
        if other.person_id != signal.person_id or other.assessment_session_id != session.pk or other.pk == signal.pk:
            raise ValidationError(_("Only other signals about the same person on this agenda can share the decision."))
    with transaction.atomic():
        return [decide(s, session=session, findings=findings, legal_criterion=legal_criterion, decision=decision,
                       rationale=rationale, actor=actor) for s in [signal, *also]]


def undecided_others(signal: Signal, session: AssessmentSession) -> list[Signal]:
    """The other signals about the same person that wait on this agenda: offered to share the decision."""
    if signal.person_id is None:
        return []
    return list(Signal.objects.filter(assessment_session=session, person_id=signal.person_id,
                                      status=SignalStatus.ON_AGENDA).exclude(pk=signal.pk)
                .select_related("source_organisation").order_by("received_at", "pk"))
