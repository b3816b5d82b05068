"""Pages of the minutes as a record: establishing them, correcting them, and their versions.

Every page fetches the agenda item through ``Case.objects.visible_to``: whoever is not on the case's
team gets a 404, as for the minutes themselves. Establishing and correcting are for the chair."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.cases import minutes as record
from netwerkregie.cases.forms import MinutesCorrectionForm
from netwerkregie.cases.models import AgendaItem, Case, CaseConsultation
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.roles import Role

CASE_ROLES = (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER)


def get_item_for_user(user: object, pk: int, item_pk: int) -> AgendaItem:
    """The agenda item, when the user may see its case; 404 for "not there" and "not yours" alike."""
    consultation = get_visible_or_404(CaseConsultation.objects.all(), user, pk=pk)
    item = (consultation.items.filter(pk=item_pk, case__in=Case.objects.visible_to(user))
            .select_related("case", "consultation__created_by").prefetch_related("minutes_versions__author").first())
    if item is None:
        raise Http404
    return item


@roles_required(*CASE_ROLES)
@require_POST
def minutes_establish(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    if not record.may_chair(item, request.user):
        raise Http404
    try:
        record.establish(item, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes have been established. From now on they can only be corrected."))
    return redirect("cases:agenda_item", pk=pk, item_pk=item_pk)


@roles_required(*CASE_ROLES)
@require_http_methods(["GET", "POST"])
def minutes_correct(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    current = item.current_version
    if current is None or not record.may_chair(item, request.user):
        raise Http404
    conflict = False
    form = MinutesCorrectionForm(request.POST or None,
                                 initial={"minutes": current.minutes, "decisions": current.decisions,
                                          "base_version": current.number})
    if request.method == "POST" and form.is_valid():
        try:
            version = record.correct(item, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
            conflict = getattr(error, "code", None) == "conflict"
            if conflict:  # show what came first, and let a second attempt build on it
                current = get_item_for_user(request.user, pk, item_pk).current_version
                form.data = form.data.copy()
                form.data["base_version"] = str(current.number)
        else:
            messages.success(request, _("Correction saved as version %(number)d.") % {"number": version.number})
            return redirect("cases:minutes_history", pk=pk, item_pk=item_pk)
    if request.method == "GET":
        record_view(item.case, actor=request.user, purpose="case consultation minutes")
    return render(request, "cases/minutes_correct.html", {"item": item, "consultation": item.consultation,
                                                          "current": current, "form": form, "conflict": conflict},
                  status=409 if conflict else 422 if form.errors else 200)


@roles_required(*CASE_ROLES)
@require_GET
def minutes_history(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, item_pk)
    record_view(item.case, actor=request.user, purpose="case consultation minutes versions")
    return render(request, "cases/minutes_history.html", {
        "item": item, "consultation": item.consultation, "versions": list(reversed(item.versions)),
        "chair": record.may_chair(item, request.user)})
