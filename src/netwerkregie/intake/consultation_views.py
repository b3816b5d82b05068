"""Pages of the anonymous consultations: a partner asks whether something is worrying, without personal
data; the coordinator answers and counts them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.forms import AdviceForm, ConsultationForm, CoordinatorConsultationForm
from netwerkregie.intake.models import Channel, Consultation

# --- Anonymous consultations -------------------------------------------------------------------

@roles_required(Role.PARTNER, Role.COORDINATOR)
@require_GET
def consultation_list(request: HttpRequest) -> HttpResponse:
    consultations = Consultation.objects.visible_to(request.user).select_related("organisation")
    year = timezone.localdate().year
    counts = consultations.filter(created_at__year=year).aggregate(
        total=Count("pk"), advised=Count("pk", filter=~Q(advice="")),
    )
    pages = paginate(request, consultations.order_by("-created_at", "-pk"))
    return render(request, "intake/consultation_list.html", {
        "consultations": pages["page"].object_list, **pages, "counts": counts, "year": year,
        "coordinator": request.user.has_role(Role.COORDINATOR),
    })


@roles_required(Role.PARTNER, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest) -> HttpResponse:
    coordinator = request.user.has_role(Role.COORDINATOR)
    form = (CoordinatorConsultationForm if coordinator else ConsultationForm)(request.POST or None)
    if not coordinator and request.user.organisation is None:
        messages.error(request, _("Your account is not linked to an organisation; ask the administrator."))
        return redirect("home")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ask_consultation(
                organisation=data["organisation"] if coordinator else request.user.organisation,
                channel=data["channel"] if coordinator else Channel.WEB_FORM,
                question=data["question"], advice=data.get("advice", ""), asked_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The consultation is recorded; no personal data was asked."))
            return redirect("intake:consultation_list")
    return render(request, "intake/consultation_form.html", {"form": form})


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def consultation_advice(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_visible_or_404(Consultation.objects.all(), request.user, pk=pk)
    form = AdviceForm(request.POST or None, initial={"advice": consultation.advice})
    if request.method == "POST" and form.is_valid():
        try:
            services.give_advice(consultation, advice=form.cleaned_data["advice"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Advice recorded."))
            return redirect("intake:consultation_list")
    return render(request, "intake/consultation_advice.html", {"form": form, "consultation": consultation})
