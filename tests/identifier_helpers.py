"""Forcing a generator to draw a value that is taken: the generator module's ``draw`` returns the values
given first, then draws as usual. Nothing of the database is replaced."""

from types import ModuleType

import pytest

from netwerkregie.core import identifiers
from netwerkregie.core.models import AuditEvent


def scripted_draw(monkeypatch: pytest.MonkeyPatch, module: ModuleType, *values: str) -> list[str]:
    """``module.draw`` returns ``values`` in turn, then random characters. The list returned empties as the
    values are drawn: a test asserts it is empty to show every value was used."""
    queue = list(values)

    def draw(length: int, alphabet: str = identifiers.READABLE_ALPHABET) -> str:
        if queue:
            value = queue.pop(0)
            assert len(value) == length, f"scripted {value!r} for a draw of {length}"
            return value
        return identifiers.draw(length, alphabet)

    monkeypatch.setattr(module, "draw", draw)
    return queue


def characters(identifier: str) -> str:
    """What the draw returned for ``identifier``: ``C-2026-BCDFG`` -> ``BCDFG``, ``P-BCDFG-HJKLM`` ->
    ``BCDFGHJKLM``."""
    prefix = identifier.split("-")[0]
    rest = identifier.removeprefix(prefix + "-")
    if rest[:4].isdigit() and rest[4:5] == "-":  # a reference's year
        rest = rest[5:]
    return rest.replace("-", "")


def other_than(taken: str) -> str:
    """Characters of the readable alphabet, as many as ``taken`` has, that differ from it."""
    for letter in "BCDFG":
        if letter * len(taken) != taken:
            return letter * len(taken)
    raise AssertionError("unreachable")


def events_for(obj: object) -> list[str]:
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))  # type: ignore[attr-defined]
                .order_by("sequence").values_list("action", flat=True))
