"""The audit chain's hash: SHA-256 over the previous event's hash and a canonical encoding of the event.
Apart from the models and the chain's writer (``core.audit``), so an event can check its own hash when it is
saved (``AuditEvent.save``) without the model importing the writer that imports it."""

from __future__ import annotations

import datetime
import hashlib
import json
from datetime import UTC
from typing import Any

GENESIS_HASH = "0" * 64


# The fields that are hashed, in the order ``verify_chain`` reads them (values_list, not model instances).
HASHED = ("sequence", "occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id", "reason",
          "source_address", "detail")


def encode_reference(values: tuple[Any, ...]) -> bytes:
    """The canonical encoding by definition: the event's hashed fields as JSON with sorted keys, compact
    separators, UTF-8, the time in UTC with microseconds. ``encode_fields`` writes the same bytes faster."""
    payload = dict(zip(HASHED, values, strict=True))
    moment = payload["occurred_at"]
    payload["occurred_at"] = moment if isinstance(moment, str) else _utc_text(moment)
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


_string = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) writes for a str


def _utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def encode_fields(values: tuple[Any, ...]) -> bytes:
    """The canonical encoding (``encode_reference``), written field by field in sorted key order: the
    verifier's inner loop, about twice as fast as a general JSON encoder on a dict. The text fields are
    never NULL (CharField/TextField); the ids are integers or NULL; a test holds it to the reference."""
    sequence, occurred_at, actor_id, actor_label, action, object_type, object_id, reason, source, detail = values
    detail_json = "{}" if not detail and isinstance(detail, dict) else json.dumps(
        detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (f'{{"action":{_string(action)},"actor_id":{"null" if actor_id is None else int(actor_id)},'
            f'"actor_label":{_string(actor_label)},"detail":{detail_json},"object_id":{_string(object_id)},'
            f'"object_type":{_string(object_type)},'
            f'"occurred_at":"{occurred_at if isinstance(occurred_at, str) else _utc_text(occurred_at)}",'
            f'"reason":{_string(reason)},"sequence":{int(sequence)},'
            f'"source_address":{"null" if source is None else _string(source)}}}').encode()


def canonical_encoding(event: Any) -> bytes:
    return encode_fields(tuple(getattr(event, name) for name in HASHED))


def chain_digest(prev_hash: str, encoded: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + b"\n" + encoded).hexdigest()


def event_hash(event: Any) -> str:
    return chain_digest(event.prev_hash, canonical_encoding(event))

