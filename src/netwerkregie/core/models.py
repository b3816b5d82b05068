"""Accounts, roles and the append-only, hash-chained audit log."""

from __future__ import annotations

import functools
import uuid
from functools import partialmethod
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.audit_hash import event_hash
from netwerkregie.core.crypto import EncryptedTextField
from netwerkregie.core.roles import Role, roles_requiring_mfa


class UserQuerySet(AccessQuerySet["User"]):
    def visible_to(self, user: Any) -> UserQuerySet:
        if Role.ADMIN in user_roles(user):
            return self.all()
        if getattr(user, "is_authenticated", False):
            return self.filter(pk=user.pk)
        return self.none()


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user: User = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        user: User = self.get(email__iexact=username or "")
        return user


class User(AbstractBaseUser):
    """A professional who uses Netwerkregie; never a person of concern."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    # Referenced by name: core knows no domain app's code; the network app owns organisations.
    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    # The stable identifier the municipality's identity provider gives this person (its subject claim);
    # sign-in through the provider finds the account by this, never by e-mail address.
    oidc_subject = models.CharField(_("identity at the identity provider"), max_length=255, unique=True, null=True,
                                    blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The administrator who created the account in the application (empty: the command line, the demo, the
    # identity provider): such an account may not be the second pair of eyes on its creator's acts for a while.
    created_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # "A@x.nl" and "a@x.nl" are one address: the database refuses the second, however it is written.
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_in_any_case")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def roles(self) -> frozenset[str]:
        """Roles as of this request; a revoked role is gone on the next request."""
        if not hasattr(self, "_roles"):
            self._roles = frozenset(self.role_assignments.values_list("role", flat=True))
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def requires_mfa(self) -> bool:
        return bool(self.roles & roles_requiring_mfa())

    # Django's permission framework is not used: access follows roles and relationships.
    is_staff = False
    is_superuser = False

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Granted and withdrawn by a group at the identity provider (OIDC_GROUP_ROLES) at each sign-in;
    # roles the administrator grants are never touched by that.
    from_provider = models.BooleanField(_("from a group at the identity provider"), default=False)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="core_roleassignment_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="core_roleassignment_known_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()}"


class GrantOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RoleGrantRequestQuerySet(AccessQuerySet["RoleGrantRequest"]):
    def visible_to(self, user: Any) -> RoleGrantRequestQuerySet:
        """Administrators and the privacy officer: those who may confirm a grant, and who oversee them."""
        if user_roles(user) & {Role.ADMIN, Role.PRIVACY_OFFICER}:
            return self.all()
        return self.none()

    def pending(self) -> RoleGrantRequestQuerySet:
        return self.filter(outcome=GrantOutcome.PENDING)


class RoleGrantRequest(models.Model):
    """A grant of a role in SECOND_PERSON_ROLES: it takes effect only when a second person (another
    administrator, or the privacy officer) confirms it; never the one who asked, never the one who receives it.
    Written only by ``core.grants``."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grant_requests",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("asked by"))
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=GrantOutcome.choices,
                               default=GrantOutcome.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = RoleGrantRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="core_rolegrant_known_role"),
            models.UniqueConstraint(fields=["user", "role"], condition=models.Q(outcome="pending"),
                                    name="core_rolegrant_one_pending"),
            models.CheckConstraint(condition=~models.Q(requested_by=models.F("user")),
                                   name="core_rolegrant_not_for_oneself"),
            models.CheckConstraint(
                condition=models.Q(outcome="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~models.Q(outcome="pending") & models.Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="core_rolegrant_decided_once"),
            # A confirmation or a refusal is a second person's; withdrawing one's own request is not.
            models.CheckConstraint(
                condition=models.Q(outcome__in=["pending", "withdrawn"])
                | (~models.Q(decided_by=models.F("requested_by")) & ~models.Q(decided_by=models.F("user"))),
                name="core_rolegrant_second_person"),
        ]
        indexes = [models.Index(fields=["user", "role", "outcome"])]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} ({self.get_outcome_display()})"


