"""A participating partner's own contribution to the joint assessment of one signal: what its organisation
knows, in its own words, and its view per criterion. A view is "recognisable", "not recognisable" or
"unknown": never a score, and nothing adds views up. The coordinator decides, with the contributions beside
the decision form.

A contribution lives and dies with its signal (``on_delete=CASCADE``): it has no retention date of its own,
as a finding or a reveal has none, and the purge, a merge of persons and the access export reach it through
the signal."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal


class CriterionView(models.TextChoices):
    RECOGNISABLE = "recognisable", _("recognisable")
    NOT_RECOGNISABLE = "not_recognisable", _("not recognisable")
    UNKNOWN = "unknown", _("unknown")


class ContributionQuerySet(AccessQuerySet["Contribution"]):
    def visible_to(self, user: Any) -> ContributionQuerySet:
        """The coordinator sees every contribution; a core partner those of the sessions they take part in,
        on a signal they may still see."""
        roles = user_roles(user)
        if Role.COORDINATOR in roles:
            return self.all()
        if Role.CORE_PARTNER in roles:
            return self.filter(session__participants=user,
                               signal__in=Signal.objects.visible_to(user)).distinct()
        return self.none()


class Contribution(models.Model):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="contributions")
    session = models.ForeignKey(AssessmentSession, on_delete=models.CASCADE, related_name="contributions")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    author = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    knowledge = EncryptedTextField(_("what our organisation knows"))
    special_category_confirmed = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Contribution]] = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("contribution to the joint assessment")
        verbose_name_plural = _("contributions to the joint assessment")
        constraints = [models.UniqueConstraint(fields=["signal", "organisation"],
                                               name="intake_contribution_one_per_organisation")]

    def __str__(self) -> str:
        return f"{self.signal} · {self.organisation}"


class ContributionCriterion(models.Model):
    """One partner's view on one criterion: a view, not a finding and not a score."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="views")
    criterion = models.ForeignKey(AssessmentCriterion, on_delete=models.PROTECT, related_name="+")
    view = models.CharField(_("view on the criterion"), max_length=20, choices=CriterionView.choices)

    class Meta:
        ordering = ["criterion__position", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["contribution", "criterion"],
                                               name="intake_contribution_criterion_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_view_display()}"
