"""Writing and verifying the hash-chained audit log.

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of
the event, so changing, inserting or deleting any row breaks the chain at that row. Callers
write the event inside the same transaction as the change it records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from netwerkregie.core.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def canonical_encoding(event: AuditEvent) -> bytes:
    payload = {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "source_address": event.source_address,
        "detail": event.detail,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    digest = hashlib.sha256()
    digest.update(event.prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical_encoding(event))
    return digest.hexdigest()


def source_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        event = AuditEvent(
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=actor_label or (actor.email if actor is not None else ""),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            reason=reason,
            source_address=source_address(request),
            detail=detail or {},
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        head.sequence, head.hash = event.sequence, event.hash
        head.save(update_fields=["sequence", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain() -> ChainReport:
    """Walk the whole chain in order; report the first event that does not fit."""
    head = AuditChainHead.objects.get(pk=1)
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0

    def broken(sequence: int, problem: str) -> ChainReport:
        return ChainReport(checked, head.sequence, head.hash, sequence, problem)

    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if event.sequence != expected_seq:
            return broken(expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return broken(event.sequence, "its link to the previous event does not match")
        if event.hash != event_hash(event):
            return broken(event.sequence, "its content does not match its hash")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    if head.sequence > checked:
        return broken(checked + 1, f"event #{checked + 1} is missing (the chain's head is #{head.sequence})")
    if head.sequence < checked or head.hash != expected_prev:
        return broken(head.sequence + 1, "the chain does not end where its head says")
    return ChainReport(checked, head.sequence, head.hash)
