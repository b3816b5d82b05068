"""The disclosure ledger ("who received my data, when, why") and the catalogue of what can be passed on.

Every service by which personal data leaves the municipality's own team (a team member of another
organisation, minutes for an outside attendee, an accepted referral, an access export) writes an entry
in its own transaction. An entry belongs to the person's case or signal and is deleted with it; the
purge leaves a tombstone. The table is still ``sharing_disclosure``: the model moved here from
``sharing`` without moving its data."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.roles import Role


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


class DisclosureKind(models.TextChoices):
    REFERRAL = "referral", _("Referral accepted")
    TEAM_MEMBER = "team_member", _("Team member of another organisation")
    MINUTES = "minutes", _("Minutes for an attendee of another organisation")
    ACCESS_EXPORT = "access_export", _("Access export for the data subject")


class DisclosureQuerySet(AccessQuerySet["Disclosure"]):
    def visible_to(self, user: Any) -> DisclosureQuerySet:
        """The privacy officer sees the whole ledger; the case's side the entries of the cases it may see
        (the case model is the one of the ``case`` relation: this app sits below cases)."""
        roles = user_roles(user)
        if Role.PRIVACY_OFFICER in roles:
            return self.all()
        if roles & {Role.COORDINATOR, Role.CASE_MANAGER}:
            cases: Any = self.model._meta.get_field("case").related_model._default_manager
            return self.filter(case__in=cases.visible_to(user))
        return self.none()


class Disclosure(models.Model):
    """One entry of the disclosure ledger: personal data left the municipality's own team."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="disclosures")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="disclosures")
    signal = models.ForeignKey("intake.Signal", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="disclosures")
    referral = models.ForeignKey("sharing.Referral", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="disclosures")
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
        db_table = "sharing_disclosure"
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
