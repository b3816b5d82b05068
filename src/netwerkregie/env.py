"""Strict parsers for settings taken from the environment.

A value that cannot be parsed stops start-up with a message naming the variable, so a typo in
production configuration is found at deploy time and never silently turns into a default.

Every variable can also be given as a file: ``NAME_FILE=/run/secrets/name`` reads the value from that
file (one trailing newline dropped), as Docker and Kubernetes mount secrets. Giving both ``NAME`` and
``NAME_FILE`` stops start-up, so nobody wonders which one is in force.
"""

import ipaddress
import os
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    """The variable's value from the environment or from the file ``NAME_FILE`` names; None if neither."""
    path = os.environ.get(f"{name}_FILE")
    if path is None:
        return os.environ.get(name)
    if name in os.environ:
        raise ImproperlyConfigured(f"Give either {name} or {name}_FILE, not both.")
    try:
        value = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"{name}_FILE names a file that cannot be read: {error}.") from None
    return value.removesuffix("\n").removesuffix("\r")


def env_str(name: str, default: str | None = None) -> str:
    value = _raw(name)
    value = default if value is None else value
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = _raw(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_clock(name: str, default: str) -> str:
    """A time of day as HH:MM (24-hour)."""
    raw = _raw(name)
    raw = (default if raw is None else raw).strip()
    hour, sep, minute = raw.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM; got {raw!r}.")
    return f"{int(hour):02d}:{int(minute):02d}"


def env_map(name: str) -> dict[str, str]:
    """Pairs as ``key=value,key2=value2``; a pair without ``=`` stops start-up."""
    mapping: dict[str, str] = {}
    for item in env_list(name, []):
        key, sep, value = item.partition("=")
        if not (sep and key.strip() and value.strip()):
            raise ImproperlyConfigured(f"{name} must be pairs as key=value separated by commas; got {item!r}.")
        mapping[key.strip()] = value.strip()
    return mapping


def env_rate(name: str, default: str) -> str:
    """A request rate as DRF reads it: a number, "/" and a period (s, min, hour or day), e.g. ``60/min``."""
    raw = _raw(name)
    raw = (default if raw is None else raw).strip()
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", raw):
        raise ImproperlyConfigured(f"{name} must be a number of requests per s, min, hour or day; got {raw!r}.")
    return raw


def env_networks(name: str, default: list[str]) -> list[str]:
    """IP addresses or networks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``), or ``*`` for any, separated by
    commas, as gunicorn reads the same variable; anything else stops start-up."""
    values = env_list(name, default)
    for value in values:
        if value == "*":
            continue
        try:
            ipaddress.ip_network(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must be IP addresses or networks (such as 10.0.0.0/8) separated by commas, or *; "
                f"got {value!r}.") from None
    return values
