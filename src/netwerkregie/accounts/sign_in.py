"""Sign-in with a second factor, and the account pages around it."""

from base64 import b32encode, b64encode
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.accounts.forms import EmailAuthenticationForm, SecondStepForm, TokenForm
from netwerkregie.accounts.users import invitation_tokens
from netwerkregie.core import second_factor
from netwerkregie.core.audit import log_event
from netwerkregie.core.lockout import clear_account
from netwerkregie.core.middleware import mfa_not_required
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import roles_requiring_mfa


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _demo_code(device: TOTPDevice) -> str | None:
    """In demo mode only, a code that will be accepted, so a newcomer can sign in without an app.
    A code is used once: after a sign-in within the same 30 seconds, that is the next step's code
    (accepted within the device's tolerance of one step)."""
    if not settings.DEMO:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.drift += device.last_t + 1 - totp.t()
    return f"{totp.token():0{device.digits}d}"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(oidc_enabled=settings.OIDC_ENABLED,
                                        oidc_provider=settings.OIDC_PROVIDER_NAME, **kwargs)


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or a backup code. Each kind is checked against its
    own device only, so wrong codes of one kind do not hold the other (a lost phone's owner still gets in with
    a backup code while someone holding the password is kept waiting at the app's codes)."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect("accounts:mfa_setup")
    form = SecondStepForm(request.POST or None)
    authenticator = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    held_until = _throttled_until(authenticator)
    if form.is_valid():
        backup = form.is_backup_code
        device = second_factor.backup_device(user) if backup else authenticator
        held_until = _throttled_until(device)
        if held_until is not None:
            log_event(AuditAction.MFA_FAILED, actor=user, request=request, reason="held after repeated wrong codes")
        elif device is not None and (second_factor.verify_backup_code(device, form.cleaned_data["token"]) if backup
                                     else device.verify_token(form.cleaned_data["token"])):
            otp_login(request, device)
            log_event(AuditAction.MFA_VERIFIED, actor=user, request=request,
                      reason="backup code used" if backup else "",
                      detail={"backup_codes_left": second_factor.backup_codes_left(user)} if backup else None)
            _tell_about_backup_codes(request, user, used=backup)
            return redirect(_next_url(request))
        else:
            log_event(AuditAction.MFA_FAILED, actor=user, request=request)
            form.add_error("token", _("This backup code is not valid or was used already.") if backup else
                           _("This code is not valid. Wait for a new code and try again."))
            held_until = _throttled_until(device)
    context = {"form": form, "next": _next_url(request), "held_until": held_until,
               "demo_code": _demo_code(authenticator) if authenticator else None}
    return render(request, "accounts/mfa_verify.html", context)


def _tell_about_backup_codes(request: HttpRequest, user: User, *, used: bool) -> None:
    left = second_factor.backup_codes_left(user)
    if used:
        text = ngettext("You signed in with a backup code; it no longer works. %(left)d backup code is left.",
                        "You signed in with a backup code; it no longer works. %(left)d backup codes are left.",
                        left) % {"left": left}
        if left <= second_factor.FEW_LEFT:
            text += " " + _("Make a new set under My account before they run out.")
        messages.warning(request, text + " " + _("Lost your phone? Ask the administrator to reset your second "
                                                 "factor, so that you can set up the app on your new phone."))
    elif left == 0:
        messages.info(request, _("You have no backup codes yet. Make them under My account: with them you still "
                                 "sign in if you lose your phone."))
    elif left <= second_factor.FEW_LEFT:
        messages.warning(request, ngettext("Only %(left)d backup code is left. Make a new set under My account.",
                                           "Only %(left)d backup codes are left. Make a new set under My account.",
                                           left) % {"left": left})


def _throttled_until(device: Device | None) -> Any:
    """When the device accepts a code again after wrong ones (django-otp doubles the wait at each), or None.
    A successful password reset lifts it (``PasswordResetConfirmView``)."""
    if device is None:
        return None
    allowed, why = device.verify_is_allowed()
    return None if allowed else (why or {}).get("locked_until")


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + b64encode(buffer.getvalue()).decode("ascii")


@mfa_not_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show its secret, confirm with a first code."""
    user = request.user
    if user_has_device(user):
        return redirect("accounts:mfa_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                log_event(AuditAction.MFA_ENROLLED, actor=user, obj=device, request=request)
                codes = second_factor.make_backup_codes(user, actor=user)
            otp_login(request, device)
            request.session[SHOWN_ONCE] = codes
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(f"{reverse('accounts:backup_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("token", _("This code is not valid. Check the time on your phone and try again."))
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    context = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    left = second_factor.backup_codes_left(user)
    context = {"account": user, "authenticator": second_factor.has_authenticator(user), "codes_left": left,
               "few_left": left <= second_factor.FEW_LEFT, "may_make_codes": user.is_verified()}
    return render(request, "accounts/account.html", context)


SHOWN_ONCE = "backup_codes_to_show"  # the session holds a new set only until the page that shows it


@never_cache
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """POST makes a new set (replacing the old); GET shows a set made just now, once: the codes leave the
    session as the page is made, and the page is not cached."""
    user = request.user
    if request.method == "POST":
        if not user.is_verified():
            messages.error(request, _("Sign in with your authenticator app first."))
            return redirect("accounts:account")
        try:
            codes = second_factor.make_backup_codes(user, actor=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:account")
        request.session[SHOWN_ONCE] = codes
        return redirect("accounts:backup_codes")
    codes = request.session.pop(SHOWN_ONCE, None)
    context = {"codes": codes, "left": second_factor.backup_codes_left(user),
               "next": _next_url(request) if request.GET.get("next") else ""}
    return render(request, "accounts/backup_codes.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            log_event(AuditAction.PASSWORD_CHANGED, actor=self.request.user, request=self.request)
        return response


def lift_holds(user: User) -> dict[str, int]:
    """After the person proved their mailbox (a reset or invitation link): lift the sign-in lockout of their
    account and the wait on their second factor. Whoever caused them - someone guessing, or someone who knew
    the old password and kept entering wrong codes - no longer knows the password, and their session ended
    with the change."""
    lifted = {"lockout_records": clear_account(user.email), "second_factor_failures": 0}
    for device in devices_for_user(user, confirmed=None):  # the app and the backup codes
        lifted["second_factor_failures"] += device.throttling_failure_count
        if device.throttling_failure_count:
            device.throttle_reset(commit=True)
    return lifted


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password by the mailed link: lifts the account's lockout and second-factor wait, and signs the
    person in (a lockout held by someone guessing cannot keep them out); the second factor is still asked."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy(settings.LOGIN_REDIRECT_URL)
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            lifted = lift_holds(form.user)
            log_event(AuditAction.PASSWORD_RESET, actor=form.user, request=self.request,
                      detail={key: value for key, value in lifted.items() if value})
            response = super().form_valid(form)
        messages.success(self.request, _("Your new password is saved and you are signed in."))
        return response


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invited person chooses a password; the link expires and works once. Signing in then
    leads to setting up the second factor for every role that needs one."""

    template_name = "accounts/invitation.html"
    success_url = reverse_lazy("accounts:login")

    @property
    def token_generator(self) -> Any:  # type: ignore[override]
        return invitation_tokens

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            lift_holds(form.user)
            log_event(AuditAction.PASSWORD_RESET, actor=form.user, request=self.request, reason="invitation accepted")
        messages.success(self.request, _("Your password is set. Sign in; you will then set up your second factor "
                                         "if your work needs one."))
        return response


def users_without_second_factor(viewer: User) -> Any:
    """Active users whose roles require a second factor and who have not confirmed an authenticator."""
    confirmed = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    return (User.objects.visible_to(viewer).filter(is_active=True, role_assignments__role__in=roles_requiring_mfa())
            .exclude(pk__in=confirmed).distinct().order_by("full_name", "pk"))
