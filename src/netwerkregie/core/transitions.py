"""Decisions happen once: a record moves from one state to the next under a row lock.

A decision service re-reads its record with ``lock_in_state`` inside its own ``transaction.atomic()``
before it writes anything. On PostgreSQL the row lock (SELECT ... FOR UPDATE) makes a second, simultaneous
decision wait until the first commits, and then read its outcome. SQLite has no row locks, but it takes the
write lock when the transaction begins (``transaction_mode`` IMMEDIATE in settings), so the re-read inside
the transaction sees the last committed state too. Either way the second decision finds the record no
longer in the state it started from and raises ``AlreadyDecided``: nothing is written, nothing audited,
and the view tells the user who decided first."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)


class AlreadyDecided(ValidationError):
    """Someone else moved the record on first. A ValidationError, so a caller that only knows those still
    shows it; views catch it first to show the record as it is now, with the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="already_decided")


def lock_row(model: type[models.Model], pk: object) -> None:
    """Take the row lock on one row (a parent, locked before its children so that writers queue in one order)."""
    if pk is not None:
        model._base_manager.select_for_update().filter(pk=pk).values_list("pk").first()


def lock_in_state(obj: M, *, states: Collection[str], message: Callable[[M], str], field: str = "status") -> M:
    """Re-read ``obj`` in place under a row lock and return it if its ``field`` is still one of ``states``;
    otherwise raise AlreadyDecided with ``message(obj)`` (``obj`` then shows the state it is in now).
    Call inside the transaction.atomic() of the decision, before anything is written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_in_state() belongs inside the decision's transaction.atomic()")
    try:
        obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())
    except ObjectDoesNotExist:
        raise AlreadyDecided(_("This record no longer exists: it was deleted in the meantime.")) from None
    check_state(obj, states=states, message=message, field=field)
    return obj


def check_state(obj: M, *, states: Collection[str], message: Callable[[M], str], field: str = "status") -> None:
    """The same check without a lock: for a quick answer before the work, never instead of ``lock_in_state``."""
    if getattr(obj, field) not in states:
        raise AlreadyDecided(message(obj))
