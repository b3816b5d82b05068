"""Asking for and deciding a second person's approval: validated, audited, one transaction each.

Which acts need one is configured (``APPROVAL_REQUIRED_FOR``); what a decision sets in motion is the
asking app's receiver of ``approval_decided`` (see ``approvals.signals``)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.approvals.approvers import approvers, arranged, may_approve
from netwerkregie.approvals.models import Approval, ApprovalAct, ApprovalStatus
from netwerkregie.approvals.signals import approval_decided
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.transitions import check_state, lock_in_state, lock_row
from netwerkregie.core.validators import clean_text
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import notify


def needs_approval(act: str) -> bool:
    return act in settings.APPROVAL_REQUIRED_FOR


def request_approval(act: str, *, actor: User, case: Any = None, referral: Any = None, plan_version: Any = None,
                     closure_reason: str = "", closure_note: str = "",
                     monitoring_until: datetime.date | None = None) -> Approval:
    """Record that ``act`` waits for a second person (``approvers``), who is told; call inside the act's
    transaction."""
    approval = Approval.objects.create(act=act, case=case or (referral.case if referral else None),
                                       referral=referral, plan_version=plan_version, closure_reason=closure_reason,
                                       closure_note=closure_note, monitoring_until=monitoring_until,
                                       requested_by=actor)
    log_event(AuditAction.CREATE, actor=actor, obj=approval, reason="approval requested",
              detail={"act": act})
    notify(Kind.APPROVAL_REQUESTED, approvers(approval), actor=actor)
    return approval


def request_plan_approval(version: Any, *, actor: User) -> Approval:
    version.case.approvals.filter(act=ApprovalAct.COMPULSORY_PLAN, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.WITHDRAWN)  # a newer version replaces what waited
    return request_approval(ApprovalAct.COMPULSORY_PLAN, actor=actor, case=version.case, plan_version=version)


def pending_closure(case: Any) -> Approval | None:
    return Approval.objects.filter(case=case, act=ApprovalAct.CASE_CLOSURE, status=ApprovalStatus.PENDING).first()


def check_independent_approver(approval: Approval, actor: User) -> None:
    """The second pair of eyes is not one the author arranged: an account the author created, or whose
    coordinator role the author asked for, confirmed or granted, within FOUR_EYES_INDEPENDENCE_DAYS days, does not
    approve the author's acts (an administrator with a second account at an address they control would
    otherwise approve their own)."""
    if approval.requested_by_id in arranged(actor):
        raise ValidationError(_(
            "You cannot approve this act: its author created your account or arranged your approving role less "
            "than %(days)d days ago. Another approver approves it.")
            % {"days": settings.FOUR_EYES_INDEPENDENCE_DAYS})


def pending_for(user: User) -> Any:
    """What this approver may approve (``approvers``): every pending act that someone else asked for, someone who
    did not arrange this approver's account or approving role (``check_independent_approver``)."""
    if not may_approve(user):
        return Approval.objects.none()
    return (Approval.objects.filter(status=ApprovalStatus.PENDING).exclude(requested_by=user)
            .exclude(requested_by__in=arranged(user))
            .select_related("case", "referral__organisation", "requested_by").order_by("requested_at"))


def may_decide(approval: Approval, user: User) -> bool:
    """Whether ``user`` is offered the decision (``decide`` checks the rest)."""
    return (approval.status == ApprovalStatus.PENDING and may_approve(user)
            and approval.requested_by_id != user.pk)


def decide(approval: Approval, *, actor: User, approve: bool, note: str) -> Approval:
    """An approver other than the author (``approvers``) approves (the act takes effect now) or refuses (it never
    does)."""
    check_state(approval, states=[ApprovalStatus.PENDING], message=_approval_decided)
    if not may_approve(actor):
        raise ValidationError(_("Only an approver approves."))
    if actor.pk == approval.requested_by_id:
        raise ValidationError(_("You cannot approve your own act: another approver does."))
    check_independent_approver(approval, actor)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why you do not approve, so the author knows what to change.")})
    note = clean_text(note, 1_000, required=False)
    with transaction.atomic():
        _lock_approval(approval)
        approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
        approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note
        approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        log_event(AuditAction.DECIDE, actor=actor, obj=approval,
                  reason="approved" if approve else "not approved", detail={"act": approval.act})
        approval_decided.send(sender=Approval, approval=approval, approve=approve, actor=actor)
    return approval


def _approval_decided(approval: Approval) -> str:
    if approval.decided_by_id:
        return _("This request was already decided in the meantime by %(who)s: %(outcome)s.") % {
            "who": approval.decided_by, "outcome": approval.get_status_display().lower()}
    return _("This request no longer awaits approval: %(outcome)s.") % {
        "outcome": approval.get_status_display().lower()}


def _lock_approval(approval: Approval) -> None:
    """Case, referral, approval: the order in which every writer of a case locks, so none waits on another
    in a circle. The approval must still be pending: of two simultaneous decisions only the first counts.
    The case and referral models are those of the approval's relations (this app sits below both)."""
    lock_row(Approval._meta.get_field("case").related_model, approval.case_id)
    lock_row(Approval._meta.get_field("referral").related_model, approval.referral_id)
    lock_in_state(approval, states=[ApprovalStatus.PENDING], message=_approval_decided)
