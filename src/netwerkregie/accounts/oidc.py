"""Sign-in through the municipality's identity provider (OpenID Connect), with mozilla-django-oidc.

The authorization code flow with PKCE (S256), state and nonce is the library's; what is ours:
- the endpoints come from the issuer's discovery document, fetched when first needed;
- the ID token's issuer and audience are checked, and userinfo must be about the same subject;
- the account is found by the subject claim (``User.oidc_subject``), never by e-mail address; an
  unknown subject gets an account only when a group in OIDC_GROUP_ROLES maps to a role listed in
  OIDC_SELF_REGISTER_ROLES; roles from groups (the mapping is the allow-list) are granted and
  withdrawn at each sign-in, roles the administrator granted are left alone; every change is audited;
- a provider that asserts more than a password (``acr``/``amr`` as configured) counts as the
  second factor for this session; otherwise Netwerkregie's own TOTP step follows;
- signing out after a sign-in through the provider ends the provider's session too (RP-initiated
  logout), so the next person at a shared PC is not signed straight back in.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, RoleAssignment, User
from netwerkregie.core.roles import exclusive_combination
from netwerkregie.core.validators import without_hidden_characters

logger = logging.getLogger(__name__)

BACKEND = "netwerkregie.accounts.oidc.ProviderBackend"
# Where mozilla-django-oidc keeps the ID token at sign-in (OIDC_STORE_ID_TOKEN): the id_token_hint at sign-out.
ID_TOKEN_SESSION_KEY = "oidc_id_token"  # noqa: S105 - a session key, not a secret
# The session holds the user's pk here when the provider asserted a second factor at sign-in.
PROVIDER_MFA_SESSION_KEY = "netwerkregie_provider_mfa"
DISCOVERY_TTL_SECONDS = 3600
_ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


class ProviderUnavailable(Exception):
    """The identity provider did not answer, or answered with something that is not its configuration."""


class SignInRefused(Exception):
    """The provider vouched for someone Netwerkregie does not let in (or the exchange was not sound)."""

    MESSAGES = {
        "unknown_subject": _("Your account at the identity provider is not known in Netwerkregie. Ask the "
                             "administrator to add you, and give them the identifier below."),
        "inactive": _("Your Netwerkregie account has been switched off. Ask the administrator if this is a mistake."),
        "no_roles": _("Your account has no role in Netwerkregie (any longer). Ask the administrator if this is a "
                      "mistake."),
        "email_taken": _("There is already a Netwerkregie account with your e-mail address that is not linked to "
                         "your account at the identity provider. Ask the administrator to link them."),
        "incomplete": _("The identity provider did not send what Netwerkregie needs to know who you are "
                        "(identifier, e-mail address). Ask the administrator to check the configuration."),
        "tampered": _("This sign-in could not be verified (it may have been started in another window or "
                      "tampered with). Start again from the sign-in page."),
        "expired": _("This sign-in took too long or was started elsewhere. Start again from the sign-in page."),
        "cancelled": _("The identity provider did not sign you in."),
        "unavailable": _("The identity provider cannot be reached at the moment. Try again in a few minutes."),
    }
    STATUS = {"tampered": 400, "expired": 400, "unavailable": 503}

    def __init__(self, code: str, *, subject: str = "", label: str = "") -> None:
        super().__init__(code)
        self.code, self.subject, self.label = code, subject, label


def discovery() -> dict[str, Any]:
    """The provider's configuration document, cached for an hour per issuer."""
    issuer = settings.OIDC_ISSUER
    cached = _discovered.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT,
                                verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(str(error)) from error
    if document.get("issuer", "").rstrip("/") != issuer or any(key not in document for key in _ENDPOINTS.values()):
        raise ProviderUnavailable(f"{issuer} does not describe itself as that issuer with the needed endpoints")
    _discovered[issuer] = (time.monotonic() + DISCOVERY_TTL_SECONDS, document)
    return document


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, with the provider's endpoints from discovery."""
    if attr in _ENDPOINTS:
        return discovery()[_ENDPOINTS[attr]]
    return import_from_settings(attr, *default)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else [str(value)]


def provider_asserts_mfa(claims: dict[str, Any]) -> bool:
    acr = str(claims.get("acr") or "")
    return (bool(acr) and acr in settings.OIDC_MFA_ACR_VALUES) or bool(
        set(_as_list(claims.get("amr"))) & set(settings.OIDC_MFA_AMR_VALUES))


