"""The coordinator's network: partners, contact people, covenants, contact moments, and the
network at a glance. Nothing here describes persons of concern or communities."""

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.accounts import users
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import log_event, record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.network import services
from netwerkregie.network.forms import (
    ContactForm,
    ContactMomentForm,
    CovenantForm,
    NeighbourhoodForm,
    OrganisationForm,
    PartnerInvitationForm,
)
from netwerkregie.network.models import Contact, ContactMoment, Covenant, Neighbourhood, Organisation

MANAGERS = (Role.COORDINATOR, Role.PROGRAMME_OFFICER)


def network_picture(counts: list[tuple[Any, int]]) -> dict[str, Any]:
    """Sectors on a circle around the coordinator; a node's size follows its number of partners.
    Each label sits beyond its node, pointing away from the centre, so labels never cross the spokes."""
    width, height, radius = 900, 600, 220
    cx, cy = width / 2, height / 2
    nodes = []
    for index, (sector, count) in enumerate(counts):
        angle = 2 * math.pi * index / max(len(counts), 1) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        r = 12 + 4 * math.sqrt(count)
        x, y = cx + radius * cos, cy + radius * sin
        gap = r + 8
        anchor = "start" if cos > 0.35 else "end" if cos < -0.35 else "middle"
        label_y = y + gap * sin + (12 if sin > 0.35 else -4 if sin < -0.35 else 4)
        nodes.append({"label": sector.label, "count": count, "x": round(x, 1), "y": round(y, 1), "r": round(r, 1),
                      "label_x": round(x + gap * cos, 1), "label_y": round(label_y, 1), "anchor": anchor})
    return {"width": width, "height": height, "cx": cx, "cy": cy, "nodes": nodes,
            "total": sum(c for _, c in counts)}


@roles_required(*MANAGERS)
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    counts = services.sector_counts()
    return render(request, "network/overview.html", {
        "coverage": services.coverage(), "stale": services.stale_partners(),
        "follow_ups": services.follow_ups_due(), "picture": network_picture(counts), "counts": counts,
        "today": timezone.localdate(),
    })


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pages = paginate(request, Organisation.objects.visible_to(request.user).prefetch_related("neighbourhoods")
                     .order_by("-is_active", "name", "pk"))
    # The last contact of the listed page only: an aggregate over every partner's moments costs more than the page.
    organisations = list(pages["page"].object_list)
    last = dict(services.last_contacts(Organisation.objects.filter(pk__in=[o.pk for o in organisations]))
                .values_list("pk", "last_contact"))
    for organisation in organisations:
        organisation.last_contact = last.get(organisation.pk)
    return render(request, "network/organisation_list.html", {
        "organisations": organisations, **pages, "coordinator": request.user.has_role(Role.COORDINATOR)})


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def organisation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    contacts = Contact.objects.visible_to(request.user).filter(organisation=organisation)
    record_view(actor=request.user, obj=organisation,
                purpose="network register", detail={"contacts": len(contacts)})
    return render(request, "network/organisation_detail.html", {
        "organisation": organisation, "contacts": contacts,
        "covenants": Covenant.objects.visible_to(request.user).filter(parties=organisation),
        "moments": ContactMoment.objects.visible_to(request.user).filter(organisations=organisation)
        .select_related("topic")[:20],
        "activities": organisation.activities.order_by("-starts_on")[:20],
        "manager": bool(request.user.roles & set(MANAGERS)), "coordinator": request.user.has_role(Role.COORDINATOR),
        "accounts": users.partner_accounts(organisation) if request.user.has_role(Role.COORDINATOR) else [],
    })


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def partner_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.filter(is_active=True), request.user, pk=pk)
    form = PartnerInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account = users.invite_partner(organisation=organisation, email=form.cleaned_data["email"],
                                           full_name=form.cleaned_data["full_name"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is invited; the link in the e-mail to %(email)s works for %(days)s "
                                        "days.") % {"name": account.full_name, "email": account.email,
                                                    "days": settings.INVITATION_VALID_DAYS})
            return redirect("network:organisation_detail", pk=organisation.pk)
    return _edit_page(request, form, _("Invite someone at %(name)s") % {"name": organisation.name},
                      reverse("network:organisation_detail", args=[organisation.pk]),
                      intro=_("They get the partner role only: they pass on signals and see their own. They choose a "
                              "password through the link and then set up an authenticator app."),
                      submit=_("Send the invitation"))


def _partner_account(request: AuthenticatedHttpRequest, pk: int) -> Any:
    """A partner-only account of an organisation the coordinator may see; anything else is not found."""
    account = User.objects.filter(pk=pk, organisation__isnull=False).select_related("organisation").first()
    if account is None or account.roles != {Role.PARTNER} or not Organisation.objects.visible_to(
            request.user).filter(pk=account.organisation_id).exists():
        raise Http404
    return account


