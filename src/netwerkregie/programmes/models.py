"""Prevention activities and their yearly budget. Activities count people; they never name them."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.dates import short_date
from netwerkregie.core.roles import Role


class ActivityType(models.TextChoices):
    SCHOOL_LESSON = "school_lesson", _("School lesson on democracy and society")
    PARENT_TRAINING = "parent_training", _("Training for mothers or parents")
    PROFESSIONAL_TRAINING = "professional_training", _("Training for professionals in recognising signs")
    COMMUNITY_DIALOGUE = "community_dialogue", _("Community dialogue")
    INTERNSHIP_PROGRAMME = "internship_programme", _("Internship programme")
    OTHER = "other", _("Other")


class ActivityQuerySet(AccessQuerySet["Activity"]):
    def visible_to(self, user: Any) -> ActivityQuerySet:
        roles = user_roles(user)
        if roles & {Role.PROGRAMME_OFFICER, Role.COORDINATOR}:
            return self.all()
        if Role.PARTNER in roles and user.organisation_id:
            return self.filter(organisations=user.organisation_id).distinct()
        return self.none()


def funding_source_choices() -> list[tuple[str, StrPromise]]:
    return FundingSource.choices


class Activity(models.Model):
    type = models.CharField(_("type"), max_length=30, choices=ActivityType.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    neighbourhood = models.ForeignKey("network.Neighbourhood", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="activities", verbose_name=_("neighbourhood"))
    organisations = models.ManyToManyField("network.Organisation", blank=True, related_name="activities",
                                           verbose_name=_("partner organisations"))
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    average_rating = models.DecimalField(
        _("average rating (1-10)"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("10"))],
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # What a planned activity is expected to cost, and from which source: committed in the budget
    # until expenses are booked on it.
    planned_cost = models.DecimalField(_("expected cost (EUR)"), max_digits=12, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(Decimal("0"))])
    funding_source = models.CharField(_("funding source"), max_length=20, choices=funding_source_choices,
                                      blank=True)
    created_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Activity]] = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="programmes_activity_period"),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """How many professionals of one partner organisation took part (for trainings): a count."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="attendances",
                                     verbose_name=_("organisation"))
    participants = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "organisation"], name="programmes_attendance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.participants}"


class FundingSource(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal")
    NATIONAL_GRANT = "national_grant", _("National grant")
    OTHER = "other", _("Other")


class ExpenseCategory(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator or trainer")
    VENUE = "venue", _("Venue and catering")
    MATERIALS = "materials", _("Materials")
    COMMUNICATION = "communication", _("Communication")
    OTHER = "other", _("Other")


class BudgetQuerySet(AccessQuerySet["Budget"]):
    def visible_to(self, user: Any) -> BudgetQuerySet:
        return self.all() if user_roles(user) & {Role.PROGRAMME_OFFICER, Role.COORDINATOR} else self.none()


class Budget(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects: ClassVar[models.Manager[Budget]] = BudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["year", "source"], name="programmes_budget_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="programmes_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_display()}"


class ExpenseQuerySet(AccessQuerySet["Expense"]):
    def visible_to(self, user: Any) -> ExpenseQuerySet:
        return self.all() if user_roles(user) & {Role.PROGRAMME_OFFICER, Role.COORDINATOR} else self.none()


class Expense(models.Model):
    spent_on = models.DateField(_("date"))
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("budget"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    description = models.CharField(_("description"), max_length=200)
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="expenses",
                                 verbose_name=_("activity"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    recorded_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    objects: ClassVar[models.Manager[Expense]] = ExpenseQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="programmes_expense_positive")]

    def __str__(self) -> str:
        return f"{short_date(self.spent_on)} {self.description}"
