"""A way back after a lost phone: backup codes beside the authenticator app, and the administrator's reset of
a person's second factor.

Backup codes are django-otp static tokens: each works once (the device deletes it when used), and they are
shown to the person once, when made; the database keeps them only until used or replaced. A reset deletes the
person's authenticator and backup codes; at the next sign-in they set up a new authenticator
(``RequireMultiFactorMiddleware`` sends an account without a device to the set-up)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import start_of_day
from netwerkregie.core.identifiers import READABLE_ALPHABET, draw
from netwerkregie.core.models import AuditAction, AuditEvent, User

BACKUP_CODE_COUNT = 10
BACKUP_CODE_LENGTH = 10  # 28**10: about 48 bits each, and django-otp holds the device after each wrong code
FEW_LEFT = 2  # at this many codes left or fewer, the person is told to make a new set
RESETS_SHOWN_DAYS = 30  # the privacy officer's Vandaag lists the resets of this many days
RESET_REASON = "second factor reset"  # the audit reason's start: "second factor reset: <what the admin typed>"
BACKUP_CODE = re.compile(rf"^[{READABLE_ALPHABET}]{{{BACKUP_CODE_LENGTH}}}$")


def normalise_backup_code(text: str) -> str:
    """As typed (with or without the dash, spaces, lower case) to as stored."""
    return re.sub(r"[\s-]", "", text).upper()


def shown(code: str) -> str:
    """A code as the person reads it: two groups of five."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def backup_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def verify_backup_code(device: StaticDevice, code: str) -> bool:
    """django-otp's ``StaticDevice.verify_token`` (held after wrong codes, the hold lifted by a right one), but
    the code is found and deleted in one DELETE: of two sign-ins with the same code at the same moment only one
    deletes it, so only one passes."""
    if not device.verify_is_allowed()[0]:
        return False
    if StaticToken.objects.filter(device=device, token=code).delete()[0]:
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
        return True
    device.throttle_increment()
    return False


def make_backup_codes(user: User, *, actor: User) -> list[str]:
    """A new set of backup codes for ``user`` (who has an authenticator app), replacing any earlier set; returns
    the codes, to be shown once. Only the person makes their own (``actor`` is the person); audited."""
    if actor != user:
        raise ValidationError(_("Only the person themselves makes their backup codes."))
    if not has_authenticator(user):
        raise ValidationError(_("Set up your authenticator app first; backup codes come with it."))
    drawn: set[str] = set()
    while len(drawn) < BACKUP_CODE_COUNT:  # ten different codes (a repeat is as good as impossible, still)
        drawn.add(draw(BACKUP_CODE_LENGTH))
    codes = sorted(drawn)
    with transaction.atomic():
        replaced = backup_codes_left(user)
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="backup codes", confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        log_event(AuditAction.MFA_ENROLLED, actor=actor, obj=device, reason="backup codes made",
                  detail={"codes": len(codes), "replaced": replaced})
    return [shown(code) for code in codes]


def reset_second_factor(account: User, *, actor: User, reason: str) -> int:
    """The administrator deletes ``account``'s authenticator and backup codes (a lost or replaced phone), for the
    reason they give; the person is told by e-mail and sets up a new authenticator at the next sign-in. Never
    one's own: with a stolen administrator's password, that would undo the second factor that stands in the
    way. Returns the number of devices deleted."""
    reason = " ".join(reason.split())
    if account == actor:
        raise ValidationError(_("You cannot reset your own second factor: another administrator does. Otherwise "
                                "whoever learnt your password could remove the step that still stops them."))
    if not reason:
        raise ValidationError(_("Give the reason for the reset, for example how the person asked for it."))
    if changed_sign_in_lately(account, actor=actor):
        raise ValidationError(_("You changed this person's e-mail address or sign-in identifier recently: another "
                                "administrator resets the second factor. One administrator alone must not be able "
                                "to move an account to an address of their own and remove its second factor."))
    with transaction.atomic():
        deleted = (TOTPDevice.objects.filter(user=account).delete()[1].get("otp_totp.TOTPDevice", 0)
                   + StaticDevice.objects.filter(user=account).delete()[1].get("otp_static.StaticDevice", 0))
        if not deleted:
            raise ValidationError(_("This person has no second factor set up; there is nothing to reset."))
        log_event(AuditAction.DELETE, actor=actor, obj=account,
                  reason=f"{RESET_REASON}: {reason}", detail={"devices": deleted})
        context = {"user": account}
        send_mail(render_to_string("accounts/second_factor_reset_subject.txt", context).strip(),
                  render_to_string("accounts/second_factor_reset_email.txt", context), None, [account.email])
    return deleted


def _own_acts_on(account: User, actor: User) -> Any:
    since = timezone.now() - datetime.timedelta(days=settings.FOUR_EYES_INDEPENDENCE_DAYS)
    return AuditEvent.objects.filter(object_type="core.user", object_id=str(account.pk), actor=actor,
                                     occurred_at__gte=since)


def changed_sign_in_lately(account: User, *, actor: User) -> bool:
    """``actor`` changed ``account``'s e-mail address or identity-provider subject within
    FOUR_EYES_INDEPENDENCE_DAYS (the audit log's user-administration events say which fields changed)."""
    details = _own_acts_on(account, actor).filter(action=AuditAction.UPDATE).values_list("detail", flat=True)
    return any({"email", "oidc_subject"} & set((detail or {}).get("changed", {})) for detail in details)


def reset_lately(account: User, *, actor: User) -> bool:
    """``actor`` reset ``account``'s second factor within FOUR_EYES_INDEPENDENCE_DAYS."""
    return _own_acts_on(account, actor).filter(action=AuditAction.DELETE,
                                               reason__startswith=f"{RESET_REASON}: ").exists()


def recent_resets(viewer: User, since: datetime.date) -> list[dict[str, Any]]:
    """Second-factor resets from ``since`` on as ``viewer`` may read them in the audit log, newest first: when,
    ``whose`` (the account's name) and ``by`` (the administrator's). Reads only those columns (no hashes)."""
    events = list(AuditEvent.objects.visible_to(viewer)
                  .filter(action=AuditAction.DELETE, object_type="core.user", reason__startswith=f"{RESET_REASON}: ",
                          occurred_at__gte=start_of_day(since))
                  .order_by("-occurred_at", "-sequence")
                  .values("sequence", "occurred_at", "object_id", "actor_label", "actor__full_name"))
    names = dict(User.objects.filter(pk__in=[int(e["object_id"]) for e in events]).values_list("pk", "full_name"))
    for event in events:
        event["whose"] = names.get(int(event["object_id"]), event["object_id"])
        event["by"] = event["actor__full_name"] or event["actor_label"]
    return events
