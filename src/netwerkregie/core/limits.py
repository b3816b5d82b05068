"""Counters with a window, for mails that carry a link to set a password (reset and invitation).

Each kind is counted per account (the address the mail goes to, in lower case, hashed) and per client address
(``core.client_address``), in the ``shared`` cache (a database cache, settings.CACHES), so every gunicorn
worker and instance counts together: a key lives for ``ACCOUNT_MAIL_WINDOW_MINUTES`` from its first count.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from netwerkregie.core.client_address import client_address, current_client_address

_LIMITS = {
    "password_reset": ("PASSWORD_RESET_MAILS_PER_ACCOUNT", "PASSWORD_RESET_MAILS_PER_ADDRESS"),
    "invitation": ("INVITATION_MAILS_PER_ACCOUNT", "INVITATION_MAILS_PER_ADDRESS"),
}


def _count(key: str) -> int:
    window = settings.ACCOUNT_MAIL_WINDOW_MINUTES * 60
    cache = caches["shared"]
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first count of a new window
        cache.set(key, 1, window)
        return 1


def _key(kind: str, scope: str, value: str) -> str:
    return f"mail-limit:{kind}:{scope}:{hashlib.sha256(value.encode()).hexdigest()}"


def mail_allowed(kind: str, *, email: str, request: HttpRequest | None = None) -> bool:
    """Count one mail of this kind to ``email`` asked from this request's address; False when either count is
    past its limit (the mail is then not sent). Every request counts, also for an address without an account,
    so the answer says nothing about which accounts exist. Without ``request``: the address of the request being
    served (``ClientAddressMiddleware``)."""
    per_account, per_address = (getattr(settings, name) for name in _LIMITS[kind])
    account_ok = _count(_key(kind, "account", email.strip().lower())) <= per_account
    address = client_address(request) if request is not None else current_client_address()
    address_ok = address is None or _count(_key(kind, "address", address)) <= per_address
    return account_ok and address_ok
