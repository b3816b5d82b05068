"""The integrated support plan: editing it (rows added without JavaScript) and its history."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.approvals.approvers import who_approves
from netwerkregie.approvals.models import ApprovalAct
from netwerkregie.cases import services
from netwerkregie.cases.forms import GoalFormSet, InterventionFormSet, PlanForm, goal_choices
from netwerkregie.cases.models import Case, PlanStatus
from netwerkregie.cases.views.common import CASE_ROLES, get_case
from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.roles import Role


def _plan_initial(case: Case) -> tuple[int, dict[str, Any], list[dict], list[dict]]:
    latest = case.plan_versions.order_by("-number").first()
    if latest is None:
        return 0, {}, [], []
    data = latest.data
    interventions = [{
        "type": i["type"], "goal": i["goal"], "provider": i["provider"], "owner": i["owner"],
        "starts_on": i["starts_on"], "ends_on": i["ends_on"], "status": i["status"], "outcome": i["outcome"],
        "consent": i["consent"], "consent_on": i["consent_on"], "consent_name": i.get("consent_name", "")}
        for i in data["interventions"]]
    return latest.number, {"protective_factors": data["protective_factors"]}, [{"text": g} for g in data["goals"]], \
        interventions


def _with_extra_row(data: Any, prefix: str) -> Any:
    """The posted form with one more empty row of ``prefix``: adding a row works without JavaScript."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    data[key] = str(int(data.get(key) or 0) + 1) if str(data.get(key, "")).isdigit() else "1"
    return data


def _kept_goals(goal_set: Any) -> tuple[list[str], dict[int, int]]:
    """The goals that stay (not removed, not empty) and how each row number maps onto their new number."""
    goals: list[str] = []
    renumbered: dict[int, int] = {}
    for row, goal_form in enumerate(goal_set.forms, start=1):
        text = goal_form.cleaned_data.get("text", "").strip()
        if text and not goal_form.cleaned_data.get("DELETE"):
            goals.append(text)
            renumbered[row] = len(goals)
    return goals, renumbered


def _interventions(intervention_set: Any, renumbered: dict[int, int]) -> list[services.InterventionInput]:
    items = []
    for f in intervention_set:
        data = f.cleaned_data
        if not data.get("type") or data.get("DELETE"):
            continue
        if data["goal"] not in renumbered:
            f.add_error("goal", _("The goal it served is being removed: choose another goal."))
            continue
        items.append(services.InterventionInput(
            type=data["type"], goal=renumbered[data["goal"]], provider=data["provider"], owner=data["owner"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], status=data["status"] or "planned",
            outcome=data["outcome"], consent=data["consent"], consent_on=data["consent_on"],
            consent_name=data.get("consent_name") or ""))
    return items


@roles_required(Role.COORDINATOR, Role.CASE_MANAGER)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference, edit=True)
    number, initial, goals, interventions = _plan_initial(case)
    post = request.POST or None
    adding = post.get("add") if post else None
    if adding in ("goals", "interventions"):
        post = _with_extra_row(post, adding)
    form = PlanForm(post, initial={"base_version": number, **initial})
    goal_set = GoalFormSet(post, initial=goals, prefix="goals")
    intervention_set = InterventionFormSet(post, initial=interventions, prefix="interventions",
                                           form_kwargs={"goals": goal_choices(post, goals)})
    conflict = None
    status = 200
    if request.method == "GET":
        record_view(case, actor=request.user, purpose="support plan")
    elif adding:
        # Only a row was added: show the form again as typed, without judging it yet; nothing is saved.
        for formset in (goal_set, intervention_set):
            formset.errors  # noqa: B018  (validates the rows once, so the lists below are the ones shown)
            formset.non_form_errors().clear()
        for bound in (form, *goal_set.forms, *intervention_set.forms):
            bound.errors.clear()
    elif form.is_valid() and goal_set.is_valid() and intervention_set.is_valid():
        kept, renumbered = _kept_goals(goal_set)
        items = _interventions(intervention_set, renumbered)
        if not intervention_set.is_valid():
            status = 422
        else:
            try:
                version = services.save_plan(
                    case, goals=kept, protective_factors=form.cleaned_data["protective_factors"],
                    interventions=items, base_version=form.cleaned_data["base_version"],
                    change_note=form.cleaned_data["change_note"], actor=request.user)
            except services.PlanConflict as error:
                conflict, status = error.latest, 409
                form.data = form.data.copy()  # the next save builds on the newer version, knowingly
                form.data["base_version"] = str(conflict.number)
            except ValidationError as error:
                apply_errors(form, error)
                status = 422
            else:
                if version.status == PlanStatus.AWAITING_APPROVAL:
                    messages.success(request, _("Plan saved as version %(n)d. It adds or changes compulsory measures: "
                                                "it takes effect when a second person approves it.")
                                     % {"n": version.number})
                else:
                    messages.success(request, _("Plan saved as version %(n)d.") % {"n": version.number})
                return redirect("cases:case_detail", reference=case.reference)
    else:
        status = 422
    template = "cases/_plan_form.html" if request.htmx and adding else "cases/plan_form.html"
    return render(request, template, {
        "case": case, "form": form, "goal_set": goal_set, "intervention_set": intervention_set,
        "conflict": conflict, "conflict_plan": services.plan_for_display(conflict), "version": number,
        **who_approves(ApprovalAct.COMPULSORY_PLAN, author=request.user),
        "approval_condition": _("only when the plan adds or changes compulsory measures"),
    }, status=status)


@roles_required(*CASE_ROLES)
@require_GET
def plan_history(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_case(request, reference)
    record_view(case, actor=request.user, purpose="support plan history")
    versions = [(v, services.plan_for_display(v)) for v in case.plan_versions.select_related("saved_by")]
    return render(request, "cases/plan_history.html", {"case": case, "versions": versions})
