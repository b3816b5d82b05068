"""What django-axes counts sign-in failures by, the page a locked-out person sees, and lifting a lockout.

Failures are counted per account (the sign-in name as typed, trimmed and in lower case, as the user model
finds it) and per client address (``core.client_address``). ``LOGIN_FAILURE_LIMIT`` failures within
``LOGIN_LOCKOUT_MINUTES`` hold that account for every address, or hold that address for every account; one
client's failures never count against another client's address. The owner of a held account gets in by
resetting the password: the mailed link proves the mailbox, the reset lifts the account's lockout and the
second factor's throttle, and signs the person in (the second factor is still asked).
"""

from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessBase
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from netwerkregie.core.audit import log_event
from netwerkregie.core.client_address import client_address
from netwerkregie.core.models import AuditAction


def sign_in_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the name the form posted (``username``: the e-mail address), normalised so that
    ``Carla@Example.nl`` and ``carla@example.nl`` are one account."""
    name = (credentials or {}).get("username")
    if name is None and request is not None and request.method == "POST":
        name = getattr(request, "data", request.POST).get("username")
    name = str(name or "").strip().lower()[:255]
    return name or None


def lockout_parameters(request_or_attempt: Any, credentials: dict[str, Any] | None = None) -> list[list[str]]:
    """AXES_LOCKOUT_PARAMETERS: per account and per address; an attempt without a name (the identity provider's
    callback) only per address, so nameless failures are never one shared "account"."""
    if isinstance(request_or_attempt, AccessBase):
        name = request_or_attempt.username
    else:
        name = get_client_username(request_or_attempt, credentials)
    return [["username"], ["ip_address"]] if name else [["ip_address"]]


def _failures(**match: str) -> int:
    since = timezone.now() - (get_cool_off() or timedelta(0))
    total = AccessAttempt.objects.filter(attempt_time__gte=since, **match).aggregate(n=Sum("failures_since_start"))
    return total["n"] or 0


def lockout_response(request: HttpRequest, original_response: Any = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: say what is held (this account, or this address), for how long, and the way in."""
    name = get_client_username(request, credentials)
    account_held = bool(name) and _failures(username=name) >= settings.AXES_FAILURE_LIMIT
    address = client_address(request)
    address_held = address is not None and _failures(ip_address=address) >= settings.AXES_FAILURE_LIMIT
    context = {
        "account_held": account_held,
        "address_held": address_held,
        "minutes": int((get_cool_off(request) or timedelta(0)).total_seconds() // 60),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/locked_out.html", context, status=429)


def clear_account(email: str) -> int:
    """Lift the lockout of one account: every failure recorded against its name goes (those records also
    counted for their addresses). Returns how many records went."""
    deleted: int = AccessAttempt.objects.filter(username=email.strip().lower()).delete()[0]
    return deleted


def account_failures(email: str) -> int:
    """Failed sign-ins counted against this account within the lockout window."""
    return _failures(username=email.strip().lower())


def unlock_account(user: Any, *, actor: Any) -> int:
    """The administrator lifts an account's sign-in lockout (the person called, say); audited."""
    from django.db import transaction

    with transaction.atomic():
        failures = account_failures(user.email)
        records = clear_account(user.email)
        log_event(AuditAction.UPDATE, actor=actor, obj=user, reason="sign-in lockout lifted",
                  detail={"failures_cleared": failures})
    return records
