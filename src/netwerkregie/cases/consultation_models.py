"""The case consultation (phase 3): meetings, their agenda items, versioned minutes and decisions, and the
actions agreed there. ``cases.models`` re-exports every model here."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.dates import short_date
from netwerkregie.core.meetings import ScheduledMeeting
from netwerkregie.core.roles import Role


class ConsultationQuerySet(AccessQuerySet["CaseConsultation"]):
    def visible_to(self, user: Any) -> ConsultationQuerySet:
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if roles & {Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}:
            return self.filter(attendees=user).distinct()
        return self.none()


class CaseConsultation(ScheduledMeeting):
    """A case consultation (casusoverleg) with its attendees and agenda."""

    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    attendees = models.ManyToManyField("core.User", related_name="case_consultations", verbose_name=_("attendees"))
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")

    objects: ClassVar[models.Manager[CaseConsultation]] = ConsultationQuerySet.as_manager()

    class Meta(ScheduledMeeting.Meta):
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({short_date(self.held_on)})"


class AgendaItem(models.Model):
    consultation = models.ForeignKey(CaseConsultation, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    minutes = EncryptedTextField(_("minutes"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["consultation", "case"], name="cases_agendaitem_unique")]

    def __str__(self) -> str:
        return f"{self.consultation}: {self.case}"

    @property
    def versions(self) -> list[MinutesVersion]:
        """The established minutes, oldest first (reads a prefetch of ``minutes_versions`` when there is one)."""
        return sorted(self.minutes_versions.all(), key=lambda version: version.number)

    @property
    def established(self) -> MinutesVersion | None:
        """The first version: what the chair established, and when."""
        versions = self.versions
        return versions[0] if versions else None

    @property
    def current_version(self) -> MinutesVersion | None:
        """The version in force: the last correction, or the established text when there is none."""
        versions = self.versions
        return versions[-1] if versions else None


class MinutesVersion(models.Model):
    """The minutes of one agenda item as a record: number 1 is the text the chair established, each later
    number a correction with its reason. A version is never changed; it goes only with its case."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="minutes_versions")
    number = models.PositiveIntegerField(_("version"))
    minutes = EncryptedTextField(_("minutes"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    reason = EncryptedTextField(_("reason for the correction"), blank=True)
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="cases_minutesversion_unique")]

    def __str__(self) -> str:
        return f"{self.item}: {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("A version of the minutes is never changed; a correction is a new version.")
        super().save(*args, **kwargs)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Action(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    description = EncryptedTextField(_("action"))
    owner = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="case_actions",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.item.case}: {short_date(self.due_on)}"
