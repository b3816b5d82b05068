"""Verifying the hash-chained audit log (writing it is ``core.audit_log``, re-exported here).

Each event's hash is SHA-256 over the previous event's hash and a canonical JSON encoding of
the event, so changing, inserting or deleting any row breaks the chain at that row. Callers
write the event inside the same transaction as the change it records.
"""

from __future__ import annotations

import dataclasses
import json
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.db import connection
from django.db.models import Field

from netwerkregie.core import witness
from netwerkregie.core.audit_hash import (
    GENESIS_HASH as GENESIS_HASH,
)
from netwerkregie.core.audit_hash import (
    HASHED as HASHED,
)
from netwerkregie.core.audit_hash import (
    chain_digest as chain_digest,
)
from netwerkregie.core.audit_hash import (
    encode_fields as encode_fields,
)
from netwerkregie.core.audit_hash import (
    event_hash as event_hash,
)
from netwerkregie.core.audit_log import (
    UNCHANGING as UNCHANGING,
)
from netwerkregie.core.audit_log import (
    Entry as Entry,
)
from netwerkregie.core.audit_log import (
    data_version as data_version,
)
from netwerkregie.core.audit_log import (
    log_event as log_event,
)
from netwerkregie.core.audit_log import (
    log_events as log_events,
)
from netwerkregie.core.audit_log import (
    record_view as record_view,
)
from netwerkregie.core.audit_log import (
    record_views as record_views,
)
from netwerkregie.core.audit_log import (
    source_address as source_address,
)
from netwerkregie.core.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    events_checked: int
    head_sequence: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""
    witnessed_up_to: int | None = None  # None: no witness configured
    first_checked: int = 1  # where the walk began: 1 for the whole chain, the event after a checkpoint otherwise
    witness_end: int = 0  # how far (bytes) the witness was read: where the next walk from this head reads on
    witness_line: int | None = None  # where the witness's line for the head is, when it had seen it

    @property
    def checkpoint(self) -> Checkpoint:
        """This walk's head as the point the next walk may start from (only when it is intact)."""
        return Checkpoint(self.head_sequence, self.head_hash, self.witness_end, self.witness_line)

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _stored_time(value: str) -> str:
    """The time as the database wrote it out for the verifier (``_time_column``): PostgreSQL already in the
    canonical form; SQLite as its stored UTC text ("2026-12-01 22:37:43.123456", without the fraction when
    it is zero), made canonical here rather than parsed into a datetime and printed again."""
    if value[10] == "T":
        return value
    return f"{value[:10]}T{value[11:]}{'.000000' if len(value) == 19 else ''}+00:00"


def _time_column(column: str) -> str:
    """``occurred_at`` as text, so no driver or Django converter makes a datetime of it per row (the
    largest cost of a walk): PostgreSQL writes the canonical UTC form itself."""
    if connection.vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    return f"CAST({column} AS TEXT)"


def _chain_rows(first: int | None = None, last: int | None = None) -> Iterator[list[tuple[Any, ...]]]:
    """The events with ``first <= sequence <= last`` (either end open when None) in order as rows of
    (prev_hash, hash, *HASHED), in batches, read with a raw, server-side cursor: the ORM's per-row
    conversions cost more than the hashing. The time comes as text (``_time_column``); the detail as
    PostgreSQL's driver gives it (a dict) or SQLite's JSON text."""
    quote = connection.ops.quote_name
    table = quote(AuditEvent._meta.db_table)
    columns = ", ".join(_time_column(quote(_column(name))) if name == "occurred_at" else quote(_column(name))
                        for name in ("prev_hash", "hash", *HASHED))
    sequence = quote("sequence")
    bounds = [(f"{sequence} >= %s", first), (f"{sequence} <= %s", last)]
    where = " AND ".join(condition for condition, value in bounds if value is not None)
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}{' WHERE ' + where if where else ''} ORDER BY {sequence}",  # noqa: S608
                       [value for _condition, value in bounds if value is not None])
        while rows := cursor.fetchmany(10_000):
            yield rows


CHANGED = "its content does not match its hash"


def _column(name: str) -> str:
    """The database column of one of the audit event's concrete fields."""
    field = AuditEvent._meta.get_field(name)
    return cast("Field[Any, Any]", field).column or name


@dataclass(frozen=True)
class _Stretch:
    """What one walk over a stretch of the chain found: the link its first event claims, the hash of its
    last, how many events hold, and the first that does not (with why)."""

    first_prev: str | None
    last_hash: str | None
    checked: int
    broken_at: int | None = None
    problem: str = ""


Progress = Callable[[int], None]


