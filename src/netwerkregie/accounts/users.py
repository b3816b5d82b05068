"""User administration by the administrator: accounts, roles, deactivation and invitations.

An invitation is a link that lets the new user choose a password; it expires after
INVITATION_VALID_DAYS and stops working once used (the token covers the password hash and the
last sign-in). Nobody, the administrator included, ever sees or sets someone else's password.
Every change of an account or its roles is in the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

from netwerkregie.accounts.forms import password_sign_in_allowed
from netwerkregie.core import grants, second_factor
from netwerkregie.core.audit import log_event
from netwerkregie.core.client_address import absolute_url
from netwerkregie.core.limits import mail_allowed
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import ORGANISATION_ROLES, Role


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt and its own lifetime."""

    key_salt = "netwerkregie.core.users.InvitationTokenGenerator"  # its old home: links already sent stay valid

    def check_token(self, user: User | None, token: str | None) -> bool:
        if not (user and token) or token.count("-") != 1:
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_VALID_DAYS * 86_400


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: User) -> str:
    return reverse("accounts:invitation", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                invitation_tokens.make_token(user)])


def _check(email: str, full_name: str, organisation: Model | None, roles: list[str],
           user: User | None, oidc_subject: str | None) -> tuple[str, dict[str, list[ValidationError]]]:
    errors: dict[str, list[ValidationError]] = {}
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk if user else None).exists():
        errors["email"] = [ValidationError(_("There is already an account with this e-mail address."))]
    if oidc_subject and User.objects.filter(oidc_subject=oidc_subject).exclude(pk=user.pk if user else None).exists():
        errors["oidc_subject"] = [ValidationError(_("Another account already has this identifier."))]
    elif not oidc_subject and set(roles) & set(settings.LOCAL_PASSWORD_DISABLED_ROLES):
        errors["oidc_subject"] = [ValidationError(
            _("Give the identifier: these roles sign in through the identity provider only."))]
    if not full_name.strip():
        errors["full_name"] = [ValidationError(_("Give the person's name."))]
    if not roles:
        errors["roles"] = [ValidationError(_("Give at least one role."))]
    elif set(roles) - set(Role.values):
        errors["roles"] = [ValidationError(_("Unknown role."))]
    elif set(roles) & ORGANISATION_ROLES and organisation is None:
        errors["organisation"] = [ValidationError(_("Partners and core partners work for an organisation: choose it."))]
    return email, errors


