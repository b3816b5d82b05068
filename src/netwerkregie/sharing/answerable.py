"""Who can answer a referral: an organisation is answerable when it has an active account with the
receiving-organisation role that can sign in (a password set, or an identity at the identity provider).
A referral to any other organisation would wait unseen until it expires, so the form says so first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Q

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.network.models import Organisation


def receivers() -> Q:
    """Accounts that can sign in and answer referrals (an invitation not yet taken up has no usable password)."""
    with_password = ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX) & ~Q(password__exact="")
    can_sign_in = with_password | Q(oidc_subject__isnull=False)
    return Q(is_active=True, role_assignments__role=Role.RECIPIENT) & can_sign_in


def unanswerable(organisations: Iterable[Organisation]) -> list[Organisation]:
    """The organisations among ``organisations`` that nobody can answer a referral for."""
    answerable = set(User.objects.filter(receivers(), organisation__in=list(organisations))
                     .values_list("organisation_id", flat=True))
    return [organisation for organisation in organisations if organisation.pk not in answerable]


def administrators() -> list[User]:
    """Whom to ask for an account: the active administrators."""
    return list(User.objects.filter(is_active=True, role_assignments__role=Role.ADMIN).order_by("full_name"))


def warning(form: Any, user: User) -> dict[str, Any]:
    """What the referral form tells about organisations nobody can answer for: which, the one chosen if it is
    one of them, and how to get someone an account (the administrator invites; others are told whom to ask)."""
    chosen = form.data.get("organisation") if form.is_bound else None
    return {"unanswerable": form.unanswerable,
            "chosen_unanswerable": next((o for o in form.unanswerable if str(o.pk) == chosen), None),
            "may_invite": user.has_role(Role.ADMIN),
            "administrators": administrators()}
