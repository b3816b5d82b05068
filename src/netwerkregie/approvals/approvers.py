"""Who may approve an act that waits for a second pair of eyes: the one rule, used by the list of what waits
(``services.pending_for``), the decision (``services.decide``), the notification and the request page that
names the approvers before anything is asked.

An approver holds one of ``core.roles.approver_roles()`` (APPROVER_ROLES, and always the approver role), is
active, is not the act's author, and is no one the author arranged within FOUR_EYES_INDEPENDENCE_DAYS
(``core.grants.arranged_by``: the author created the account or asked for, confirmed or granted the approving
role)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from netwerkregie.approvals.models import ApprovalAct
from netwerkregie.core import grants
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role, approver_roles


def may_approve(user: Any) -> bool:
    """Whether this user holds a role that approves (whose acts is ``independent_of``'s question)."""
    return bool(getattr(user, "is_authenticated", False) and user.roles & approver_roles())


def arranged(user: User) -> set[int]:
    """The accounts that arranged this user's account or an approving role of theirs lately."""
    ids: set[int] = set()
    for role in sorted(user.roles & approver_roles()):
        ids |= grants.arranged_by(user, role)
    return ids


def independent_of(user: User, author_id: int) -> bool:
    return author_id != user.pk and author_id not in arranged(user)


def eligible(*, author: User) -> list[User]:
    """Every active user who could approve an act of ``author``, by name (the order of the request page)."""
    candidates = (User.objects.filter(is_active=True, role_assignments__role__in=sorted(approver_roles()))
                  .exclude(pk=author.pk).select_related("organisation")
                  .distinct().order_by("full_name", "pk"))
    return [user for user in candidates if independent_of(user, author.pk)]


def approvers(approval: Any) -> list[User]:
    """Who is told that ``approval`` waits and finds it on their list."""
    return eligible(author=approval.requested_by)


def approving_role_labels(user: User) -> list[str]:
    """The user's roles that make them an approver, as the interface names them."""
    return [str(Role(role).label) for role in sorted(user.roles & approver_roles())]


def who_approves(act: str, *, author: User) -> dict[str, Any]:
    """For the page that asks: whether ``act`` waits for approval and who could give it (name, approving
    roles, organisation), so the author knows before sending; an empty list says nobody can."""
    if act not in settings.APPROVAL_REQUIRED_FOR:
        return {"approval_needed": False, "approvers": []}
    return {"approval_needed": True, "approval_act": ApprovalAct(act).label, "approvers": [
        {"name": user.full_name, "roles": approving_role_labels(user), "organisation": user.organisation}
        for user in eligible(author=author)]}