def _walk(first: int | None, last: int | None, expected_seq: int, expected_prev: str | None,
          witnessed: dict[int, str], progress: Progress | None = None) -> _Stretch:
    """Check every event of a stretch: numbered without gaps from ``expected_seq``, each linked to the one
    before (the first to ``expected_prev``; None: whatever it claims, checked at the seam by the caller),
    its hash its content's, and equal to what the witness saw."""
    digest, encode, stored_time, loads = chain_digest, encode_fields, _stored_time, json.loads
    first_prev, checked = None, 0
    for batch in _chain_rows(first, last):
        for prev_hash, stored, sequence, moment, actor_id, label, action, kind, pk, reason, source, detail in batch:
            if first_prev is None:
                first_prev = prev_hash
                expected_prev = prev_hash if expected_prev is None else expected_prev
            if sequence != expected_seq:
                return _Stretch(first_prev, expected_prev, checked, expected_seq, f"event #{expected_seq} is missing")
            if witnessed.get(sequence, stored) != stored:
                return _Stretch(first_prev, expected_prev, checked, sequence,
                                "its hash differs from the one the witness recorded (the chain was rewritten)")
            if prev_hash != expected_prev:
                return _Stretch(first_prev, expected_prev, checked, sequence,
                                "its link to the previous event does not match")
            if detail.__class__ is not dict:
                detail = {} if detail == "{}" or detail is None else loads(detail)
            values = (sequence, stored_time(moment), actor_id, label, action, kind, pk, reason, source, detail)
            if stored != digest(prev_hash, encode(values)):
                return _Stretch(first_prev, expected_prev, checked, sequence, CHANGED)
            expected_prev, expected_seq, checked = stored, expected_seq + 1, checked + 1
        if progress is not None:
            progress(checked)
    return _Stretch(first_prev, expected_prev, checked)


PARALLEL_FROM = 200_000  # events; below this one process is quicker than starting others


CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def usable_cpus(cpu_max: Path = CPU_MAX) -> int:
    """The processors this process may use: those it is pinned to (``sched_getaffinity``), fewer when a
    cgroup v2 quota (a container's CPU limit, ``cpu.max``: "quota period", or "max") allows less."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        quota, period = cpu_max.read_text().split()[:2]
        if quota != "max":
            count = min(count, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass  # no cgroup v2 limit readable here
    return max(1, count)


def _workers(requested: int | None, events: int) -> int:
    if connection.in_atomic_block:  # other processes would not see this transaction's rows
        return 1
    wanted = requested if requested is not None else settings.AUDIT_VERIFY_WORKERS or usable_cpus()
    return max(1, min(wanted, events // (PARALLEL_FROM // 2)))


def _walk_in_processes(head_sequence: int, workers: int, witnessed: dict[int, str]) -> list[tuple[int, _Stretch]]:
    """The chain cut into ``workers`` stretches by sequence number, each walked by its own forked process
    with its own connection (the first stretch open below, the last open above, so no row is left
    out); the seams are checked by ``verify_chain``."""
    size = -(-head_sequence // workers)
    bounds = [(None if k == 0 else k * size + 1, None if k == workers - 1 else (k + 1) * size) for k in range(workers)]
    connection.close()  # each process opens its own; a forked copy of an open one would be shared
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_walk, first, last, first or 1, None if first else GENESIS_HASH, witnessed)
                   for first, last in bounds]
        return [(first or 1, future.result()) for (first, _last), future in zip(bounds, futures, strict=True)]


def verify_chain(*, behind_witness_allowed: bool = False, workers: int | None = None, parallel: bool = False,
                 progress: Progress | None = None) -> ChainReport:
    """Walk the whole chain in order and compare it with the witness outside the database.

    Reports the first event that does not fit: a broken link or hash (edited in place), a hash
    other than the one the witness saw (the chain was rewritten and recomputed), or a chain that
    ends before the last event the witness saw (rolled back to an old copy, or its tail cut off).
    With ``parallel`` (the scheduler and ``verify_audit`` only, never a web request) a long chain is
    walked in stretches by several processes (``AUDIT_VERIFY_WORKERS``, default one per processor this
    process may use), each stretch's first link checked against the last hash of the one before;
    ``workers`` asks for a number of processes outright.
    """
    head = AuditChainHead.objects.get(pk=1)
    seen = witness.timeline(mark=head.sequence) if witness.witness_path() is not None else None
    witnessed = seen.hashes if seen is not None else {}
    count = _workers(workers, head.sequence) if parallel or workers is not None else 1
    stretches = ([(1, _walk(None, None, 1, GENESIS_HASH, witnessed, progress))] if count == 1
                 else _walk_in_processes(head.sequence, count, witnessed))
    expected_prev, checked = GENESIS_HASH, 0

    def broken(sequence: int, problem: str) -> ChainReport:
        return ChainReport(checked, head.sequence, head.hash, sequence, problem, seen.last if seen else None)

    for start, stretch in stretches:
        if checked + 1 < start:  # the stretch before ended short of its last number
            return broken(checked + 1, f"event #{checked + 1} is missing")
        if stretch.broken_at == checked + 1 and stretch.problem != CHANGED:  # missing or rewritten come first
            return broken(stretch.broken_at, stretch.problem)
        if stretch.first_prev is not None and stretch.first_prev != expected_prev:  # the seam
            return broken(checked + 1, "its link to the previous event does not match")
        checked += stretch.checked
        if stretch.broken_at is not None:
            return broken(stretch.broken_at, stretch.problem)
        expected_prev = stretch.last_hash if stretch.checked and stretch.last_hash is not None else expected_prev
    return _ending(head, checked, expected_prev, seen, behind_witness_allowed, first=1)


def _ending(head: AuditChainHead, checked: int, expected_prev: str, seen: witness.Timeline | None,
            behind_witness_allowed: bool, *, first: int) -> ChainReport:
    """The checks after a walk from ``first`` that held: it ends where the head says, and not before the
    last event the witness saw."""
    last = first - 1 + checked
    witnessed_up_to = seen.last if seen is not None else None
    if seen is not None and first > 1:
        witnessed_up_to = max(seen.last, first - 1)

    def broken(sequence: int, problem: str) -> ChainReport:
        return ChainReport(checked, head.sequence, head.hash, sequence, problem, witnessed_up_to, first)

    if head.sequence > last:
        return broken(last + 1, f"event #{last + 1} is missing (the chain's head is #{head.sequence})")
    if head.sequence < last or head.hash != expected_prev:
        return broken(head.sequence + 1, "the chain does not end where its head says")
    # Events written since the head was read are witnessed too: the chain is behind the witness only when
    # its head, read again now, still is.
    if (witnessed_up_to is not None and witnessed_up_to > last and not behind_witness_allowed
            and AuditChainHead.objects.values_list("sequence", flat=True).get(pk=1) < witnessed_up_to):
        return broken(last + 1, f"the witness saw the chain reach #{witnessed_up_to}, the database ends at "
                                f"#{last} (rolled back to an older copy, or its tail was cut off)")
    return ChainReport(checked, head.sequence, head.hash, witnessed_up_to=witnessed_up_to, first_checked=first,
                       witness_end=seen.end if seen is not None else 0,
                       witness_line=seen.marked_at if seen is not None else None)


@dataclass(frozen=True)
class Checkpoint:
    """The head of a walk that held: the next walk starts after it. ``witness_end``: how far the witness
    had been read then; ``witness_line``: where the witness's own line for this event is (None when the
    witness had not seen it, or none is configured)."""

    sequence: int
    hash: str
    witness_end: int = 0
    witness_line: int | None = None


class StartOver(Exception):
    """The checkpoint cannot be built on (the witness was restored or replaced since): walk the whole chain."""


def verify_since(checkpoint: Checkpoint, *, progress: Progress | None = None) -> ChainReport:
    """Walk only the events after a checkpoint, so the cost grows with the new events, not the chain.

    The checkpoint itself is checked first: against the witness's own line for that event (read at the
    offset noted when it was made) and against the database's event (same hash). The new events are then
    walked as ``verify_chain`` walks them, from the checkpoint's hash, and compared with the witness lines
    written since (read from where the last walk stopped reading). An event before the checkpoint edited
    in place is not seen here: that is what the periodic full walk is for. Raises ``StartOver`` when the
    witness was restored or replaced since the checkpoint.
    """
    head = AuditChainHead.objects.get(pk=1)
    seen = None
    if witness.witness_path() is not None:
        if witness.size() < checkpoint.witness_end:
            raise StartOver("the witness is shorter than when the checkpoint was made")
        seen = witness.timeline(since=checkpoint.witness_end, mark=head.sequence)
        if seen.restored:
            raise StartOver("a backup was restored since the checkpoint")
    first = checkpoint.sequence + 1

    def broken(sequence: int, problem: str) -> ChainReport:
        return ChainReport(0, head.sequence, head.hash, sequence, problem, seen.last if seen else None, first)

    if checkpoint.witness_line is not None:
        line = witness.line_at(checkpoint.witness_line)
        if line is None or line.get("seq") != checkpoint.sequence or line.get("hash") != checkpoint.hash:
            return broken(checkpoint.sequence, "the last verified event differs from what the witness recorded")
    if checkpoint.sequence:
        stored = AuditEvent.objects.filter(sequence=checkpoint.sequence).values_list("hash", flat=True).first()
        if stored != checkpoint.hash:
            return broken(checkpoint.sequence, "the last verified event was changed or removed since it was verified")
    stretch = _walk(first, None, first, checkpoint.hash, seen.hashes if seen else {}, progress)
    if stretch.broken_at is not None:
        return ChainReport(stretch.checked, head.sequence, head.hash, stretch.broken_at, stretch.problem,
                           seen.last if seen else None, first)
    last_hash = stretch.last_hash if stretch.checked and stretch.last_hash is not None else checkpoint.hash
    report = _ending(head, stretch.checked, last_hash, seen,
                     False, first=first)
    if report.intact and report.witness_line is None and head.sequence == checkpoint.sequence:
        report = dataclasses.replace(report, witness_line=checkpoint.witness_line)
    return report


def anchor_head() -> int:
    """Write the current chain head to the witness if it has not seen it yet (the scheduler runs this
    every minute, so a lost append is made good); returns the sequence number witnessed."""
    head = AuditChainHead.objects.get(pk=1)
    seen = any(entry.get("seq") == head.sequence and entry.get("hash") == head.hash for entry in witness.tail())
    if head.sequence and not seen:
        witness.witness_event(head.sequence, head.hash)
    return head.sequence
