"""Writing the hash-chained audit log: ``log_event`` (one act), ``record_view`` (a read of personal data) and
``log_events`` (a batch, as the purge writes it). ``core.audit`` re-exports them; verifying is there.

Callers write the event inside the same transaction as the change it records. The client's address comes from
the request being served (``ClientAddressMiddleware``), so a service never passes a request for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from netwerkregie.core import witness
from netwerkregie.core.audit_hash import event_hash
from netwerkregie.core.client_address import client_address, current_client_address
from netwerkregie.core.models import AuditAction, AuditChainHead, AuditEvent


def source_address(request: HttpRequest | None) -> str | None:
    """The client's address as the sign-in lockout sees it (behind the TLS proxy: the address the proxy saw):
    of ``request`` when given, otherwise of the request being served (``ClientAddressMiddleware``)."""
    return client_address(request) if request is not None else current_client_address()


# Acts that read or sign in, and change nothing computed from the data; every other act moves the data version.
UNCHANGING = frozenset({AuditAction.VIEW, AuditAction.EXPORT, AuditAction.LOGIN, AuditAction.LOGIN_FAILED,
                        AuditAction.LOGOUT, AuditAction.MFA_VERIFIED, AuditAction.MFA_FAILED})


def data_version() -> str:
    """Changes whenever anything in the data may have changed: every change is written with an audit event
    in its own transaction, and that event's hash is kept on the chain's head (``changed_hash``). Never
    the same twice, also not after a restore (which records an event of its own)."""
    return AuditChainHead.objects.values_list("changed_hash", flat=True).first() or ""


def log_event(
    action: str,
    *,
    actor: Any = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    request: HttpRequest | None = None,
    actor_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    The chain head row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE serialises writers), so concurrent writers queue instead of forking.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return _append([Entry(action, object_type, str(object_id), reason=reason, detail=detail or {},
                          actor_label=actor_label or (actor.email if actor is not None else ""))],
                   actor=actor, source=source_address(request), insert=_save_one)[0]


def _save_one(events: list[AuditEvent]) -> None:
    events[0].save(force_insert=True)  # the model's save checks the hash once more


@dataclass(frozen=True)
class Entry:
    """One event for ``log_events``: what ``log_event`` takes, without a person or a request (the acts of
    jobs, such as the purge's tombstones)."""

    action: str
    object_type: str
    object_id: str
    reason: str = ""
    detail: dict[str, Any] | None = None
    actor_label: str = ""


def record_view(obj: Model | None = None, *, actor: Any, purpose: str, object_type: str = "",
                detail: dict[str, Any] | None = None) -> AuditEvent:
    """The one way a read of personal data is audited: ``obj`` (or, for a list or a search, ``object_type``)
    was shown to ``actor`` for ``purpose``. The client's address comes with the request being served."""
    return log_event(AuditAction.VIEW, actor=actor, obj=obj, object_type=object_type, reason=purpose, detail=detail)


def record_views(shown: list[tuple[Model, dict[str, Any]]], *, actor: Any, purpose: str) -> list[AuditEvent]:
    """``record_view`` for each (object, detail) of a list shown at once to ``actor``: one event each, written
    under one lock of the head in one insert, so a page of a list costs the same number of queries for any
    number of rows."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = actor.email if actor is not None else ""
    entries = [Entry(AuditAction.VIEW, obj._meta.label_lower, str(obj.pk), reason=purpose, detail=detail,
                     actor_label=label) for obj, detail in shown]
    return _append(entries, actor=actor, source=source_address(None),
                   insert=AuditEvent.objects.bulk_create) if entries else []


def log_events(entries: list[Entry]) -> list[AuditEvent]:
    """Append several events under one lock of the head, in one insert: the same chain as a ``log_event``
    for each, in the order given (the purge writes a batch's tombstones so)."""
    return _append(entries, actor=None, source=None, insert=AuditEvent.objects.bulk_create) if entries else []


def _append(entries: list[Entry], *, actor: Any, source: str | None,
            insert: Callable[[list[AuditEvent]], object]) -> list[AuditEvent]:
    # No savepoint of its own: an event that cannot be written takes the caller's change down with it.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        moment, sequence, previous, events = timezone.now(), head.sequence, head.hash, []
        for entry in entries:
            sequence += 1
            event = AuditEvent(sequence=sequence, occurred_at=moment, actor=actor, actor_label=entry.actor_label,
                               action=entry.action, object_type=entry.object_type, object_id=entry.object_id,
                               reason=entry.reason, source_address=source, detail=entry.detail or {},
                               prev_hash=previous)
            event.hash = previous = event_hash(event)
            events.append(event)
        insert(events)
        head.sequence, head.hash = sequence, previous
        if any(entry.action not in UNCHANGING for entry in entries):
            head.changed_hash = next(e.hash for e in reversed(events) if e.action not in UNCHANGING)
        head.save(update_fields=["sequence", "hash", "changed_hash"])
        witnessed = [(e.sequence, e.hash, (e.object_type, e.object_id) if e.action == AuditAction.PURGE else None)
                     for e in events]

        def witness_all() -> None:
            for line in witnessed:
                witness.witness_event(*line)

        transaction.on_commit(witness_all)
    return events
