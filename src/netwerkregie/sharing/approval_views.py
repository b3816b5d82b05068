"""The approver's read-only view of what an approval is about: the case (and the referral, if one was asked)
for whoever may decide the approval now or decided it lately (``approvals/approvers.py``). A read of the case,
audited like every other; anyone else gets 404, as for any case they may not see."""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import Approval
from netwerkregie.cases.models import plan_in_effect
from netwerkregie.cases.services import plan_for_display
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.roles import Role
from netwerkregie.intake.joint_decisions import group_joint_decisions

# Everyone who may see an approval's page; APPROVER_ROLES and ``Approval.objects.visible_to`` narrow it.
APPROVAL_AUDIENCE = (Role.COORDINATOR, Role.APPROVER, Role.CASE_MANAGER, Role.CORE_PARTNER)
# The approver who decided may look back at what they approved for this long, then no longer needs to.
READ_AFTER_DECISION_DAYS = 30


def may_read_approved(approval: Approval, user: Any) -> bool:
    """Whether ``user`` may read the approval's case: they may decide it now, or decided it lately."""
    if approval.subject_case is None:
        return False
    if approvals.may_decide(approval, user):
        return True
    since = timezone.now() - datetime.timedelta(days=READ_AFTER_DECISION_DAYS)
    return approval.decided_by_id == user.pk and approval.decided_at is not None and approval.decided_at >= since


@roles_required(*APPROVAL_AUDIENCE)
@require_GET
def approved_case(request: HttpRequest, pk: int) -> HttpResponse:
    approval = get_visible_or_404(Approval.objects.select_related(
        "case__person", "case__case_manager", "referral__case__person", "referral__organisation"),
        request.user, pk=pk)
    if not may_read_approved(approval, request.user):
        raise Http404
    case = approval.subject_case
    record_view(case, actor=request.user, purpose="approval: read-only case", detail={"approval": approval.pk})
    plan = plan_in_effect(case)
    return render(request, "sharing/approved_case.html", {
        "approval": approval, "case": case, "plan": plan_for_display(plan), "plan_version": plan,
        "decisions": group_joint_decisions(case.signals.filter(assessment__isnull=False).select_related(
            "assessment__decided_by", "assessment__session").prefetch_related("assessment__findings")),
        "members": case.memberships.filter(removed_at__isnull=True).select_related("user", "organisation"),
        "reviews": case.reviews.select_related("reviewed_by"),
        "referrals": case.referrals.select_related("organisation", "intervention"),
    })
