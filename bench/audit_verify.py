"""How fast ``verify_audit`` walks the chain, on a scratch database: the whole verification, the same
with the reference encoder (json.dumps of a dict, what the fast one must equal byte for byte), and only
reading the rows (the floor), and the chain cut into stretches walked by one process per processor, all
in one run so the ratios hold on a noisy machine.

    .venv/bin/python bench/audit_verify.py [--events 500000]
    DATABASE_URL=postgres://... .venv/bin/python bench/audit_verify.py

SQLite by default in a temporary file; the chain is filled with ``national_data.audit``, hashed exactly
as ``log_event`` does."""

from __future__ import annotations

import argparse
import datetime
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
os.environ["AUDIT_WITNESS_PATH"] = ""  # a scratch chain: no witness to keep in step
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/verify.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from national_data import audit  # noqa: E402

from netwerkregie.core import audit as chain  # noqa: E402
from netwerkregie.core.models import AuditEvent, User  # noqa: E402


def timed(label: str, events: int, work: object) -> float:
    started = time.perf_counter()
    work()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    rate = events / seconds
    print(f"{label:<46} {seconds:7.2f} s {rate:12,.0f} events/s")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500_000)
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    actor = User.objects.create_user("bench@example.nl", None, full_name="Bench")
    started = time.perf_counter()
    audit(options.events, actor, random.Random(7), timezone.localdate() - datetime.timedelta(days=3650))
    events = AuditEvent.objects.count()
    print(f"database: {connection.vendor}; {events:,} events generated in {time.perf_counter() - started:.0f} s\n")

    def read_only() -> None:
        for _row in AuditEvent.objects.order_by("sequence").values_list("prev_hash", "hash", *chain.HASHED).iterator(
                chunk_size=10_000):
            pass

    def verify(workers: int | None = None) -> None:
        report = chain.verify_chain(workers=workers, parallel=True)
        assert report.intact, report
        assert report.events_checked == events, report

    processes = chain._workers(None, events)
    floor = timed("reading the rows only", events, read_only)
    alone = timed("verify_audit, one process", events, lambda: verify(1))
    together = timed(f"verify_audit, {processes} processes side by side", events, verify)
    fast_encoder = chain._encode
    chain._encode = chain._encode_reference  # type: ignore[assignment]
    try:
        reference = timed("verify_audit, one process, reference encoder", events, lambda: verify(1))
    finally:
        chain._encode = fast_encoder  # type: ignore[assignment]
    print(f"\none process / reference encoder: {alone / reference:.2f}; "
          f"one process / reading only: {alone / floor:.2f}; {processes} processes / one: {together / alone:.2f}")


if __name__ == "__main__":
    main()
