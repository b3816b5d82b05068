"""How fast the nightly verification walks the audit chain from its checkpoint: a chain of ``--events``
events with its witness, one whole walk (the checkpoint; the weekly full walk's cost), then ``--new``
events more and the walk from the checkpoint over those only (the nightly cost), with the witness read
from where the last walk stopped.

    .venv/bin/python bench/audit_incremental.py [--events 2000000] [--new 10000]
    DATABASE_URL=postgres://... .venv/bin/python bench/audit_incremental.py

SQLite by default in a temporary file; the chain is filled with ``national_data.audit``, hashed exactly
as ``log_event`` does, and its witness written line for line as ``core.witness`` writes it. The whole walk
runs in one process here (the scheduler may use more; ``bench/audit_verify.py`` measures that)."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netwerkregie.settings_dev")
scratch = Path(tempfile.mkdtemp())
os.environ["AUDIT_WITNESS_PATH"] = str(scratch / "witness" / "audit-chain.jsonl")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/incremental.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from national_data import audit  # noqa: E402

from netwerkregie.core import audit as chain  # noqa: E402
from netwerkregie.core import witness  # noqa: E402
from netwerkregie.core.models import AuditEvent, User  # noqa: E402


def witness_from(first: int) -> None:
    """The witness lines of the events from ``first`` on, as ``witness.append`` writes them."""
    path = witness.witness_path()
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True)
    at = timezone.now().isoformat(timespec="seconds")
    with path.open("a", encoding="utf-8") as out:
        for sequence, hash_ in (AuditEvent.objects.filter(sequence__gte=first).order_by("sequence")
                                .values_list("sequence", "hash").iterator(chunk_size=10_000)):
            out.write(json.dumps({"at": at, "hash": hash_, "seq": sequence}, sort_keys=True, separators=(",", ":"))
                      + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--new", type=int, default=10_000)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    actor = User.objects.create_user("bench@example.nl", None, full_name="Bench")
    rng, start = random.Random(7), timezone.localdate() - datetime.timedelta(days=3650)
    began = time.perf_counter()
    audit(options.events, actor, rng, start)
    witness_from(1)
    print(f"database: {connection.vendor}; {options.events:,} events and their witness written in "
          f"{time.perf_counter() - began:.0f} s; usable processors: {chain.usable_cpus()}\n")

    began = time.perf_counter()
    whole = chain.verify_chain(workers=1)
    seconds = time.perf_counter() - began
    assert whole.intact, whole
    assert whole.events_checked == options.events, whole
    print(f"{'whole chain, one process':<44} {whole.events_checked:>10,} events {seconds:8.2f} s "
          f"{whole.events_checked / seconds:12,.0f} events/s")

    audit(options.new, actor, rng, timezone.localdate() - datetime.timedelta(days=1))
    witness_from(options.events + 1)
    began = time.perf_counter()
    since = chain.verify_since(whole.checkpoint)
    incremental = time.perf_counter() - began
    assert since.intact, since
    assert since.events_checked == options.new, since
    print(f"{'from the checkpoint (the new events only)':<44} {since.events_checked:>10,} events {incremental:8.2f} s "
          f"{since.events_checked / incremental:12,.0f} events/s")
    print(f"\nthe nightly walk after {options.new:,} new events takes {incremental / seconds:.2%} of the whole walk "
          f"({options.events + options.new:,} events)")


if __name__ == "__main__":
    main()
