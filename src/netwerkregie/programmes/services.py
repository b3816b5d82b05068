"""Prevention activities, budgets and expenses: validated, audited, in one transaction each."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.validators import no_markup
from netwerkregie.network.models import Organisation
from netwerkregie.programmes.models import Activity, Attendance, Budget, Expense, FundingSource


def _plain(errors: dict[str, list[ValidationError]], obj: Any, *names: str) -> None:
    for name in names:
        value = (getattr(obj, name) or "").strip()
        setattr(obj, name, value)
        try:
            no_markup(value)
        except ValidationError as error:
            errors.setdefault(name, []).append(error)


def save_activity(activity: Activity, organisations: list[Organisation], attendance: dict[Organisation, int], *,
                  actor: User) -> Activity:
    errors: dict[str, list[ValidationError]] = {}
    _plain(errors, activity, "title", "facilitator", "audience", "lessons_learned")
    if not activity.title:
        errors.setdefault("title", []).append(ValidationError(_("This field is required.")))
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors["ends_on"] = [ValidationError(_("The end date lies before the start date."))]
    if any(count < 0 for count in attendance.values()):
        errors["__all__"] = [ValidationError(_("A number of participants cannot be negative."))]
    if sum(attendance.values()) > activity.participants:
        errors.setdefault("participants", []).append(ValidationError(
            _("The participants per organisation (%(sum)d) exceed the total number of participants.")
            % {"sum": sum(attendance.values())}))
    if errors:
        raise ValidationError(errors)
    created = activity.pk is None
    with transaction.atomic():
        activity.save()
        activity.organisations.set(organisations)
        activity.attendances.all().delete()
        Attendance.objects.bulk_create(Attendance(activity=activity, organisation=o, participants=n)
                                       for o, n in attendance.items() if n)
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=activity,
                  detail={"participants": activity.participants})
    return activity


def save_budget(year: int, source: str, amount: Decimal, note: str, *, actor: User) -> Budget:
    if amount < 0:
        raise ValidationError({"amount": _("An amount cannot be negative.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if source not in FundingSource.values:
        raise ValidationError({"source": _("Choose a funding source.")})
    no_markup(note)
    with transaction.atomic():
        budget, created = Budget.objects.select_for_update().get_or_create(
            year=year, source=source, defaults={"amount": amount, "note": note})
        if not created:
            spent = budget.expenses.aggregate(total=Sum("amount"))["total"] or Decimal(0)
            if amount < spent:
                raise ValidationError({"amount": _("Already %(spent)s spent from this budget; the amount cannot be "
                                                   "lower.") % {"spent": euro(spent)}})
            budget.amount, budget.note = amount, note
            budget.save(update_fields=["amount", "note"])
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=budget,
                  detail={"amount": str(amount)})
    return budget


class Overspending(ValidationError):
    """The expense would take the budget over its amount; the user may confirm it knowingly."""

    def __init__(self, budget: Budget, remaining: Decimal, amount: Decimal) -> None:
        self.budget = budget
        super().__init__(
            _("This expense of %(amount)s exceeds what is left of budget %(budget)s (%(remaining)s). "
              "Confirm to record it anyway.")
            % {"amount": euro(amount), "budget": budget, "remaining": euro(remaining)},
            code="overspending",
        )


@dataclass
class ExpenseInput:
    spent_on: datetime.date
    source: str
    amount: Decimal
    description: str
    category: str
    activity: Activity | None = None
    overspend_confirmed: bool = False


def record_expense(data: ExpenseInput, *, actor: User) -> Expense:
    errors: dict[str, list[ValidationError]] = {}
    if data.amount is None or data.amount <= 0:
        errors["amount"] = [ValidationError(_("An expense must be a positive amount."))]
    description = (data.description or "").strip()
    if not description:
        errors["description"] = [ValidationError(_("This field is required."))]
    else:
        try:
            no_markup(description)
        except ValidationError as error:
            errors["description"] = [error]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        budget = Budget.objects.select_for_update().filter(year=data.spent_on.year, source=data.source).first()
        if budget is None:
            raise ValidationError({"spent_on": _("There is no %(source)s budget for %(year)d; add the budget first.")
                                   % {"source": FundingSource(data.source).label.lower(), "year": data.spent_on.year}})
        spent = budget.expenses.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        remaining = budget.amount - spent
        if data.amount > remaining and not data.overspend_confirmed:
            raise Overspending(budget, remaining, data.amount)
        try:
            expense = Expense.objects.create(
                spent_on=data.spent_on, budget=budget, amount=data.amount, description=description,
                category=data.category, activity=data.activity, recorded_by=actor)
        except IntegrityError:
            raise ValidationError({"amount": _("An expense must be a positive amount.")}) from None
        log_event(AuditAction.CREATE, actor=actor, obj=expense,
                  detail={"amount": str(data.amount), "budget": budget.pk, "overspent": data.amount > remaining})
    return expense


# --- Figures ------------------------------------------------------------------------------------

def euro(amount: Decimal) -> str:
    """EUR 1.234,50 — Dutch notation."""
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


@dataclass
class BudgetLine:
    year: int
    source: str
    source_label: str
    budget: Decimal
    spent: Decimal
    committed: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def available(self) -> Decimal:
        """What is left once the expected cost of planned activities is also counted."""
        return self.budget - self.spent - self.committed

    @property
    def percentage(self) -> int:
        return int(self.spent * 100 / self.budget) if self.budget else 0

    @property
    def warning(self) -> bool:
        """At 90% or more the programme officer is warned before the budget runs out."""
        return self.budget > 0 and self.spent >= self.budget * Decimal("0.9")


def committed_costs(today: datetime.date | None = None) -> dict[tuple[int, str], Decimal]:
    """Per (year, funding source): the expected cost of activities not yet over, less what has already
    been booked on them (never below zero). One query, whatever the number of activities."""
    today = today or timezone.localdate()
    committed: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    planned = (Activity.objects.filter(planned_cost__isnull=False, ends_on__gte=today).exclude(funding_source="")
               .annotate(booked=Sum("expenses__amount")).values_list("starts_on", "funding_source", "planned_cost",
                                                                      "booked"))
    for starts_on, source, cost, booked in planned:
        committed[(starts_on.year, source)] += max((cost or Decimal(0)) - (booked or Decimal(0)), Decimal(0))
    return committed


def budget_lines(year: int | None = None) -> list[BudgetLine]:
    budgets = Budget.objects.annotate(spent=Sum("expenses__amount")).order_by("-year", "source")
    if year is not None:
        budgets = budgets.filter(year=year)
    committed = committed_costs()
    # spent: annotated above; django-stubs loses the annotation through BudgetQuerySet's methods
    return [BudgetLine(b.year, b.source, str(b.get_source_display()), b.amount,
                       b.spent or Decimal(0),  # type: ignore[attr-defined]
                       committed.get((b.year, b.source), Decimal(0))) for b in budgets]


def year_total(lines: list[BudgetLine]) -> BudgetLine | None:
    if not lines:
        return None
    return BudgetLine(lines[0].year, "total", _("Total"), sum((line.budget for line in lines), Decimal(0)),
                      sum((line.spent for line in lines), Decimal(0)),
                      sum((line.committed for line in lines), Decimal(0)))


def activity_cost(activity: Activity) -> Decimal:
    return activity.expenses.aggregate(total=Sum("amount"))["total"] or Decimal(0)
