"""Audit events for authentication, which Django and django-axes announce through signals."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from netwerkregie.core.audit import log_event
from netwerkregie.core.lockout import clear_account
from netwerkregie.core.models import AuditAction


@receiver(user_logged_in)
def audit_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if getattr(user, "backend", "") == "netwerkregie.accounts.oidc.ProviderBackend":
        log_event(AuditAction.LOGIN, actor=user, request=request, reason="identity provider accepted",
                  detail={"second_factor": "identity provider" if getattr(user, "provider_mfa", False)
                          else "own second factor if the role needs one"})
    else:
        clear_account(user.email)
        log_event(AuditAction.LOGIN, actor=user, request=request, reason="password accepted")


@receiver(user_logged_out)
def audit_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        log_event(AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The credentials are already cleansed of the password by Django.
    attempted = str(credentials.get("username", ""))[:254]
    log_event(AuditAction.LOGIN_FAILED, actor_label=attempted, request=request)


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: HttpRequest, username: str, **kwargs: Any) -> None:
    log_event(AuditAction.LOCKOUT, actor_label=(username or "")[:254], request=request)
