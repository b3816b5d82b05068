"""Prevention activities and the yearly budget. No person of concern appears anywhere here."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import log_event
from netwerkregie.core.csv_export import csv_response
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.core.models import AuditAction
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.programmes import services
from netwerkregie.programmes.forms import ActivityForm, AttendanceFormSet, BudgetForm, ExpenseForm
from netwerkregie.programmes.models import Activity, Budget, Expense

MANAGERS = (Role.PROGRAMME_OFFICER, Role.COORDINATOR)


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def activity_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    activities = (Activity.objects.visible_to(request.user).select_related("neighbourhood")
                  .annotate(cost=Sum("expenses__amount")).order_by("-starts_on", "title"))
    pages = paginate(request, activities.order_by("-starts_on", "title", "pk"))
    return render(request, "programmes/activity_list.html", {
        "activities": pages["page"].object_list, **pages, "manager": bool(request.user.roles & set(MANAGERS)),
    })


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def activity_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.select_related("neighbourhood"), request.user, pk=pk)
    return render(request, "programmes/activity_detail.html", {
        "activity": activity, "cost": services.activity_cost(activity),
        "attendances": activity.attendances.select_related("organisation"),
        "expenses": activity.expenses.select_related("budget") if request.user.roles & set(MANAGERS) else None,
        "manager": bool(request.user.roles & set(MANAGERS)),
    })


def _attendance(formset: Any) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for form in formset:
        organisation, count = form.cleaned_data.get("organisation"), form.cleaned_data.get("participants")
        if organisation and count:
            counts[organisation] = counts.get(organisation, 0) + count
    return counts


@roles_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    activity = get_visible_or_404(Activity.objects.all(), request.user, pk=pk) if pk else None
    form = ActivityForm(request.POST or None, instance=activity)
    initial = [{"organisation": a.organisation, "participants": a.participants}
               for a in activity.attendances.all()] if activity else []
    formset = AttendanceFormSet(request.POST or None, initial=initial, prefix="attendance")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        instance = form.save(commit=False)
        if instance.pk is None:
            instance.created_by = request.user
        try:
            services.save_activity(instance, list(form.cleaned_data["organisations"]), _attendance(formset),
                                   actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("programmes:activity_detail", pk=instance.pk)
    return render(request, "programmes/activity_form.html", {"form": form, "formset": formset, "activity": activity})


@roles_required(*MANAGERS)
@require_GET
def budget(request: AuthenticatedHttpRequest) -> HttpResponse:
    lines = services.budget_lines()
    years: dict[int, list[services.BudgetLine]] = {}
    for line in lines:
        years.setdefault(line.year, []).append(line)
    summary = [(year, rows, services.year_total(rows)) for year, rows in years.items()]
    pages = paginate(request, Expense.objects.visible_to(request.user).select_related("budget", "activity")
                     .order_by("-spent_on", "-pk"))
    return render(request, "programmes/budget.html", {"summary": summary, "expenses": pages["page"].object_list,
                                                      **pages})


@roles_required(Role.PROGRAMME_OFFICER)
@require_http_methods(["GET", "POST"])
def budget_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_budget(data["year"], data["source"], data["amount"], data["note"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Budget saved."))
            return redirect("programmes:budget")
    return render(request, "programmes/budget_form.html", {"form": form})


@roles_required(Role.PROGRAMME_OFFICER)
@require_http_methods(["GET", "POST"])
def expense_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {}
    if request.GET.get("activity", "").isdigit():
        initial["activity"] = int(request.GET["activity"])
    form = ExpenseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            expense = services.record_expense(services.ExpenseInput(
                spent_on=data["spent_on"], source=data["source"], amount=data["amount"],
                description=data["description"], category=data["category"], activity=data["activity"],
                overspend_confirmed=data["overspend_confirmed"]), actor=request.user)
        except services.Overspending as warning:
            form.overspending = True
            form.add_error(None, warning)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Expense of %(amount)s recorded.") % {"amount": services.euro(expense.amount)})
            if expense.activity_id:
                return redirect("programmes:activity_detail", pk=expense.activity_id)
            return redirect("programmes:budget")
    return render(request, "programmes/expense_form.html", {"form": form})


@roles_required(*MANAGERS)
@require_GET
def budget_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Budget lines, then every expense; the dialect is ``core.csv_export``'s."""
    expenses = Expense.objects.visible_to(request.user).select_related("budget", "activity").order_by("spent_on")
    rows: list[list[object]] = [[_("Year"), _("Funding source"), _("Budget"), _("Spent"), _("Remaining"),
                                 _("Committed (planned)"), _("Available")]]
    rows += [[line.year, line.source_label, line.budget, line.spent, line.remaining, line.committed, line.available]
             for line in services.budget_lines()]
    rows += [[], [_("Date"), _("Funding source"), _("Amount"), _("Category"), _("Description"), _("Activity")]]
    rows += [[expense.spent_on, expense.budget.get_source_display(), expense.amount, expense.get_category_display(),
              expense.description, expense.activity.title if expense.activity else ""] for expense in expenses]
    response = csv_response(f"budget-{timezone.localdate():%Y%m%d}.csv", rows)
    log_event(AuditAction.EXPORT, actor=request.user, object_type="programmes.budget", request=request,
              reason="budget export", detail={"budgets": Budget.objects.count()})
    return response


@roles_required(*MANAGERS)
@require_GET
def reach_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reach per activity and per type: what the programme did and for how many people. Counts only;
    participants are never recorded by name."""
    activities = (Activity.objects.visible_to(request.user).select_related("neighbourhood")
                  .prefetch_related("organisations").order_by("starts_on", "title"))
    rows: list[list[object]] = [[_("Starts on"), _("Ends on"), _("Type"), _("Activity"), _("Neighbourhood"),
                                 _("Audience"), _("Participants"), _("Partner organisations"), _("Average rating")]]
    totals: dict[tuple[int, str], list[int]] = {}
    for activity in activities:
        rows.append([activity.starts_on, activity.ends_on, activity.get_type_display(), activity.title,
                     activity.neighbourhood or _("City-wide"), activity.audience, activity.participants,
                     ", ".join(o.name for o in activity.organisations.all()), activity.average_rating])
        total = totals.setdefault((activity.starts_on.year, str(activity.get_type_display())), [0, 0])
        total[0] += 1
        total[1] += activity.participants
    rows += [[], [_("Year"), _("Type"), _("Activities"), _("Participants")]]
    rows += [[year, kind, count, participants] for (year, kind), (count, participants) in sorted(totals.items())]
    response = csv_response(f"bereik-{timezone.localdate():%Y%m%d}.csv", rows)
    log_event(AuditAction.EXPORT, actor=request.user, object_type="programmes.activity", request=request,
              reason="reach export", detail={"activities": len(activities)})
    return response
