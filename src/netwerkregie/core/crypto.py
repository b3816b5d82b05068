"""Encryption at rest for identifying fields, and keyed hashes to find them again.

Values are encrypted with ``MultiFernet`` over ``settings.FIELD_ENCRYPTION_KEYS``: the first
key encrypts, every key decrypts, so a key is rotated by putting a new one in front and
running ``manage.py rotate_field_keys``. Ciphertext is randomised, so an encrypted column can
never be searched; where a value must be found (a BSN), a keyed hash (HMAC-SHA256 with
``settings.IDENTIFIER_HASH_KEY``) is stored next to it.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from functools import cache
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from None


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of a normalised identifier; ``purpose`` separates hashes of different kinds."""
    key = settings.IDENTIFIER_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


if TYPE_CHECKING:  # what a model's attribute takes and gives; Django's field classes take no subscript at run time
    from django.db.models.expressions import Combinable

    _TextBase = models.TextField[str | Combinable | None, str]
    _DateBase = models.TextField[datetime.date | str | Combinable | None, datetime.date | None]
else:
    _TextBase = _DateBase = models.TextField


class EncryptedTextField(_TextBase):
    """A text value stored as Fernet ciphertext. It cannot be filtered or ordered on."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull", "exact"):
            return None  # no searching inside ciphertext
        return super().get_lookup(lookup_name)


class EncryptedDateField(_DateBase):
    """A date stored as Fernet ciphertext of its ISO form."""

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> Any:
        value = self.to_python(value)
        return None if value is None else encrypt(value.isoformat())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> datetime.date | None:
        if value is None or value == "":
            return None
        return datetime.date.fromisoformat(decrypt(value))

    def get_lookup(self, lookup_name: str) -> Any:
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        return forms.DateField(**{"required": not self.blank, "label": self.verbose_name, **kwargs})
