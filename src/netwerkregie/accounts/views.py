"""The administrator's pages: accounts, their roles and second factor, invitations, and the role grants
that wait for a second person."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netwerkregie.accounts import users
from netwerkregie.accounts.forms import GrantDecisionForm, UserForm
from netwerkregie.accounts.sign_in import users_without_second_factor
from netwerkregie.core import grants, lockout, second_factor
from netwerkregie.core.access import get_visible_or_404, roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.models import RoleGrantRequest, User
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role


@roles_required(Role.ADMIN)
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    missing_mfa = request.GET.get("mfa") == "missing"
    users = users_without_second_factor(request.user) if missing_mfa else User.objects.visible_to(request.user)
    users = users.select_related("organisation").prefetch_related("role_assignments", "totpdevice_set")
    record_view(actor=request.user, object_type="core.user", purpose="user administration")
    pages = paginate(request, users.order_by("full_name", "pk"))
    return render(request, "core/user_list.html", {"users": pages["page"].object_list, **pages, "demo": settings.DEMO,
                                                   "missing_mfa": missing_mfa})


def _tell_pending(request: HttpRequest, account: User) -> None:
    waiting = [str(Role(role).label) for role in sorted(grants.pending_roles(account))]
    if waiting:
        messages.info(request, _("Waiting for confirmation by another administrator or the data protection officer: "
                                 "%(roles)s.") % {"roles": ", ".join(waiting)})


def _user_form_context(form: UserForm, heading: str, account: User | None = None) -> dict[str, Any]:
    return {"form": form, "heading": heading, "account": account, "oidc_enabled": settings.OIDC_ENABLED}


@roles_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account = users.create_user(email=data["email"], full_name=data["full_name"],
                                        organisation=data["organisation"], roles=data["roles"],
                                        actor=request.user, oidc_subject=data.get("oidc_subject", ""))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if users.invitation_needed(account, data["roles"]):
                users.send_invitation(account, actor=request.user)
                messages.success(request, _("Account created for %(name)s; an invitation was sent to %(email)s.")
                                 % {"name": account.full_name, "email": account.email})
            else:
                messages.success(request, _("Account created for %(name)s, who signs in through the identity "
                                            "provider.") % {"name": account.full_name})
            _tell_pending(request, account)
            return redirect("accounts:user_edit", pk=account.pk)
    return render(request, "core/user_form.html", _user_form_context(form, _("New user")),
                  status=422 if form.errors else 200)


@roles_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_visible_or_404(User.objects.select_related("organisation"), request.user, pk=pk)
    initial = {"full_name": account.full_name, "email": account.email, "organisation": account.organisation,
               "roles": sorted(account.roles | grants.pending_roles(account)), "is_active": account.is_active,
               "oidc_subject": account.oidc_subject or ""}
    form = UserForm(request.POST or None, initial=initial, editing=True, own=account == request.user)
    if request.method == "GET":
        record_view(actor=request.user, obj=account, purpose="user administration")
    elif form.is_valid():
        data = form.cleaned_data
        try:
            users.update_user(account, email=data["email"], full_name=data["full_name"],
                              organisation=data["organisation"], roles=data.get("roles", initial["roles"]),
                              is_active=data["is_active"],
                              actor=request.user, oidc_subject=data.get("oidc_subject"))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": account.full_name})
            _tell_pending(request, account)
            return redirect("accounts:user_list")
    context = _user_form_context(form, _("User %(name)s") % {"name": account.full_name}, account)
    if account == request.user:
        context["own"] = True
        context["own_roles"] = ", ".join(str(Role(role).label) for role in initial["roles"])
    context["grants"] = account.role_grant_requests.select_related("requested_by", "decided_by")[:10]
    context["demo_link"] = users.invitation_path(account) if settings.DEMO and not account.has_usable_password() \
        else None
    failures = lockout.account_failures(account.email)
    context["sign_in_failures"] = failures
    context["sign_in_locked"] = failures >= settings.AXES_FAILURE_LIMIT
    context["has_authenticator"] = second_factor.has_authenticator(account)
    context["backup_codes_left"] = second_factor.backup_codes_left(account)
    return render(request, "core/user_form.html", context, status=422 if form.errors else 200)


@roles_required(Role.ADMIN)
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    lockout.unlock_account(account, actor=request.user)
    messages.success(request, _("%(name)s can sign in with a password again.") % {"name": account.full_name})
    return redirect("accounts:user_edit", pk=account.pk)


@roles_required(Role.ADMIN)
@require_POST
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    """A lost or replaced phone: the authenticator and backup codes go, the person sets up anew at the next
    sign-in. Never one's own (the service refuses it)."""
    account = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    try:
        second_factor.reset_second_factor(account, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The second factor of %(name)s is reset and they were told by e-mail; at the "
                                    "next sign-in they set up their authenticator app again.")
                         % {"name": account.full_name})
    return redirect("accounts:user_edit", pk=account.pk)


@roles_required(Role.ADMIN)
@require_POST
def user_invite(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_visible_or_404(User.objects.all(), request.user, pk=pk)
    try:
        users.send_invitation(account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A new invitation was sent to %(email)s; earlier links still work until they "
                                    "expire or one is used.") % {"email": account.email})
    return redirect("accounts:user_edit", pk=account.pk)


@roles_required(Role.ADMIN, Role.PRIVACY_OFFICER)
@require_GET
def role_grant_list(request: HttpRequest) -> HttpResponse:
    """Grants of roles that wait for a second person, and those decided lately."""
    today = timezone.localdate()
    waiting = RoleGrantRequest.objects.visible_to(request.user).pending().select_related("user", "requested_by")
    record_view(actor=request.user, object_type="core.rolegrantrequest",
                purpose="role grants")
    return render(request, "core/role_grant_list.html", {
        "waiting": waiting.order_by("requested_at", "pk"), "decidable": {g.pk for g in grants.to_decide(request.user)},
        "decided": grants.recently_decided(request.user, today), "days": grants.RECENT_DAYS})


@roles_required(Role.ADMIN, Role.PRIVACY_OFFICER)
@require_http_methods(["GET", "POST"])
def role_grant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or refuse a grant: another administrator or the data protection officer, never the one who asked
    and never the one who receives it (the service refuses those)."""
    grant = get_visible_or_404(RoleGrantRequest.objects.select_related(
        "user__organisation", "requested_by", "decided_by"), request.user, pk=pk)
    form = GrantDecisionForm(request.POST or None)
    if request.method == "GET":
        record_view(actor=request.user, obj=grant.user, purpose="role grants")
    elif form.is_valid():
        try:
            if request.POST.get("decision") == "confirm":
                grants.confirm_grant(grant, actor=request.user)
                messages.success(request, _("Confirmed: %(name)s holds the role from now on.")
                                 % {"name": grant.user.full_name})
            else:
                grants.refuse_grant(grant, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Refused: the role does not take effect."))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("accounts:role_grant_list")
    context = {"grant": grant, "form": form, "may_decide": grants.may_decide(grant, request.user),
               "held": sorted(grant.user.role_assignments.all(), key=lambda a: a.role)}
    return render(request, "core/role_grant_detail.html", context, status=422 if form.errors else 200)