def roles_from_groups(claims: dict[str, Any]) -> set[str] | None:
    """The roles the provider's groups give, or None when groups are not used."""
    if not settings.OIDC_GROUPS_CLAIM:
        return None
    return {settings.OIDC_GROUP_ROLES[group] for group in _as_list(claims.get(settings.OIDC_GROUPS_CLAIM))
            if group in settings.OIDC_GROUP_ROLES}


def provider_name(claims: dict[str, Any]) -> str:
    """The person's name from the provider, without the invisible characters a typed name may not hold."""
    return without_hidden_characters(str(claims.get(settings.OIDC_NAME_CLAIM) or ""))


def _register(subject: str, claims: dict[str, Any], group_roles: set[str] | None,
              request: HttpRequest | None) -> User:
    email = str(claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip().lower()
    if not (group_roles and group_roles & set(settings.OIDC_SELF_REGISTER_ROLES)):
        raise SignInRefused("unknown_subject", subject=subject, label=email or subject)
    if not email:
        raise SignInRefused("incomplete", subject=subject, label=subject)
    if User.objects.filter(email__iexact=email).exists():
        raise SignInRefused("email_taken", subject=subject, label=email)
    name = provider_name(claims) or email
    with transaction.atomic():
        user = User.objects.create_user(email, None, full_name=name[:150], oidc_subject=subject)
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role, from_provider=True)
                                           for role in sorted(group_roles))
        log_event(AuditAction.CREATE, actor=user, obj=user, request=request,
                  reason="registered through the identity provider", detail={"roles": sorted(group_roles)})
    return user


def _synchronise(user: User, claims: dict[str, Any], group_roles: set[str] | None,
                 request: HttpRequest | None) -> None:
    """Roles from groups follow the groups; name and e-mail follow the provider where they can."""
    held = dict(user.role_assignments.values_list("role", "from_provider"))
    added = sorted(group_roles - set(held)) if group_roles is not None else []
    # Never administrator and privacy officer on one account (the provider cannot give the first, E009).
    added = [role for role in added if not exclusive_combination(set(held) | {role})]
    removed = sorted(role for role, from_provider in held.items()
                     if from_provider and group_roles is not None and role not in group_roles)
    changes: dict[str, list[str]] = {}
    name = provider_name(claims)[:150]
    if name and name != user.full_name:
        changes["full_name"] = [user.full_name, name]
    email = str(claims.get(settings.OIDC_EMAIL_CLAIM) or "").strip().lower()
    if email and email != user.email and not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        changes["email"] = [user.email, email]
    if not (added or removed or changes):
        return
    with transaction.atomic():
        for field, (_before, after) in changes.items():
            setattr(user, field, after)
        if changes:
            user.save(update_fields=list(changes))
        user.role_assignments.filter(role__in=removed, from_provider=True).delete()
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=role, from_provider=True) for role in added)
        log_event(AuditAction.UPDATE, actor=user, obj=user, request=request, reason="identity provider",
                  detail={"changed": changes, "roles_added": added, "roles_removed": removed})
    user.__dict__.pop("_roles", None)