@roles_required(Role.COORDINATOR)
@require_POST
def partner_reinvite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _partner_account(request, pk)
    try:
        users.send_invitation(account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s.") % {"email": account.email})
    return redirect("network:organisation_detail", pk=account.organisation_id)


@roles_required(Role.COORDINATOR)
@require_POST
def partner_switch_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = _partner_account(request, pk)
    users.switch_off_partner(account, actor=request.user)
    messages.success(request, _("%(name)s can no longer sign in.") % {"name": account.full_name})
    return redirect("network:organisation_detail", pk=account.organisation_id)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk)
    form = ContactForm(request.POST or None, initial={"informed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.organisation = organisation
        try:
            services.save_contact(contact, actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact person added."))
            return redirect("network:organisation_detail", pk=organisation.pk)
    return render(request, "network/contact_form.html", {"form": form, "organisation": organisation})


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def covenant_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CovenantForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        covenant = form.save(commit=False)
        covenant.created_by = request.user
        covenant.document = None
        try:
            services.save_covenant(covenant, list(form.cleaned_data["parties"]), actor=request.user,
                                   document=request.FILES.get("document"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Covenant saved."))
            return redirect("network:covenant_list")
    return render(request, "network/covenant_form.html", {"form": form})


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def covenant_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pages = paginate(request, Covenant.objects.visible_to(request.user).prefetch_related("parties")
                     .order_by("-valid_from", "title", "pk"))
    return render(request, "network/covenant_list.html", {
        "covenants": pages["page"].object_list, **pages, "today": timezone.localdate(),
        "coordinator": request.user.has_role(Role.COORDINATOR),
    })


@roles_required(*MANAGERS, Role.PARTNER)
@require_GET
def covenant_document(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    covenant = get_visible_or_404(Covenant.objects.all(), request.user, pk=pk)
    if not covenant.document:
        raise Http404
    log_event(AuditAction.EXPORT, actor=request.user, obj=covenant, request=request, reason="covenant document")
    return FileResponse(covenant.document.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"convenant-{covenant.pk}.pdf")


@roles_required(*MANAGERS)
@require_GET
def contact_moment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    pages = paginate(request, ContactMoment.objects.visible_to(request.user).select_related("topic", "recorded_by")
                     .prefetch_related("organisations").order_by("-happened_on", "-pk"))
    return render(request, "network/contact_moment_list.html", {"moments": pages["page"].object_list, **pages,
                                                                "today": timezone.localdate()})


@roles_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def contact_moment_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, object] = {"happened_on": timezone.localdate()}
    if "organisation" in request.GET:
        initial["organisations"] = request.GET.getlist("organisation")
    form = ContactMomentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_contact_moment(services.ContactMomentInput(
                happened_on=data["happened_on"], kind=data["kind"], organisations=list(data["organisations"]),
                contacts=list(data["contacts"]), topic=data["topic"], summary=data["summary"],
                follow_up_on=data["follow_up_on"],
                special_category_reason=form.guard_reason(),
            ), actor=request.user)
        except services.SummaryFlagged as flagged:
            form.flagged_terms = flagged.terms
            form.add_error(None, flagged)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact moment recorded."))
            return redirect("network:overview")
    return render(request, "network/contact_moment_form.html", {"form": form})


@roles_required(*MANAGERS)
@require_POST
def follow_up_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    moment = get_visible_or_404(ContactMoment.objects.all(), request.user, pk=pk)
    services.complete_follow_up(moment, actor=request.user)
    messages.success(request, _("Follow-up marked as done."))
    return redirect("network:overview")


def _edit_page(request: AuthenticatedHttpRequest, form: Any, heading: str, back: str, **extra: Any) -> HttpResponse:
    return render(request, "network/edit_form.html", {"form": form, "heading": heading, "back": back, **extra},
                  status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = get_visible_or_404(Organisation.objects.all(), request.user, pk=pk) if pk else Organisation()
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_organisation(form.save(commit=False), list(form.cleaned_data["neighbourhoods"]),
                                               actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Partner %(name)s saved.") % {"name": saved.name})
            return redirect("network:organisation_detail", pk=saved.pk)
    heading = _("Partner %(name)s") % {"name": organisation.name} if pk else _("New partner organisation")
    back = reverse("network:organisation_detail", args=[pk]) if pk else reverse("network:organisation_list")
    return _edit_page(request, form, heading, back)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_visible_or_404(Contact.objects.select_related("organisation"), request.user, pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_contact(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Contact person saved."))
            return redirect("network:organisation_detail", pk=contact.organisation_id)
    return _edit_page(request, form, _("Contact person at %(organisation)s") % {"organisation": contact.organisation},
                      reverse("network:organisation_detail", args=[contact.organisation_id]),
                      intro=_("Switch 'active' off when the person leaves; the record is then deleted when its "
                              "retention period ends."))


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def covenant_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    covenant = get_visible_or_404(Covenant.objects.all(), request.user, pk=pk)
    form = CovenantForm(request.POST or None, request.FILES or None, instance=covenant,
                        initial={"parties": covenant.parties.all()})
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        try:
            services.save_covenant(edited, list(form.cleaned_data["parties"]), actor=request.user,
                                   document=request.FILES.get("document"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Covenant saved."))
            return redirect("network:covenant_list")
    return render(request, "network/covenant_form.html", {"form": form, "covenant": covenant},
                  status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def neighbourhood_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NeighbourhoodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_neighbourhood(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Neighbourhood %(name)s added.") % {"name": saved.name})
            return redirect("network:neighbourhood_list")
    pages = paginate(request, Neighbourhood.objects.annotate(partners=Count("organisations", filter=Q(
        organisations__is_active=True))).order_by("name", "pk"))
    return render(request, "network/neighbourhood_list.html", {
        "form": form, "neighbourhoods": pages["page"].object_list, **pages}, status=422 if form.errors else 200)


@roles_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def neighbourhood_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    neighbourhood = Neighbourhood.objects.filter(pk=pk).first()
    if neighbourhood is None:
        raise Http404
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_neighbourhood(form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Neighbourhood saved."))
            return redirect("network:neighbourhood_list")
    return _edit_page(request, form, _("Neighbourhood %(name)s") % {"name": neighbourhood.name},
                      reverse("network:neighbourhood_list"),
                      intro=_("A new name applies everywhere the neighbourhood is used."))