class AuditAction(models.TextChoices):
    VIEW = "view", _("view")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("login failed")
    LOCKOUT = "lockout", _("locked out")
    LOGOUT = "logout", _("logout")
    MFA_ENROLLED = "mfa_enrolled", _("second factor enrolled")
    MFA_VERIFIED = "mfa_verified", _("second factor verified")
    MFA_FAILED = "mfa_failed", _("second factor failed")
    PASSWORD_CHANGED = "password_changed", _("password changed")
    PASSWORD_RESET = "password_reset", _("password reset")
    PURGE = "purge", _("purge")
    LINK = "link", _("link")
    DECIDE = "decide", _("decide")
    NOTIFY = "notify", _("notify")
    ALERT = "alert", _("alert")
    SPECIAL_CATEGORY_CONFIRMED = "special_category_confirmed", _("special category confirmed")
    EMERGENCY_ACCESS = "emergency_access", _("emergency access")
    RESTORE = "restore", _("restore from backup")
    JOB = "job", _("scheduled job")


@functools.cache
def _choice_labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    return dict(field.flatchoices)  # the labels stay lazy: translated when shown, in the language of then


class ChoiceLabels:
    """Marks a model whose ``get_FOO_display`` reads the label from a table kept per field. Django's own
    builds the table again at each call and hashes every choice's lazy label to do so (a translation lookup
    each): on a list of a hundred rows that was a third of the page. Put it before ``models.Model`` in a
    model's bases; ``_choice_displays`` puts the methods in place when the model class is ready."""


def _choice_display(self: models.Model, *, field: models.Field[Any, Any]) -> Any:
    value = getattr(self, field.attname)
    return force_str(_choice_labels(field).get(value, value), strings_only=True)


@receiver(class_prepared, dispatch_uid="core.choice_displays")
def _choice_displays(sender: type[models.Model], **kwargs: Any) -> None:
    """On a ``ChoiceLabels`` model, ``get_FOO_display`` of every field with choices (replacing Django's)."""
    if issubclass(sender, ChoiceLabels):
        for field in sender._meta.concrete_fields:
            if field.choices:
                setattr(sender, f"get_{field.name}_display", partialmethod(_choice_display, field=field))


class AuditEventQuerySet(AccessQuerySet["AuditEvent"]):
    def visible_to(self, user: Any) -> AuditEventQuerySet:
        if Role.PRIVACY_OFFICER in user_roles(user):
            return self.all()
        return self.none()

    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    def __init__(self) -> None:
        super().__init__("The audit log is append-only: events cannot be changed or deleted.")


class AuditEvent(ChoiceLabels, models.Model):
    """One line of the audit log. Written only by ``audit.log_event``; never changed."""

    sequence = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=30, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    reason = models.TextField(_("purpose or reason"), blank=True)
    source_address = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.hash != event_hash(self):
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditChainHead(models.Model):
    """The last sequence number and hash of the chain: its lock, and its tail anchor.

    Writers lock this single row, so the chain stays linear under concurrent writers; the
    verifier compares it with the last event, so deleting events at the tail is detected too.
    """

    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    # The hash of the last event that records a change (not a reading or a sign-in): what is computed from
    # the data, such as the figures, may be kept until it moves (``audit.data_version``).
    changed_hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="core_chainhead_single")]

    def __str__(self) -> str:
        return f"head #{self.sequence}"


class CatalogueEntry(models.Model):
    """A configurable catalogue entry with a fixed code and a Dutch and an English label. Entries are
    deactivated, never deleted, because records refer to them."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label_en if translation.get_language() == "en" else self.label_nl


class Justification(models.Model):
    """A written reason, recorded with its author's name, why processing a registration is still
    necessary and proportionate; it moves the registration's "justified until" date."""

    reason = EncryptedTextField(_("why it is still necessary and proportionate"))
    justified_until = models.DateField(_("justified until"))
    justified_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("by"))
    justified_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-justified_at", "-pk"]


class UnsentSubmission(models.Model):
    """A form posted after its author's session had ended, kept (encrypted, briefly) so that after signing in
    again the author can send it once more instead of typing it anew. Only that author sees it; it is
    deleted when shown, and at ``expires_at`` unseen (core/unsent.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    fields = EncryptedTextField()  # the posted fields as JSON: {name: [values]}
    files_left_out = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"unsent {self.path} ({self.created_at:%Y-%m-%d %H:%M})"
