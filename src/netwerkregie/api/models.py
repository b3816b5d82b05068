"""Per-organisation API tokens. Only a SHA-256 digest of the token is stored; the token itself
is shown once, when it is issued."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.identifiers import save_with_fresh

PREFIX_LENGTH = 8


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A token with which one organisation's system may submit signals and read their status."""

    organisation = models.ForeignKey("network.Organisation", on_delete=models.PROTECT, related_name="api_tokens")
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "created_at"]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, organisation: object, label: str = "") -> tuple[ApiToken, str]:
        """A new token for ``organisation``; a token whose prefix another token has is drawn again."""
        record = cls(organisation=organisation, label=label)
        token = ""

        def draw_token() -> None:
            nonlocal token
            token = new_token()
            record.prefix, record.digest = token[:PREFIX_LENGTH], digest(token)

        draw_token()
        save_with_fresh(record, "prefix", redraw=draw_token)
        return record, token
