"""Anonymous consultations (advice on a situation, without anyone's personal data), and the channels by which
signals and consultations come in. ``intake.models`` re-exports both."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.roles import Role


class Channel(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    API = "api", _("Partner system (API)")
    PHONE = "phone", _("Telephone")
    EMAIL = "email", _("E-mail")
    IN_PERSON = "in_person", _("In person")


class ConsultationQuerySet(AccessQuerySet["Consultation"]):
    def visible_to(self, user: Any) -> ConsultationQuerySet:
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if Role.PARTNER in roles:
            return self.filter(asked_by=user)
        return self.none()


class Consultation(models.Model):
    """An anonymous consultation: advice on a situation, without anyone's personal data."""

    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.PROTECT, related_name="consultations",
        verbose_name=_("organisation"),
    )
    asked_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    question = models.TextField(_("situation and question"))
    advice = models.TextField(_("advice given"), blank=True)
    advised_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )
    advised_at = models.DateTimeField(_("advised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    retain_until = models.DateField(_("retain until"), db_index=True)  # the nightly purge reads by it

    objects: ClassVar[models.Manager[Consultation]] = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("anonymous consultation")
        verbose_name_plural = _("anonymous consultations")

    def __str__(self) -> str:
        return _("Consultation %(number)s") % {"number": self.pk}
