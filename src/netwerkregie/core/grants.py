"""Separation of duties: who may give whom which role.

* Nobody changes their own roles, the administrator included.
* A grant of a role in ``SECOND_PERSON_ROLES`` (it sees personal data or oversees others) waits as a
  ``RoleGrantRequest`` until a second person confirms it: another administrator or the privacy officer, never
  the one who asked and never the one who receives it. A refusal says why. Removing a role takes effect at once.
* Administrator and privacy officer are never one account's, held or waiting.
* ``arranged_by`` names who created an account or arranged one of its roles lately: the four-eyes approvals
  (``sharing.services``) do not let those approve each other's acts.

The very first administrator, and the privacy officer beside them, are made on the command line
(``manage.py create_user``): outside the application, and audited. Every change here is audited in the same
transaction as the change itself."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.access import user_roles
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, GrantOutcome, RoleAssignment, RoleGrantRequest, User
from netwerkregie.core.roles import SECOND_PERSON_ROLES, Role, exclusive_combination
from netwerkregie.core.validators import clean_text

RECENT_DAYS = 30  # decided grants stay on the privacy officer's "today" this long
DECIDERS = frozenset({Role.ADMIN, Role.PRIVACY_OFFICER})


@dataclass
class RoleChanges:
    added: list[str] = field(default_factory=list)  # at once
    removed: list[str] = field(default_factory=list)  # at once
    requested: list[str] = field(default_factory=list)  # waiting for a second person
    withdrawn: list[str] = field(default_factory=list)  # a waiting request no longer wanted

    def detail(self) -> dict[str, list[str]]:
        return {"roles_added": self.added, "roles_removed": self.removed, "roles_requested": self.requested,
                "roles_withdrawn": self.withdrawn}


def pending_roles(user: User) -> set[str]:
    return set(user.role_grant_requests.filter(outcome=GrantOutcome.PENDING).values_list("role", flat=True))


def plan_role_changes(user: User | None, wanted: set[str], *, actor: User) -> tuple[RoleChanges, list[str]]:
    """What giving ``user`` (None: a new account) the roles ``wanted`` means, and what forbids it. ``wanted`` is
    the roles held and waiting afterwards, as the user form shows them."""
    held = set(user.role_assignments.values_list("role", flat=True)) if user else set()
    pending = pending_roles(user) if user else set()
    errors = []
    if user is not None and user.pk == actor.pk and wanted != held | pending:
        errors.append(_("You cannot change your own roles: another administrator does."))
    if exclusive_combination(wanted):
        errors.append(_("One account cannot be both administrator and data protection officer: who grants roles "
                        "does not review the log of those grants."))
    new = wanted - held - pending
    return RoleChanges(added=sorted(new - SECOND_PERSON_ROLES), removed=sorted(held - wanted),
                       requested=sorted(new & SECOND_PERSON_ROLES), withdrawn=sorted(pending - wanted)), errors


def apply_role_changes(user: User, changes: RoleChanges, *, actor: User) -> None:
    """Write a plan from ``plan_role_changes``; the caller holds the transaction and writes the audit event."""
    now = timezone.now()
    user.role_assignments.filter(role__in=changes.removed).delete()
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r, granted_by=actor) for r in changes.added)
    user.role_grant_requests.filter(role__in=changes.withdrawn, outcome=GrantOutcome.PENDING).update(
        outcome=GrantOutcome.WITHDRAWN, decided_by=actor, decided_at=now)
    RoleGrantRequest.objects.bulk_create(RoleGrantRequest(user=user, role=r, requested_by=actor, requested_at=now)
                                         for r in changes.requested)
    user.__dict__.pop("_roles", None)


def lock_account(user: User) -> User:
    """Lock the account's row: role changes and confirmations for one person happen one after another, so two
    of them cannot together make a combination that each alone would refuse."""
    locked: User = User.objects.select_for_update().get(pk=user.pk)
    return locked


def may_decide(grant: RoleGrantRequest, user: Any) -> bool:
    return (grant.outcome == GrantOutcome.PENDING and bool(user_roles(user) & DECIDERS)
            and user.pk not in (grant.user_id, grant.requested_by_id))


def _check_decider(grant: RoleGrantRequest, actor: User) -> None:
    if grant.outcome != GrantOutcome.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if actor.pk == grant.requested_by_id:
        raise ValidationError(_("You asked for this role yourself: another administrator or the data protection "
                                "officer confirms it."))
    if actor.pk == grant.user_id:
        raise ValidationError(_("Nobody confirms a role for themselves."))
    if not user_roles(actor) & DECIDERS:
        raise ValidationError(_("Only an administrator or the data protection officer confirms a role."))


def confirm_grant(grant: RoleGrantRequest, *, actor: User) -> RoleGrantRequest:
    """A second person confirms: the role takes effect now (at the holder's next request)."""
    with transaction.atomic():
        account = lock_account(grant.user)
        grant = RoleGrantRequest.objects.select_for_update().get(pk=grant.pk)
        _check_decider(grant, actor)
        held = set(account.role_assignments.values_list("role", flat=True))
        if exclusive_combination(held | {grant.role}):
            raise ValidationError(_("One account cannot be both administrator and data protection officer: who "
                                    "grants roles does not review the log of those grants."))
        if not account.is_active:
            raise ValidationError(_("This account is not active."))
        grant.outcome, grant.decided_by, grant.decided_at = GrantOutcome.CONFIRMED, actor, timezone.now()
        grant.save(update_fields=["outcome", "decided_by", "decided_at"])
        RoleAssignment.objects.get_or_create(user=account, role=grant.role, defaults={
            "granted_by": grant.requested_by, "granted_at": grant.decided_at})
        log_event(AuditAction.DECIDE, actor=actor, obj=account, reason="role grant confirmed",
                  detail={"role": grant.role, "role_grant": grant.pk, "requested_by": grant.requested_by_id})
    return grant


def refuse_grant(grant: RoleGrantRequest, *, actor: User, reason: str) -> RoleGrantRequest:
    """A second person refuses, saying why; the role never takes effect."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why you refuse, so the administrator who asked knows.")})
    try:
        reason = clean_text(reason, 1_000, required=True)
    except ValidationError as error:
        raise ValidationError({"reason": error}) from None
    with transaction.atomic():
        grant = RoleGrantRequest.objects.select_for_update().get(pk=grant.pk)
        _check_decider(grant, actor)
        grant.outcome, grant.decided_by, grant.decided_at = GrantOutcome.REFUSED, actor, timezone.now()
        grant.reason = reason
        grant.save(update_fields=["outcome", "decided_by", "decided_at", "reason"])
        log_event(AuditAction.DECIDE, actor=actor, obj=grant.user, reason="role grant refused",
                  detail={"role": grant.role, "role_grant": grant.pk, "requested_by": grant.requested_by_id})
    return grant


def to_decide(user: Any) -> Any:
    """The waiting grants this person may confirm or refuse: asked by someone else, for someone else."""
    if not user_roles(user) & DECIDERS:
        return RoleGrantRequest.objects.none()
    return (RoleGrantRequest.objects.visible_to(user).pending().exclude(requested_by=user).exclude(user=user)
            .select_related("user", "requested_by").order_by("requested_at", "pk"))


def recently_decided(user: Any, today: datetime.date) -> Any:
    """Grants confirmed, refused or withdrawn in the last RECENT_DAYS days."""
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=RECENT_DAYS),
                                                          datetime.time.min))
    return (RoleGrantRequest.objects.visible_to(user).exclude(outcome=GrantOutcome.PENDING)
            .filter(decided_at__gte=since).select_related("user", "requested_by", "decided_by")
            .order_by("-decided_at", "-pk"))


def arranged_by(user: User, role: str) -> set[int]:
    """The accounts that created ``user``'s account, or asked for, confirmed or granted its ``role``, within the
    last FOUR_EYES_INDEPENDENCE_DAYS days. Such a person and ``user`` are not two independent pairs of eyes."""
    since = timezone.now() - datetime.timedelta(days=settings.FOUR_EYES_INDEPENDENCE_DAYS)
    ids = {user.created_by_id} if user.created_by_id and user.date_joined >= since else set()
    for asked, decided in (user.role_grant_requests.filter(role=role, outcome=GrantOutcome.CONFIRMED,
                                                           decided_at__gte=since)
                           .values_list("requested_by", "decided_by")):
        ids |= {asked, decided}
    ids |= set(user.role_assignments.filter(role=role, granted_at__gte=since, granted_by__isnull=False)
               .values_list("granted_by", flat=True))
    return ids
