"""Generated identifiers: the references and pseudonyms people read from a phone's screen and out over the
phone, drawn at random, and drawn again when the value drawn is already taken.

Every generator draws its characters with ``draw`` and every insert of a record with a generated
identifier goes through ``save_with_fresh``: a collision is then a redraw inside the same transaction,
never an error for the user, however full the identifier's space gets (until ``ATTEMPTS`` draws in a row
are taken, which at the lengths used is beyond any municipality's or the country's numbers: see
``people.models.new_pseudonym`` and ``bench/references.py``).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

# No vowels (an identifier never spells a word) and no look-alikes (0/O, 1/I): read aloud and
# typed back without a question. 28 characters.
READABLE_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"

# Draws of one insert before giving up. A collision needs the value drawn to be taken already: at a
# space filled to a fraction f, ten in a row happen with probability f**10 (1e-39 for a year's 2,000 case
# references among 17.2 million).
ATTEMPTS = 10

logger = logging.getLogger(__name__)


class NoFreeIdentifier(RuntimeError):
    """``ATTEMPTS`` draws in a row were taken: the identifier's space is (nearly) full and must grow."""


def draw(length: int, alphabet: str = READABLE_ALPHABET) -> str:
    """``length`` characters of ``alphabet``, each from the operating system's random source."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def grouped(characters: str, size: int = 5) -> str:
    """``BCDFGHJKLM`` as ``BCDFG-HJKLM``: groups of five are read out, and typed back, without losing one's
    place."""
    return "-".join(characters[start:start + size] for start in range(0, len(characters), size))


def save_with_fresh(obj: Any, field: str, *, save: Callable[[], object] | None = None,
                    redraw: Callable[[], object] | None = None, attempts: int = ATTEMPTS) -> None:
    """Insert ``obj``, whose ``field`` holds a generated value, drawing that value again while it is taken.

    ``save`` does the insert and whatever belongs with it (related rows, the audit event); it runs in an
    atomic block of its own: the caller's transaction when there is none around it, a savepoint inside the
    caller's otherwise, so a failed insert leaves nothing behind and the caller's transaction stays usable
    (PostgreSQL refuses every statement after an error until a savepoint is rolled back). When it raises
    IntegrityError and the value in ``field`` now exists, that was the collision: ``redraw`` (by default
    the field's own default, its generator) sets a new value and ``save`` runs again. Any other
    IntegrityError (another unique field, a BSN registered at the same moment) is re-raised as it came:
    the caller tells the user about that one. ``NoFreeIdentifier`` after ``attempts`` taken draws.
    """
    model = type(obj)
    insert = save or (lambda: obj.save(force_insert=True))
    fresh = redraw or (lambda: setattr(obj, field, model._meta.get_field(field).get_default()))
    pk = obj.pk
    taken: IntegrityError | None = None
    for attempt in range(attempts):
        if taken is not None:
            logger.info("%s.%s drawn again after a collision (draw %d)", model._meta.label, field, attempt + 1)
            fresh()
        try:
            with transaction.atomic():
                insert()
            return
        except IntegrityError as error:
            obj.pk = pk  # the insert did not happen: a primary key set on the way must not stay
            if not model._base_manager.filter(**{field: getattr(obj, field)}).exists():
                raise
            taken = error
    raise NoFreeIdentifier(f"{attempts} draws of {model._meta.label}.{field} in a row were taken") from taken
