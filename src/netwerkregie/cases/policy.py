"""Who may do what with a case: the rules that views, services and higher apps share, in one place.

Seeing a case at all is ``Case.objects.visible_to`` (the access chokepoint); these rules decide what a
user who sees it may change."""

from __future__ import annotations

from typing import Any

from netwerkregie.approvals.models import ApprovalAct
from netwerkregie.approvals.services import needs_approval
from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role


def can_manage(case: Case, user: User) -> bool:
    """Team and closure: the coordinator, or the case manager of this case."""
    return user.has_role(Role.COORDINATOR) or case.case_manager_id == user.pk


def can_edit(case: Case, user: Any) -> bool:
    """Plan, reviews and duties: those who manage, and case managers on the team."""
    return can_manage(case, user) or (user.has_role(Role.CASE_MANAGER) and Case.objects.visible_to(user)
                                      .filter(pk=case.pk).exists())


def may_refer_case(user: Any, case: Case) -> bool:
    """Those who manage an open case refer its person to another organisation."""
    return case.is_open and can_manage(case, user)


def closure_needs_approval(actor: Any) -> bool:
    """Whether a person's closure of a case waits for a second coordinator (APPROVAL_REQUIRED_FOR); the
    daily job closing a lapsed case (``actor`` None) never waits."""
    return actor is not None and needs_approval(ApprovalAct.CASE_CLOSURE)