def create_user(*, email: str, full_name: str, organisation: Model | None, roles: list[str], actor: User,
                oidc_subject: str = "") -> User:
    """A new account without a password; ``send_invitation`` lets the person choose one, or the person signs
    in through the identity provider with ``oidc_subject``. Roles that see personal data or oversee others
    (SECOND_PERSON_ROLES) wait for a second person's confirmation (``core.grants``); the others hold at once."""
    oidc_subject = oidc_subject.strip()
    email, errors = _check(email, full_name, organisation, roles, None, oidc_subject)
    changes, role_errors = grants.plan_role_changes(None, set(roles), actor=actor)
    if role_errors:
        errors.setdefault("roles", []).extend(ValidationError(message) for message in role_errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(email, None, full_name=full_name.strip(), organisation=organisation,
                                        oidc_subject=oidc_subject or None, created_by=actor)
        grants.apply_role_changes(user, changes, actor=actor)
        log_event(AuditAction.CREATE, actor=actor, obj=user, reason="user administration",
                  detail={"roles": changes.added, "roles_requested": changes.requested,
                          "organisation": organisation.pk if organisation else None,
                          "identity_provider": bool(oidc_subject)})
    return user


def invitation_needed(user: User, roles: list[str]) -> bool:
    """Whether a new account chooses a password: not when one of the roles it holds or waits for signs in
    through the identity provider only."""
    return password_sign_in_allowed(user) and not set(roles) & set(settings.LOCAL_PASSWORD_DISABLED_ROLES)


def update_user(user: User, *, email: str, full_name: str, organisation: Model | None, roles: list[str],
                is_active: bool, actor: User,
                oidc_subject: str | None = None) -> User:
    """Change an account. Deactivating ends every session at the next request (Django signs out users
    who are no longer active); a removed role is gone at the next request too. ``roles`` are those the user
    holds or waits for afterwards: a new one in SECOND_PERSON_ROLES waits for a second person, a waiting one
    left out is withdrawn. Nobody changes their own roles."""
    oidc_subject = user.oidc_subject if oidc_subject is None else (oidc_subject.strip() or None)
    email, errors = _check(email, full_name, organisation, roles, user, oidc_subject)
    if user == actor and not is_active:
        errors.setdefault("__all__", []).append(ValidationError(
            _("You cannot deactivate yourself or take away your own administrator role.")))
    changed = {field: [str(getattr(user, field)), str(value)] for field, value in
               (("email", email), ("full_name", full_name.strip()), ("organisation", organisation),
                ("is_active", is_active), ("oidc_subject", oidc_subject)) if getattr(user, field) != value}
    with transaction.atomic():
        grants.lock_account(user)
        changes, role_errors = grants.plan_role_changes(user, set(roles), actor=actor)
        if role_errors:
            errors.setdefault("roles", []).extend(ValidationError(message) for message in role_errors)
        if {"email", "oidc_subject"} & set(changed) and second_factor.reset_lately(user, actor=actor):
            errors.setdefault("email", []).append(ValidationError(_(
                "You reset this person's second factor recently: another administrator changes their e-mail address "
                "or sign-in identifier. One administrator alone must not be able to take over an account.")))
        if errors:
            raise ValidationError(errors)
        user.email, user.full_name = email, full_name.strip()
        user.organisation, user.is_active, user.oidc_subject = organisation, is_active, oidc_subject
        user.save(update_fields=["email", "full_name", "organisation", "is_active", "oidc_subject"])
        grants.apply_role_changes(user, changes, actor=actor)
        log_event(AuditAction.UPDATE, actor=actor, obj=user, reason="user administration",
                  detail={"changed": changed, **changes.detail()})
    return user


def send_invitation(user: User, *, actor: User) -> str:
    """E-mail the person a link to choose a password; returns the link."""
    if not user.is_active:
        raise ValidationError(_("This account is not active."))
    if not password_sign_in_allowed(user):
        raise ValidationError(_("This person signs in through the identity provider; no invitation is needed."))
    if not mail_allowed("invitation", email=user.email):
        raise ValidationError(_("Several invitations were sent to this person a short while ago. The link in the "
                                "last one still works; try again later if it did not arrive."))
    link = absolute_url(invitation_path(user))  # SITE_URL first: never only the Host header
    context = {"link": link, "days": settings.INVITATION_VALID_DAYS}  # no names: the mail carries none
    with transaction.atomic():  # the outbox row and its audit event together (inside the caller's, if any)
        send_mail(render_to_string("accounts/invitation_subject.txt", context).strip(),
                  render_to_string("accounts/invitation_email.txt", context), None, [user.email])
        log_event(AuditAction.NOTIFY, actor=actor, obj=user, reason="invitation sent")
    return link


def partner_accounts(organisation: Model) -> list[User]:
    """The accounts a coordinator looks after: those of this organisation whose only role is partner."""
    accounts = (User.objects.filter(organisation=organisation, role_assignments__role=Role.PARTNER)
                .prefetch_related("role_assignments").order_by("full_name", "pk"))
    return [user for user in accounts if user.roles == {Role.PARTNER}]


def invite_partner(*, organisation: Model, email: str, full_name: str, actor: User) -> User:
    """The coordinator invites someone at a partner organisation: an account with the partner role only,
    and an e-mailed link that expires after INVITATION_VALID_DAYS; the second factor is set up after it."""
    with transaction.atomic():
        user = create_user(email=email, full_name=full_name, organisation=organisation, roles=[Role.PARTNER],
                           actor=actor)
        send_invitation(user, actor=actor)
    return user


def switch_off_partner(user: User, *, actor: User) -> None:
    """The coordinator ends a partner's access (someone left the school, say); their sessions end at once."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        log_event(AuditAction.UPDATE, actor=actor, obj=user, reason="partner account",
                  detail={"changed": {"is_active": ["True", "False"]}})
