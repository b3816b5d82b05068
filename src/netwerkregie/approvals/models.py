"""A second person's approval of a weighty act (the four-eyes principle).

The mechanism knows no act's content: the app that asks for an approval (cases for a compulsory plan
or a closure, sharing for a referral) says what happens when it is decided, by receiving
``approvals.signals.approval_decided``. An approval belongs to a case (or a referral of one) and is
deleted with it. The table is still ``sharing_approval``: the model moved here from ``sharing`` without
moving its data."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.roles import Role, approver_roles


class ApprovalAct(models.TextChoices):
    COMPULSORY_PLAN = "compulsory_plan", _("Support plan with compulsory measures")
    CASE_CLOSURE = "case_closure", _("Closing a case (a handover included)")
    SENSITIVE_REFERRAL = "sensitive_referral", _("Referral that passes police or judicial data")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalQuerySet(AccessQuerySet["Approval"]):
    def visible_to(self, user: Any) -> ApprovalQuerySet:
        """Coordinators oversee every approval; another approver (``approvers``) sees what waits and what they
        decided; the author follows their own request."""
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if roles & approver_roles():
            return self.filter(models.Q(status=ApprovalStatus.PENDING) | models.Q(decided_by=user)
                               | models.Q(requested_by=user))
        return self.filter(requested_by=user)


class Approval(models.Model):
    """A second person's approval: the act waits until an approver other than its author approves."""

    act = models.CharField(_("act"), max_length=30, choices=ApprovalAct.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="approvals")
    referral = models.ForeignKey("sharing.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="approvals")
    plan_version = models.ForeignKey("cases.PlanVersion", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="approvals")
    closure_reason = models.CharField(_("closure reason"), max_length=30, blank=True)
    closure_note = EncryptedTextField(_("handover note"), blank=True)
    monitoring_until = models.DateField(null=True, blank=True)
    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("status"), max_length=20, choices=ApprovalStatus.choices,
                              default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(_("why"), blank=True)

    objects: ClassVar[models.Manager[Approval]] = ApprovalQuerySet.as_manager()

    class Meta:
        db_table = "sharing_approval"
        ordering = ["requested_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.get_act_display()} ({self.get_status_display()})"

    @property
    def subject_case(self) -> Any:
        return self.case or (self.referral.case if self.referral else None)
