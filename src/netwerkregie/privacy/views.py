"""Oversight for the privacy officer. Only the privacy officer reaches these pages; every page
that shows personal data is itself audited."""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.cases import emergency
from netwerkregie.cases.models import EmergencyAccess
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import log_event, record_view
from netwerkregie.core.audit_labels import label_events
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.models import AuditAction, AuditEvent
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import AlreadyDecided
from netwerkregie.disclosures.services import record_access_export
from netwerkregie.ops import jobs
from netwerkregie.people.models import Person, as_pseudonym
from netwerkregie.privacy import access_requests, services
from netwerkregie.privacy.export_access import access_export
from netwerkregie.privacy.forms import (
    AnswerForm,
    EmergencyReviewForm,
    ExtendForm,
    LegalHoldForm,
    PersonForm,
    RequestForm,
)
from netwerkregie.privacy.models import DataSubjectRequest, RemnantKind, StatisticalRemnant
from netwerkregie.privacy.register import register

OFFICER = Role.PRIVACY_OFFICER


def _person(pseudonym: str) -> Person | None:
    return Person.objects.filter(pseudonym=as_pseudonym(pseudonym)).first()


@roles_required(OFFICER)
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.place_legal_hold(kind=data["object_type"], reference=data["reference"], reason=data["reason"],
                                      until=data["until"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Legal hold recorded."))
            return redirect("privacy:overview")
    return render(request, "privacy/overview.html", {
        "retention": services.retention_overview(), "holds": label_events(services.active_holds()), "form": form,
        "requests_open": DataSubjectRequest.objects.exclude(status__in=["done", "refused"]).count(),
        "unreviewed": EmergencyAccess.objects.filter(reviewed_at__isnull=True).count(),
        "jobs": jobs.status(), "missed": {late.job.name for late in jobs.missed()},
        "suppress_below": settings.REPORT_SUPPRESS_BELOW,
        "remnants": _remnant_counts(),
    })


@roles_required(OFFICER)
@require_GET
def verification(request: HttpRequest) -> HttpResponse:
    """The audit chain's verification as the scheduler last recorded it (never verified here: a walk of
    millions of events does not belong in a web request); the page polls while a run is on its way."""
    template = "privacy/_verification.html" if request.htmx else "privacy/verification.html"
    return render(request, template, {"v": jobs.verification_state()})


@roles_required(OFFICER)
@require_POST
def verify_now(request: HttpRequest) -> HttpResponse:
    """Ask the scheduler to verify the chain now; it takes the request up within a minute."""
    _record, queued = jobs.request_verification(actor=request.user)
    if request.htmx:
        return render(request, "privacy/_verification.html", {"v": jobs.verification_state()})
    if queued:
        messages.success(request, _("Verification requested; the scheduler starts it within a minute."))
    else:
        messages.info(request, _("A verification was already requested or running."))
    return redirect("privacy:verification")


def _remnant_counts() -> list[tuple[str, int]]:
    counts = dict(StatisticalRemnant.objects.values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return [(str(label), counts.get(kind, 0)) for kind, label in RemnantKind.choices]


@roles_required(OFFICER)
@require_GET
def access_review(request: HttpRequest) -> HttpResponse:
    review = services.access_review()
    review["outside_hours"] = label_events(review["outside_hours"][:100])
    record_view(actor=request.user, object_type="core.auditevent",
                purpose="access review")
    return render(request, "privacy/access_review.html", {**review, "form": EmergencyReviewForm()})


@roles_required(OFFICER)
@require_POST
def emergency_review(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_visible_or_404(EmergencyAccess.objects.filter(reviewed_at__isnull=True), request.user, pk=pk)
    form = EmergencyReviewForm(request.POST)
    if form.is_valid():
        emergency.review_emergency_access(access, reviewer=request.user,
                                              justified=form.cleaned_data["justified"], note=form.cleaned_data["note"])
        messages.success(request, _("Review recorded."))
    else:
        messages.error(request, _("Say whether it was justified, and give your review."))
    return redirect("privacy:access_review")


@roles_required(OFFICER)
@require_GET
def person_audit(request: HttpRequest) -> HttpResponse:
    """The audit trail of one person: views and changes of them, their signals and their cases."""
    form = PersonForm(request.GET or None)
    events = None
    if form.is_valid():
        person = _person(form.cleaned_data["pseudonym"])
        if person is None:
            form.add_error("pseudonym", _("No registered person with this pseudonym."))
        else:
            about = Q(object_type="people.person", object_id=str(person.pk))
            about |= Q(object_type="intake.signal", object_id__in=[str(p) for p in person.signals.values_list(
                "pk", flat=True)])
            about |= Q(object_type="cases.case", object_id__in=[str(p) for p in person.cases.values_list(
                "pk", flat=True)])
            events = label_events(AuditEvent.objects.filter(about).order_by("-sequence")[:500])
            record_view(actor=request.user, obj=person, purpose="audit of a person")
    return render(request, "privacy/person_audit.html", {"form": form, "events": events})


@roles_required(OFFICER)
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, initial={"handler": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = access_requests.find_person(
                actor=request.user, pseudonym=data["pseudonym"], bsn=data["bsn"],
                name=data["name"], birth_date=data["birth_date"])
            subject_request = services.register_request(
                kind=data["kind"], person=person, received_on=data["received_on"], handler=data["handler"],
                requester=data["requester"], identity_check=data["identity_check"],
                identity_note=data["identity_note"], channel=data["channel"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("privacy:request_detail", pk=subject_request.pk)
    pages = paginate(request, DataSubjectRequest.objects.visible_to(request.user).select_related("handler")
                     .order_by("deadline", "pk"))
    return render(request, "privacy/requests.html", {
        "form": form, "requests": pages["page"].object_list, **pages, "today": timezone.localdate()})


@roles_required(OFFICER)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject_request = get_visible_or_404(DataSubjectRequest.objects.all(), request.user, pk=pk)
    extend = ExtendForm(request.POST if "extend" in request.POST else None)
    answer = AnswerForm(request.POST if "answer" in request.POST else None)
    for form, action in ((extend, lambda d: services.extend_request(subject_request, reason=d["reason"],
                                                                    actor=request.user)),
                         (answer, lambda d: services.answer_request(subject_request, status=d["status"],
                                                                    outcome=d["outcome"], actor=request.user))):
        if form.is_bound and form.is_valid():
            try:
                erased = action(form.cleaned_data)
            except AlreadyDecided as error:
                messages.error(request, " ".join(error.messages))
                return redirect("privacy:request_detail", pk=subject_request.pk)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                if erased is not None:
                    messages.info(request, _("Erased: %(deleted)d records. Kept under a legal hold: %(held)d. Kept "
                                             "because another record still needs them: %(blocked)d.") % {
                        "deleted": erased.deleted, "held": erased.held, "blocked": erased.blocked})
                return redirect("privacy:request_detail", pk=subject_request.pk)
    if subject_request.person is not None:  # whose data is about to be sent: a read of identity, as on a case
        log_event(AuditAction.VIEW, actor=request.user, obj=subject_request.person, request=request,
                  reason="data-subject request: identity", detail={"request": subject_request.pk})
    return render(request, "privacy/request_detail.html", {
        "item": subject_request, "extend": extend, "answer": answer, "today": timezone.localdate()})


def _export(request: HttpRequest, pk: int, fmt: str) -> tuple[DataSubjectRequest, dict]:
    subject_request = get_visible_or_404(DataSubjectRequest.objects.all(), request.user, pk=pk)
    if subject_request.person is None:
        raise Http404
    with transaction.atomic():
        log_event(AuditAction.EXPORT, actor=request.user, obj=subject_request.person, request=request,
                  reason=f"access request ({fmt})", detail={"request": subject_request.pk})
        record_access_export(subject_request, fmt=fmt, actor=request.user)
    data = access_export(subject_request.person)
    return subject_request, data


@roles_required(OFFICER)
@require_GET
def export_json(request: HttpRequest, pk: int) -> JsonResponse:
    subject_request, data = _export(request, pk, "json")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="inzage-{subject_request.person_label}.json"'
    return response


@roles_required(OFFICER)
@require_GET
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from netwerkregie.core.pdf import render_pdf  # WeasyPrint loads in seconds: only when a PDF is made

    subject_request, data = _export(request, pk, "pdf")
    html = render_to_string("privacy/access_export_pdf.html", {
        "item": subject_request, "data": data, "printed_at": timezone.localtime()}, request=request)
    response = HttpResponse(render_pdf(html, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzage-{subject_request.person_label}.pdf"'
    return response


@roles_required(OFFICER)
@require_GET
def processing_register(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/register.html", {"activities": register(), "dpia": request.GET.get("dpia") == "1"})
