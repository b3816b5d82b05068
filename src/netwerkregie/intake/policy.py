"""Who may do what with a signal: the rules the views and the services of higher apps share."""

from __future__ import annotations

from typing import Any

from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Decision


def may_refer_signal(user: Any, signal: Any) -> bool:
    """A coordinator refers the person of a signal decided "referred to regular care"."""
    assessment = getattr(signal, "assessment", None)
    return user.has_role(Role.COORDINATOR) and assessment is not None and (
        assessment.decision == Decision.REFERRED_TO_REGULAR_CARE)


def may_decide(user: Any) -> bool:
    """The joint assessment's decision is the coordinator's, who chairs it; the partners contribute."""
    return bool(user.has_role(Role.COORDINATOR))


def may_contribute(user: Any) -> bool:
    """A core partner (police, public prosecutor) records its organisation's own contribution."""
    return user.has_role(Role.CORE_PARTNER) and not may_decide(user)
