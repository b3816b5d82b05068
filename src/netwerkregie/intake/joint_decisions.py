"""One joint decision may cover every signal about the same person on a session's agenda: it is stored once per
signal (``Assessment`` is per signal) but read as one decision. Grouping here lets a page show it once, naming the
signals it covered, instead of repeating the same rationale and findings for each."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from netwerkregie.intake.models import Assessment, Signal


@dataclass
class JointDecision:
    """A decision as read: its (first) assessment and the signals it covered, in the order given."""

    assessment: Assessment
    signals: list[Signal] = field(default_factory=list)

    @property
    def references(self) -> str:
        return ", ".join(signal.reference for signal in self.signals)


def _same_decision_key(assessment: Assessment) -> tuple[Any, ...] | None:
    """What makes two assessments one decision: the same session, decider, decision and reasons, and the same
    findings. A pre-assessment at triage (no session) always stands alone."""
    if assessment.session_id is None:
        return None
    findings = tuple((f.criterion_id, f.value, f.justification) for f in assessment.findings.all())
    return (assessment.session_id, assessment.decided_by_id, assessment.decision, assessment.rationale,
            assessment.legal_criterion, assessment.identity_revealed, assessment.review_on, findings)


def group_joint_decisions(signals: Iterable[Signal]) -> list[JointDecision]:
    """The decided signals as decisions: signals decided together appear once, under their first signal."""
    decisions: list[JointDecision] = []
    by_key: dict[tuple[Any, ...], JointDecision] = {}
    for signal in signals:
        key = _same_decision_key(signal.assessment)
        if key is not None and key in by_key:
            by_key[key].signals.append(signal)
            continue
        decision = JointDecision(assessment=signal.assessment, signals=[signal])
        decisions.append(decision)
        if key is not None:
            by_key[key] = decision
    return decisions
