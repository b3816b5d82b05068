"""Telling people that work waits for them: at once, in their daily digest, or not at all, as each chose.

Call ``notify`` (one act, one kind) or ``announce`` (the daily job: several kinds and counts per person) inside
the act's transaction: a mail goes into the outbox (``core.outbox``), work for the digest into ``Waiting``, and
both go or stay with the act. Never an inactive account, never the actor about their own act; one message per
recipient. Mail carries no personal data: what kind of work waits, how much, and links that need signing in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from netwerkregie.core.client_address import absolute_url
from netwerkregie.core.models import User
from netwerkregie.core.outbox import queue_mail
from netwerkregie.notifications.models import (
    ALWAYS_AT_ONCE,
    DEFAULT_DELIVERY,
    DEFAULT_DIGEST_HOUR,
    NEVER_OFF,
    Delivery,
    Kind,
    NotificationSettings,
    Preference,
    Waiting,
    roles_for,
)

# The page behind each kind's link (a list that needs signing in; never one record's page).
PAGES = {
    Kind.REFERRAL_RECEIVED: "sharing:inbox", Kind.APPROVAL_REQUESTED: "sharing:approval_list",
    Kind.ADDED_TO_CASE_TEAM: "home", Kind.NEW_SIGNAL: "intake:triage", Kind.ACUTE_SIGNAL: "intake:triage",
    Kind.REVIEW_DUE: "home", Kind.REJUSTIFICATION_DUE: "home", Kind.REQUEST_DEADLINE: "privacy:requests",
    Kind.TOKEN_EXPIRING: "home",
}
ORDER = list(Kind.values)


def link(name: str) -> str:
    """An absolute link to the page named ``name`` (``core.client_address.absolute_url``: ``SITE_URL`` first)."""
    return absolute_url(reverse(name))


def deliveries(users: list[User]) -> dict[tuple[int, str], str]:
    """Each person's chosen delivery per kind, where they chose one."""
    if not users:
        return {}
    return {(user_id, kind): delivery for user_id, kind, delivery in Preference.objects.filter(
        user__in=users).values_list("user_id", "kind", "delivery")}


def delivery_for(chosen: Mapping[tuple[int, str], str], user_id: int, kind: str) -> str:
    if kind in ALWAYS_AT_ONCE:
        return Delivery.AT_ONCE
    return chosen.get((user_id, kind), DEFAULT_DELIVERY)


def _told(recipients: Iterable[User] | QuerySet[User], actor: User | None) -> list[User]:
    """The active accounts among ``recipients``, but not the actor: read fresh, in one query."""
    users = (recipients if isinstance(recipients, QuerySet)
             else User.objects.filter(pk__in=[user.pk for user in recipients]))
    users = users.filter(is_active=True)
    if actor is not None:
        users = users.exclude(pk=actor.pk)
    return list(users.distinct().order_by("pk"))


def notify(kind: str, recipients: Iterable[User] | QuerySet[User], *, actor: User | None = None) -> list[User]:
    """One act's notification to ``recipients``; returns those told at once."""
    return _deliver_to(_told(recipients, actor), lambda user: {kind: 1})


def announce(work: Mapping[User, Mapping[str, int]], *, actor: User | None = None) -> list[User]:
    """Per person, the kinds of work and how many of each: mailed at once, kept for the digest or dropped, as
    the person chose. Returns the people mailed at once."""
    wanted = {user.pk: counts for user, counts in work.items() if any(counts.values())}
    people = _told(User.objects.filter(pk__in=wanted), actor) if wanted else []
    return _deliver_to(people, lambda user: wanted[user.pk])


def _deliver_to(people: list[User], counts_of: Callable[[User], Mapping[str, int]]) -> list[User]:
    chosen = deliveries(people)
    mails: dict[tuple[tuple[str, int], ...], list[User]] = defaultdict(list)
    later = []
    for user in people:
        now: dict[str, int] = {}
        theirs = set(kinds_for(user))  # only work of the person's roles (FOR_ROLES), whoever called
        for kind, count in counts_of(user).items():
            if kind not in theirs:
                continue
            how = delivery_for(chosen, user.pk, kind)
            if how == Delivery.AT_ONCE:
                now[kind] = now.get(kind, 0) + count
            elif how == Delivery.DIGEST:
                later.append(Waiting(user=user, kind=kind, count=count))
        if now:
            mails[tuple(sorted(now.items(), key=lambda item: ORDER.index(item[0])))].append(user)
    if later:
        Waiting.objects.bulk_create(later)
    for lines, users in mails.items():
        _mail_at_once(dict(lines), users)
    return [user for users in mails.values() for user in users]


def _mail_at_once(counts: dict[str, int], users: list[User]) -> None:
    addresses = [user.email for user in users]
    acute = counts.pop(Kind.ACUTE_SIGNAL, 0)
    if acute:  # the alert of old, first in the queue; it never waits behind other mail
        queue_mail(template="acute_danger", recipients=addresses, urgent=True,
                   context={"link": link(PAGES[Kind.ACUTE_SIGNAL])})
    if counts:
        queue_mail(template="waiting_work", recipients=addresses, context=mail_context(counts))


def mail_context(counts: Mapping[str, int], *,
                 digest: bool = False) -> dict[str, Any]:
    lines = [{"kind": kind, "count": count, "link": link(PAGES[Kind(kind)])}
             for kind, count in sorted(counts.items(), key=lambda item: ORDER.index(item[0])) if count]
    return {"lines": lines, "digest": digest, "settings_link": link("accounts:account")}


# --- Each person's choices (on "My account") ------------------------------------------------------------

def kinds_for(user: User) -> list[str]:
    """The kinds of work that concern this person's roles, in a fixed order."""
    return [kind for kind in ORDER if roles_for(kind) & user.roles]


def choices_of(user: User) -> tuple[dict[str, str], int]:
    chosen = deliveries([user])
    hour = NotificationSettings.objects.filter(user=user).values_list("digest_hour", flat=True).first()
    return ({kind: delivery_for(chosen, user.pk, kind) for kind in kinds_for(user)},
            DEFAULT_DIGEST_HOUR if hour is None else hour)


def save_choices(user: User, *, choices: Mapping[str, str], digest_hour: int) -> None:
    """A person's own choices: per kind of their roles at once, in the digest or (where allowed) off, and the
    hour of their digest. Kinds that are always at once are not theirs to choose."""
    errors = []
    if not 0 <= digest_hour <= 23:
        errors.append(ValidationError(_("Choose an hour between 0 and 23.")))
    for kind, how in choices.items():
        if kind not in kinds_for(user) or kind in ALWAYS_AT_ONCE or how not in Delivery.values:
            errors.append(ValidationError(_("This choice is not available.")))
        elif how == Delivery.OFF and kind in NEVER_OFF:
            errors.append(ValidationError(_("%(kind)s cannot be switched off: the work is lost when nobody acts "
                                            "in time.") % {"kind": Kind(kind).label}))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        NotificationSettings.objects.update_or_create(user=user, defaults={"digest_hour": digest_hour})
        for kind, how in choices.items():
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": how})