def account_for(claims: dict[str, Any], request: HttpRequest | None = None) -> User:
    """The Netwerkregie account the provider's claims stand for, brought up to date; or SignInRefused."""
    subject = str(claims.get(settings.OIDC_SUBJECT_CLAIM) or "").strip()
    if not subject:
        raise SignInRefused("incomplete")
    group_roles = roles_from_groups(claims)
    user = User.objects.filter(oidc_subject=subject).first()
    if user is None:
        user = _register(subject, claims, group_roles, request)
    elif not user.is_active:
        raise SignInRefused("inactive", subject=subject, label=user.email)
    else:
        _synchronise(user, claims, group_roles, request)
    if not user.role_assignments.exists():
        raise SignInRefused("no_roles", subject=subject, label=user.email)
    user.provider_mfa = provider_asserts_mfa(claims)  # type: ignore[attr-defined]
    return user


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with discovery, issuer and audience checks and our own accounts."""

    get_settings = staticmethod(oidc_setting)
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Endpoints are read when a sign-in needs them, so a password sign-in never waits for the provider.
        self.UserModel = User

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs:
            return None  # not an OpenID Connect callback (a password sign-in, say)
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audience = _as_list(payload.get("aud"))
        if str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token from another issuer")
        if settings.OIDC_RP_CLIENT_ID not in audience or (len(audience) > 1 and
                                                          payload.get("azp") != settings.OIDC_RP_CLIENT_ID):
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject than the ID token")
        return account_for({**userinfo, **payload}, self.request)

    def get_user(self, user_id: Any) -> User | None:
        # Unlike the library's, a switched-off account ends its sessions at the next request.
        return User.objects.filter(pk=user_id, is_active=True).first()


def _refused(request: HttpRequest, refusal: SignInRefused) -> HttpResponse:
    log_event(AuditAction.LOGIN_FAILED, actor_label=refusal.label[:254], request=request,
              reason="identity provider refused sign-in", detail={"refusal": refusal.code})
    context = {"message": SignInRefused.MESSAGES[refusal.code], "subject": refusal.subject,
               "provider": settings.OIDC_PROVIDER_NAME}
    return render(request, "accounts/oidc_failed.html", context, status=SignInRefused.STATUS.get(refusal.code, 403))


class SignInStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and the PKCE challenge kept in the session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, **kwargs: Any) -> None:
        View.__init__(self, **kwargs)  # the library reads the endpoint here; we read it in get()

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except ProviderUnavailable:
            return _refused(request, SignInRefused("unavailable"))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class SignInCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the library exchanges the code (with the PKCE verifier)
    and checks state and nonce; every way this can fail ends on a page that says what to do."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().get(request)
        except SignInRefused as refusal:
            return _refused(request, refusal)
        except SuspiciousOperation:
            return _refused(request, SignInRefused("tampered"))
        except (requests.RequestException, ProviderUnavailable, ValueError):
            return _refused(request, SignInRefused("unavailable"))

    def login_failure(self) -> HttpResponse:
        has_flow = "oidc_states" in self.request.session or "error" in self.request.GET
        return _refused(self.request, SignInRefused("cancelled" if has_flow else "expired"))

    def login_success(self) -> HttpResponseBase:
        response = super().login_success()
        if getattr(self.user, "provider_mfa", False):
            self.request.session[PROVIDER_MFA_SESSION_KEY] = self.user.pk
        return response


def signed_in_through_provider(request: HttpRequest) -> bool:
    return request.session.get(BACKEND_SESSION_KEY) == BACKEND


class ProviderMultiFactorMiddleware:
    """After django-otp's middleware: a session whose sign-in the provider vouched for as multi-factor
    counts as verified. The mark is set only by ``SignInCallback`` and goes with the session."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        marked = request.session.get(PROVIDER_MFA_SESSION_KEY)
        if marked is not None and signed_in_through_provider(request):
            user = request.user
            request.user = SimpleLazyObject(lambda: _verified_by_provider(user, marked))
        return self.get_response(request)


def _verified_by_provider(user: Any, marked: Any) -> Any:
    if user.is_authenticated and user.pk == marked:
        user.is_verified = lambda: True
        user.second_factor_by_provider = True
    return user


def end_session_url(request: HttpRequest) -> str:
    """Where the browser goes after signing out so that the provider ends its session too: the provider's
    end_session_endpoint with id_token_hint, client_id and the sign-in page as post_logout_redirect_uri.
    Empty for a password sign-in, and where the provider has no such endpoint or cannot be reached (then
    only Netwerkregie's session ends, and the log says why)."""
    if not (settings.OIDC_ENABLED and signed_in_through_provider(request)):
        return ""
    endpoint = settings.OIDC_OP_LOGOUT_ENDPOINT
    if not endpoint:
        try:
            endpoint = str(discovery().get("end_session_endpoint") or "")
        except ProviderUnavailable as error:
            logger.warning("signed out without ending the provider's session: %s", error)
            return ""
    if not endpoint:
        logger.warning("signed out without ending the provider's session: it names no end_session_endpoint")
        return ""
    if "/".join(endpoint.split("/", 3)[:3]) not in settings.OIDC_SIGN_OUT_ORIGINS:
        # The browser would refuse to go there from the sign-out form (form-action), and stay on the page.
        logger.warning("signed out without ending the provider's session: %s is on another origin than the "
                       "issuer; set OIDC_LOGOUT_ENDPOINT", endpoint)
        return ""
    parameters = {"client_id": settings.OIDC_RP_CLIENT_ID,
                  "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:login"))}
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if id_token:
        parameters["id_token_hint"] = str(id_token)
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(parameters)}"


class SignOut(LogoutView):
    """Django's sign-out (POST only, with the CSRF check; audited through ``user_logged_out``), then, after
    a sign-in through the provider, on to the provider to end its session as well."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        at_provider = end_session_url(request)  # read before the session is flushed
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response
