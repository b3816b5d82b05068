"""Emergency access ("break the glass") to a case outside a coordinator's own."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from netwerkregie.cases import emergency
from netwerkregie.cases.forms import EmergencyAccessForm
from netwerkregie.cases.models import Case
from netwerkregie.core.access import roles_required
from netwerkregie.core.dates import short_date
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.roles import Role


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    form = EmergencyAccessForm(request.POST or None, initial={"reference": request.GET.get("reference", "")})
    if request.method == "POST" and form.is_valid():
        case = Case.objects.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
        if case is None:
            form.add_error("reference", _("No case with this reference."))
        else:
            try:
                access = emergency.break_glass(case, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.warning(request, _("Emergency access until %(time)s. The privacy officer will review it.")
                                 % {"time": short_date(access.expires_at)})
                return redirect("cases:case_detail", reference=case.reference)
    return render(request, "cases/simple_form.html", {
        "form": form, "heading": _("Emergency access to a case"), "submit": _("Open the case"),
        "intro": _("Use this only when a case outside your own needs you now. Access lasts %(hours)d hours.")
        % {"hours": settings.EMERGENCY_ACCESS_HOURS}})
