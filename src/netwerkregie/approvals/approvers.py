"""Who may approve an act that waits for a second pair of eyes: the rule of ``services.pending_for`` seen from
the act's side, so the notification reaches exactly the coordinators who find it on their list."""

from __future__ import annotations

from netwerkregie.approvals.models import Approval
from netwerkregie.core import grants
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role


def approvers(approval: Approval) -> list[User]:
    """Every active coordinator but the author, and none whose account or coordinator role the author arranged
    within FOUR_EYES_INDEPENDENCE_DAYS (``services.check_independent_approver``)."""
    coordinators = (User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR)
                    .exclude(pk=approval.requested_by_id).distinct())
    return [user for user in coordinators if approval.requested_by_id not in grants.arranged_by(user, Role.COORDINATOR)]
