"""Information sharing that can be accounted for: referrals and handovers to other organisations, the
second person's approval of weighty acts, and the disclosure ledger ("who received my data, when, why").

Referrals, approvals and ledger entries belong to a case or a signal (an access export's entry to the
person) and are deleted with it: they keep its retention and the purge leaves a tombstone for each."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.identifiers import draw
from netwerkregie.core.roles import Role


def new_referral_reference() -> str:
    """``V-<year>-`` and 5 characters: 17.2 million a year, drawn again on a collision (``core.identifiers``)."""
    return f"V-{timezone.localdate().year}-" + draw(5)


class SharedData(models.TextChoices):
    """The catalogue of what a referral, a team membership or an export passes on."""

    IDENTITY = "identity", _("Identity (name, date of birth, BSN)")
    CONTEXT = "context", _("Neighbourhood and school or organisation")
    SIGNALS = "signals", _("What was signalled (observations and description)")
    PLAN = "plan", _("Support plan")
    REVIEWS = "reviews", _("Reviews")
    MINUTES = "minutes", _("Minutes of the case consultation")
    POLICE = "police", _("Police data")
    JUSTICE = "justice", _("Judicial data")


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
            from netwerkregie.cases.models import Case
            from netwerkregie.intake.models import Signal

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
        """Coordinators approve; the author follows their own request."""
        if Role.COORDINATOR in user_roles(user):
            return self.all()
        if getattr(user, "is_authenticated", False):
            return self.filter(requested_by=user)
        return self.none()


class Approval(models.Model):
    """A second person's approval: the act waits until a coordinator other than its author approves."""

    act = models.CharField(_("act"), max_length=30, choices=ApprovalAct.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="approvals")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="approvals")
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
        ordering = ["requested_at"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

    def __str__(self) -> str:
        return f"{self.get_act_display()} ({self.get_status_display()})"

    @property
    def subject_case(self) -> Any:
        return self.case or (self.referral.case if self.referral else None)


class DisclosureKind(models.TextChoices):
    REFERRAL = "referral", _("Referral accepted")
    TEAM_MEMBER = "team_member", _("Team member of another organisation")
    MINUTES = "minutes", _("Minutes for an attendee of another organisation")
    ACCESS_EXPORT = "access_export", _("Access export for the data subject")


class DisclosureQuerySet(AccessQuerySet["Disclosure"]):
    def visible_to(self, user: Any) -> DisclosureQuerySet:
        roles = user_roles(user)
        if Role.PRIVACY_OFFICER in roles:
            return self.all()
        if roles & {Role.COORDINATOR, Role.CASE_MANAGER}:
            from netwerkregie.cases.models import Case

            return self.filter(case__in=Case.objects.visible_to(user))
        return self.none()


class Disclosure(models.Model):
    """One entry of the disclosure ledger: personal data left the municipality's own team."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="disclosures")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="disclosures")
    signal = models.ForeignKey("intake.Signal", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="disclosures")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="disclosures")
    kind = models.CharField(_("kind"), max_length=20, choices=DisclosureKind.choices)
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("recipient organisation"))
    recipient = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("recipient"))
    recipient_label = models.CharField(_("recipient"), max_length=200, blank=True)
    categories = models.JSONField(_("data"), default=list)
    basis = models.CharField(_("legal basis"), max_length=300)
    covenant = models.ForeignKey("network.Covenant", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    disclosed_at = models.DateTimeField(_("when"), default=timezone.now)
    disclosed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("by"))

    objects: ClassVar[models.Manager[Disclosure]] = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [models.Index(fields=["disclosed_at"], name="sharing_disclosure_when")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.recipient_text}"

    @property
    def recipient_text(self) -> str:
        parts = [str(part) for part in (self.recipient or self.recipient_label, self.organisation) if part]
        return " — ".join(parts)

    def category_labels(self) -> list[str]:
        return [str(SharedData(code).label) for code in self.categories]
