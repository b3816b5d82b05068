from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.roles import Role


class LegalHoldQuerySet(AccessQuerySet["LegalHold"]):
    def visible_to(self, user: Any) -> LegalHoldQuerySet:
        return self.all() if Role.PRIVACY_OFFICER in user_roles(user) else self.none()

    def active(self) -> LegalHoldQuerySet:
        return self.filter(lifted_at__isnull=True, until__gte=timezone.localdate())


class LegalHold(models.Model):
    """Keeps one record past its retention date, for a documented legal reason, until a set date."""

    object_type = models.CharField(_("kind of record"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    reason = models.CharField(_("legal reason"), max_length=500)
    until = models.DateField(_("hold until"))
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager[LegalHold]] = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["until"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} → {self.until:%d-%m-%Y}"


class EmergencyAccessQuerySet(AccessQuerySet["EmergencyAccess"]):
    def visible_to(self, user: Any) -> EmergencyAccessQuerySet:
        roles = user_roles(user)
        if Role.PRIVACY_OFFICER in roles:
            return self.all()
        return self.filter(user=user) if Role.COORDINATOR in roles else self.none()

    def active_for(self, user: Any) -> EmergencyAccessQuerySet:
        return self.filter(user=user, expires_at__gt=timezone.now())


class EmergencyAccess(models.Model):
    """'Break the glass': a coordinator opens a case outside their team, for a stated reason, for a
    limited time. Every grant waits in the privacy officer's review queue."""

    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="emergency_accesses")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="emergency_accesses")
    reason = models.CharField(_("reason"), max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review"), max_length=500, blank=True)
    review_justified = models.BooleanField(_("justified"), null=True)

    objects: ClassVar[models.Manager[EmergencyAccess]] = EmergencyAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.user} → {self.case} ({self.granted_at:%d-%m-%Y %H:%M})"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
