"""Information sharing that can be accounted for: referrals and handovers to other organisations.

A referral belongs to a case or a signal and is deleted with it: it keeps its retention and the purge
leaves a tombstone. Its second person's approval is an ``approvals.Approval``; the data it passes is
written to the ledger (``disclosures.Disclosure``) when it is accepted."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.cases.models import Case
from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.identifiers import draw
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import SharedData
from netwerkregie.intake.models import Signal


def new_referral_reference() -> str:
    """``V-<year>-`` and 5 characters: 17.2 million a year, drawn again on a collision (``core.identifiers``)."""
    return f"V-{timezone.localdate().year}-" + draw(5)


# Passing these needs a second person's approval (where APPROVAL_REQUIRED_FOR says so).
SENSITIVE = frozenset({SharedData.POLICE, SharedData.JUSTICE})


class ReferralKind(models.TextChoices):
    INTERVENTION = "intervention", _("Referral for an intervention")
    HANDOVER = "handover", _("Full handover (closes the case on acceptance)")


class ReferralStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SENT = "sent", _("Sent, awaiting an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired unanswered")
    REFUSED = "refused", _("Not approved")


class LegalBasis(models.TextChoices):
    COVENANT = "covenant", _("Covenant with this organisation")
    CONSENT = "consent", _("Consent")


class ConsentBy(models.TextChoices):
    PERSON = "person", _("The person")
    PARENT = "parent", _("A parent")
    GUARDIAN = "guardian", _("A guardian")


class ReferralQuerySet(AccessQuerySet["Referral"]):
    def visible_to(self, user: Any) -> ReferralQuerySet:
        """The receiving organisation's staff see referrals to their organisation while they can be answered,
        and accepted ones; the sender's side sees the referrals of the cases and signals it may see."""
        roles = user_roles(user)
        access = Q(pk__in=[])
        if Role.RECIPIENT in roles and getattr(user, "organisation_id", None):
            today = timezone.localdate()
            open_ = Q(status=ReferralStatus.SENT, expires_on__gte=today)
            access |= Q(organisation_id=user.organisation_id) & (open_ | Q(status=ReferralStatus.ACCEPTED))
        if roles & {Role.COORDINATOR, Role.CASE_MANAGER}:
            access |= Q(case__in=Case.objects.visible_to(user)) | Q(signal__in=Signal.objects.visible_to(user))
        return self.filter(access)


class Referral(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, default=new_referral_reference)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="referrals")
    signal = models.ForeignKey("intake.Signal", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="referrals")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="referrals",
                                     verbose_name=_("receiving organisation"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReferralKind.choices)
    intervention = models.ForeignKey("cases.InterventionType", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("intervention"))
    purpose = models.CharField(_("purpose"), max_length=300)
    categories = models.JSONField(_("data passed"), default=list)
    basis = models.CharField(_("legal basis"), max_length=20, choices=LegalBasis.choices)
    covenant = models.ForeignKey("network.Covenant", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="referrals", verbose_name=_("covenant"))
    consent_by = models.CharField(_("consent given by"), max_length=20, choices=ConsentBy.choices, blank=True)
    consent_by_name = EncryptedTextField(_("name of the parent or guardian"), blank=True)
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    note = EncryptedTextField(_("note for the receiving organisation"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(_("to be answered by"), null=True, blank=True)
    answered_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_reason = EncryptedTextField(_("reason"), blank=True)
    withdrawn_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = EncryptedTextField(_("reason for withdrawing"), blank=True)

    objects: ClassVar[models.Manager[Referral]] = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False) | Q(signal__isnull=False),
                                   name="sharing_referral_from_case_or_signal"),
            models.CheckConstraint(condition=Q(basis="consent", consent_on__isnull=False) | Q(
                basis="covenant", covenant__isnull=False), name="sharing_referral_has_basis"),
        ]

    def __str__(self) -> str:
        return self.reference

    def category_labels(self) -> list[str]:
        return [str(SharedData(code).label) for code in self.categories]

    @property
    def is_open(self) -> bool:
        return self.status in (ReferralStatus.AWAITING_APPROVAL, ReferralStatus.SENT)

    @property
    def is_handover(self) -> bool:
        return self.kind == ReferralKind.HANDOVER

    @property
    def rests_on_covenant(self) -> bool:
        return self.basis == LegalBasis.COVENANT

    @property
    def is_sent(self) -> bool:
        return self.status == ReferralStatus.SENT

    @property
    def is_declined(self) -> bool:
        return self.status == ReferralStatus.DECLINED


class ReferralUpdate(models.Model):
    """The receiving organisation reports back on its work (intake held, programme started, ...)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    text = EncryptedTextField(_("update"))
    written_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["written_at"]

    def __str__(self) -> str:
        return f"{self.referral} ({self.written_at:%Y-%m-%d})"
