"""The audit chain's witness outside the database.

A database administrator can rewrite an audit event and recompute every later hash and the chain
head; the chain then verifies. The witness stops that: after every committed audit event, its
sequence number and hash are appended to a file the database cannot reach (its own directory,
its own permissions, ideally ``chattr +a`` so even its owner can only append), and optionally sent
to a remote syslog collector. ``verify_audit`` compares the database's chain with what the witness
saw, so a rewritten chain, a chain rolled back to an old copy, or a truncated tail is found, with
the first sequence number that differs.

Each line is one JSON object:

- ``{"seq": 12, "hash": "…", "at": "…"}`` for an event; a purge adds ``"purged": [type, id]``
  (content-free: kind and id only), so that ``restore`` can re-apply deletions made after a backup;
- ``{"restore": {"seq": 10, "hash": "…"}, "at": "…", …}`` when a backup was restored: the chain
  continues from event 10 of the backup, and what the witness saw after #10 before this line
  belongs to the timeline that was abandoned.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


def witness_path() -> Path | None:
    path = settings.AUDIT_WITNESS_PATH
    return Path(path) if path else None


def _syslog_handler() -> logging.Handler | None:
    address = settings.AUDIT_WITNESS_SYSLOG
    if not address:
        return None
    host, _, port = address.rpartition(":")
    handler = logging.handlers.SysLogHandler(address=(host, int(port)),
                                             facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
    handler.setFormatter(logging.Formatter("netwerkregie-audit: %(message)s"))
    return handler


def append(entry: dict[str, Any]) -> None:
    """Append one line to the witness file (and send it to syslog when configured).

    Lines are short and written with O_APPEND in one ``write``, so concurrent workers never
    interleave inside a line. A failure is logged as an error (monitoring picks it up) and never
    undoes the committed change; the scheduler's minute anchor writes the head again.
    """
    entry = {**entry, "at": timezone.now().isoformat(timespec="seconds")}
    line = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
    path = witness_path()
    if path is not None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(descriptor, line.encode())
            finally:
                os.close(descriptor)
        except OSError:
            logger.exception("Audit witness: could not append to %s", path)
    handler = _syslog_handler()
    if handler is not None:
        try:
            handler.emit(logging.LogRecord("netwerkregie.audit", logging.INFO, "", 0, line.strip(), None, None))
        finally:
            handler.close()


def witness_event(sequence: int, hash_: str, purged: tuple[str, str] | None = None) -> None:
    entry: dict[str, Any] = {"seq": sequence, "hash": hash_}
    if purged is not None:
        entry["purged"] = list(purged)
    append(entry)


def _parse(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError:
            logger.warning("Audit witness: an unreadable line was skipped")


def read() -> Iterator[dict[str, Any]]:
    path = witness_path()
    if path is None or not path.exists():
        return
    with path.open(encoding="utf-8") as lines:
        yield from _parse(lines)


def tail(max_bytes: int = 64 * 1024) -> list[dict[str, Any]]:
    """The last entries only (what the minute anchor needs), without reading a years-long file."""
    path = witness_path()
    if path is None or not path.exists():
        return []
    with path.open("rb") as source:
        size = source.seek(0, os.SEEK_END)
        source.seek(max(0, size - max_bytes))
        data = source.read().decode("utf-8", errors="replace")
    lines = data.splitlines()
    if size > max_bytes:
        lines = lines[1:]  # the first one is probably cut
    return list(_parse(iter(lines)))


@dataclass
class Timeline:
    """What the witness says the chain is now: sequence → hash, and the purges per sequence; for a read
    from an offset (``timeline(since=...)``), what the lines from there on say."""

    hashes: dict[int, str] = field(default_factory=dict)
    purges: dict[int, tuple[str, str]] = field(default_factory=dict)
    end: int = 0  # the byte offset after the last whole line read: where the next read starts
    restored: bool = False  # a restore line was among the lines read
    marked_at: int | None = None  # the offset of the first line for the sequence asked for with ``mark``

    @property
    def last(self) -> int:
        return max(self.hashes, default=0)


def _lines(since: int) -> Iterator[tuple[int, bytes]]:
    """Whole lines from byte ``since`` on, each with its offset; a last line still without its newline is
    left for the next read."""
    path = witness_path()
    if path is None or not path.exists():
        return
    with path.open("rb") as source:
        source.seek(since)
        offset = since
        for line in source:
            if not line.endswith(b"\n"):
                return
            yield offset, line
            offset += len(line)


def size() -> int:
    path = witness_path()
    return path.stat().st_size if path is not None and path.exists() else 0


def timeline(since: int = 0, mark: int | None = None) -> Timeline:
    """Replay the witness (from byte ``since``, by default from its start): each restore line cuts off
    what was seen after its base event. ``mark``: note where the first line for that sequence is, so a
    later check can read that one line (``line_at``) instead of the whole file."""
    current = Timeline(end=since)
    for offset, raw in _lines(since):
        current.end = offset + len(raw)
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            logger.warning("Audit witness: an unreadable line was skipped")
            continue
        if "restore" in entry:
            base = int(entry["restore"]["seq"])
            current.restored = True
            current.hashes = {seq: h for seq, h in current.hashes.items() if seq <= base}
            current.purges = {seq: p for seq, p in current.purges.items() if seq <= base}
            current.hashes[base] = entry["restore"]["hash"]
        elif "seq" in entry:
            # The first hash seen for a sequence stands: a later, different one for the same number
            # (a database rolled back and written on) must not replace what was witnessed.
            sequence = int(entry["seq"])
            if sequence not in current.hashes:
                current.hashes[sequence] = entry["hash"]
                if sequence == mark:
                    current.marked_at = offset
            if "purged" in entry:
                current.purges[sequence] = (entry["purged"][0], str(entry["purged"][1]))
    current.hashes.pop(0, None)  # a restore of an empty chain
    return current


def line_at(offset: int) -> dict[str, Any] | None:
    """The one witness line that starts at ``offset`` (None when there is none, or it is unreadable)."""
    path = witness_path()
    if path is None or not path.exists():
        return None
    with path.open("rb") as source:
        source.seek(offset)
        raw = source.readline(4096)
    try:
        entry = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return entry if isinstance(entry, dict) else None
