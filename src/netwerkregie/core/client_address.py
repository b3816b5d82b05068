"""The one place that decides which address a request came from.

Behind the TLS proxy (``BEHIND_TLS_PROXY=1``) every connection comes from the proxy, so ``REMOTE_ADDR`` is the
proxy's address for everyone. The proxy appends the address it saw to ``X-Forwarded-For``; the right-most entry
is that address, and the only one the proxy vouches for (entries to its left are whatever the client sent).
It is believed only when the connection comes from an address in ``FORWARDED_ALLOW_IPS`` (the same variable
gunicorn reads); from anyone else the header is ignored. The sign-in lockout (django-axes, through
``AXES_CLIENT_IP_CALLABLE``) and the audit log both take the address from here; while a request is served,
``ClientAddressMiddleware`` keeps its address at hand (``current_client_address``) for the audit log, and the
address the request was sent to (``current_origin``) for a link in mail when ``SITE_URL`` is not set. So a service
never takes the request only to pass its address on.
"""

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[bool, tuple[_Network, ...]]:
    """(any peer is trusted, the trusted networks); the setting was checked at start-up (env_networks)."""
    return "*" in entries, tuple(ipaddress.ip_network(entry) for entry in entries if entry != "*")


def _parse(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def from_trusted_proxy(peer: str | None) -> bool:
    if not getattr(settings, "BEHIND_TLS_PROXY", False) or peer is None:
        return False
    any_peer, networks = _trusted(tuple(getattr(settings, "FORWARDED_ALLOW_IPS", ())))
    if any_peer:
        return True
    address = ipaddress.ip_address(peer)
    return any(address in network for network in networks)


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address: the proxy's right-most ``X-Forwarded-For`` entry when the request comes from a
    trusted proxy, otherwise the connection's own address. A header without a valid address there is not
    guessed from: the connection's address is kept."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if from_trusted_proxy(peer):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        client = _parse(forwarded.rsplit(",", 1)[-1]) if forwarded else None
        if client is not None:
            return client
    return peer


# The address of the request being served, for whatever is written while serving it (the audit log's
# source address), so that services need not take the request only to pass its address on.
_current: ContextVar[str | None] = ContextVar("client_address", default=None)
_origin: ContextVar[str | None] = ContextVar("origin", default=None)


def current_client_address() -> str | None:
    """The client address of the request being served (``ClientAddressMiddleware``); None outside one."""
    return _current.get()


def current_origin() -> str | None:
    """Where the request being served was sent (``https://host``, without a trailing slash); None outside one."""
    return _origin.get()


def absolute_url(path: str) -> str:
    """An absolute link to ``path``, for mail: from ``SITE_URL`` when set (the scheduler has no request, and the
    Host header is the client's to choose), else from the request being served; the bare path outside one."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/") + path
    return (current_origin() or "") + path


def _request_origin(request: HttpRequest) -> str | None:
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:  # answered by Django's own checks further in; nothing to link to
        return None


class ClientAddressMiddleware:
    """Sets the client address and the origin for the duration of each request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token, origin = _current.set(client_address(request)), _origin.set(_request_origin(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(origin)
            _current.reset(token)
