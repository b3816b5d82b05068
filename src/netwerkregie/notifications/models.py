"""Who wants to hear of which waiting work, and how; what waits for a digest; which coming due date was
announced. None of it holds personal data: kinds, counts, hours, and for a due date the record's id."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.roles import Role, approver_roles


class Kind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("A referral to your organisation")
    APPROVAL_REQUESTED = "approval_requested", _("An act that awaits your approval")
    ADDED_TO_CASE_TEAM = "added_to_case_team", _("You were added to a case team")
    NEW_SIGNAL = "new_signal", _("A new signal")
    ACUTE_SIGNAL = "acute_signal", _("A new signal reporting acute danger")
    REVIEW_DUE = "review_due", _("A case review coming due")
    REJUSTIFICATION_DUE = "rejustification_due", _("A re-justification coming due")
    REQUEST_DEADLINE = "request_deadline", _("A data-subject request near its deadline")
    TOKEN_EXPIRING = "token_expiring", _("An API token near its expiry")


class Delivery(models.TextChoices):
    AT_ONCE = "at_once", _("At once")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


# New signals reach the coordinators at once, whatever they chose: triage has a due date, acute danger cannot wait.
ALWAYS_AT_ONCE = frozenset({Kind.NEW_SIGNAL, Kind.ACUTE_SIGNAL})
# Work that is lost or breaks when nobody acts in time (a referral expires, a registration lapses, a legal
# deadline passes, a partner system is cut off): at once or in the digest, never off.
NEVER_OFF = frozenset({Kind.REFERRAL_RECEIVED, Kind.REJUSTIFICATION_DUE, Kind.REQUEST_DEADLINE,
                       Kind.TOKEN_EXPIRING})
# Whom a kind concerns: the settings show a person only the kinds of their roles.
FOR_ROLES: dict[str, frozenset[str]] = {
    Kind.REFERRAL_RECEIVED: frozenset({Role.RECIPIENT}),
    Kind.APPROVAL_REQUESTED: frozenset({Role.COORDINATOR, Role.APPROVER}),  # and APPROVER_ROLES: ``roles_for``
    Kind.ADDED_TO_CASE_TEAM: frozenset({Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}),
    Kind.NEW_SIGNAL: frozenset({Role.COORDINATOR}),
    Kind.ACUTE_SIGNAL: frozenset({Role.COORDINATOR}),
    Kind.REVIEW_DUE: frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
    Kind.REJUSTIFICATION_DUE: frozenset({Role.CASE_MANAGER, Role.COORDINATOR}),
    Kind.REQUEST_DEADLINE: frozenset({Role.PRIVACY_OFFICER}),
    Kind.TOKEN_EXPIRING: frozenset({Role.ADMIN}),
}


def roles_for(kind: str) -> frozenset[str]:
    """Whom a kind concerns; an approval request also those APPROVER_ROLES names."""
    return FOR_ROLES[kind] | approver_roles() if kind == Kind.APPROVAL_REQUESTED else FOR_ROLES[kind]


DEFAULT_DELIVERY = Delivery.AT_ONCE
DEFAULT_DIGEST_HOUR = 8


class NotificationSettings(models.Model):
    """A person's hour for the daily digest (in the municipality's time zone)."""

    user = models.OneToOneField("core.User", on_delete=models.CASCADE, related_name="notification_settings")
    digest_hour = models.PositiveSmallIntegerField(_("hour of the daily digest"), default=DEFAULT_DIGEST_HOUR)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")
        constraints = [models.CheckConstraint(condition=models.Q(digest_hour__lte=23),
                                              name="notifications_settings_hour_of_day")]

    def __str__(self) -> str:
        return f"{self.user}: {self.digest_hour:02d}:00"


class Preference(models.Model):
    """How a person hears of one kind of work; no row means ``DEFAULT_DELIVERY``."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("kind of work"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notifications_preference_once_per_kind"),
            models.CheckConstraint(condition=models.Q(kind__in=sorted(set(Kind.values) - ALWAYS_AT_ONCE)),
                                   name="notifications_preference_choosable_kind"),
            models.CheckConstraint(condition=models.Q(delivery__in=Delivery.values),
                                   name="notifications_preference_known_delivery"),
            models.CheckConstraint(condition=~models.Q(delivery=Delivery.OFF, kind__in=sorted(NEVER_OFF)),
                                   name="notifications_preference_not_off"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


class Waiting(models.Model):
    """Work collected for a person's next digest: a kind and how many, never which record. Deleted in the
    transaction that puts the digest in the outbox, so a digest is sent once and nothing collected is lost."""

    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    count = models.PositiveIntegerField(default=1)
    collected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "collected_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} x{self.count}"


class DueNotice(models.Model):
    """A coming due date that the daily job announced: the same record and date are announced once, across
    restarts and repeated runs. A moved date (a review held, a re-justification written) is a new one."""

    kind = models.CharField(max_length=30, choices=Kind.choices)
    item = models.CharField(max_length=60)  # "<app>.<model>:<pk>", never a reference or a name
    due_on = models.DateField()
    announced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "item", "due_on"], name="notifications_due_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.item} {self.due_on}"
