"""Per-organisation API tokens. Only a SHA-256 digest of the token is stored; the token itself
is shown once, when it is issued."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.identifiers import save_with_fresh

PREFIX_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def expiring(self, today: datetime.date) -> ApiTokenQuerySet:
        """Unrevoked tokens that expire within API_TOKEN_EXPIRY_NOTICE_DAYS of ``today``, or expired as long
        ago: a partner system soon cut off, or cut off lately, soonest first."""
        notice = datetime.timedelta(days=settings.API_TOKEN_EXPIRY_NOTICE_DAYS)
        midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
        return (self.filter(revoked_at__isnull=True, expires_at__gte=midnight - notice,
                            expires_at__lt=midnight + notice + datetime.timedelta(days=1))
                .select_related("organisation").order_by("expires_at", "pk"))


class ApiToken(models.Model):
    """A token with which one organisation's system may submit signals and read their status."""

    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="api_tokens")
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # From this moment the token is refused (401); set at issue, API_TOKEN_VALID_DAYS ahead.
    expires_at = models.DateTimeField(_("expires"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.has_expired()

    def has_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @classmethod
    def issue(cls, organisation: object, label: str = "") -> tuple[ApiToken, str]:
        """A new token for ``organisation``, valid API_TOKEN_VALID_DAYS; a token whose prefix another token has
        is drawn again."""
        now = timezone.now()
        record = cls(organisation=organisation, label=label, created_at=now,
                     expires_at=now + datetime.timedelta(days=settings.API_TOKEN_VALID_DAYS))
        token = ""

        def draw_token() -> None:
            nonlocal token
            token = new_token()
            record.prefix, record.digest = token[:PREFIX_LENGTH], digest(token)

        draw_token()
        save_with_fresh(record, "prefix", redraw=draw_token)
        return record, token
