"""Audit chain benchmark: append throughput (one and several writers) and verify speed.

Run against the configured database (SQLite by default):
    .venv/bin/python bench/audit_chain.py [--events 2000] [--writers 4]
and against PostgreSQL:
    scripts/with-postgres .venv/bin/python bench/audit_chain.py

It migrates a scratch database (never the one in DATABASE_URL when that is SQLite: a temporary
file is used), prints figures, and ends with ratios measured in the same run, which are what
to compare across machines; absolute times on shared machines are noise.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netwerkregie.settings_dev")
# A scratch witness too: the chain written here is not the development database's chain.
os.environ["AUDIT_WITNESS_PATH"] = f"{tempfile.mkdtemp()}/witness.jsonl"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

from netwerkregie.core.audit import log_event, verify_chain  # noqa: E402
from netwerkregie.core.models import AuditEvent  # noqa: E402


def append(count: int) -> None:
    for number in range(count):
        log_event("view", object_type="bench.record", object_id=number, reason="benchmark")
    connections.close_all()


def timed(label: str, func, *args) -> float:
    started = time.perf_counter()
    func(*args)
    seconds = time.perf_counter() - started
    print(f"{label:<44} {seconds:8.3f} s")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--writers", type=int, default=4)
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}, events per phase: {options.events}")

    single = timed(f"append {options.events}, 1 writer", append, options.events)

    per_writer = options.events // options.writers
    threads = [threading.Thread(target=append, args=(per_writer,)) for _ in range(options.writers)]

    def run_threads() -> None:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    concurrent = timed(f"append {per_writer * options.writers}, {options.writers} writers", run_threads)
    total = AuditEvent.objects.count()
    report = None

    def verify() -> None:
        nonlocal report
        report = verify_chain()

    verify_seconds = timed(f"verify whole chain ({total} events)", verify)
    assert report is not None, report
    assert report.intact, report
    assert report.events_checked == total, (report.events_checked, total)

    print(f"append rate, 1 writer:        {options.events / single:10.0f} events/s")
    print(f"append rate, {options.writers} writers:       {per_writer * options.writers / concurrent:10.0f} events/s")
    print(f"verify rate:                  {total / verify_seconds:10.0f} events/s")
    print(f"ratio verify/append speed:    {(total / verify_seconds) / (options.events / single):10.1f}x")
    print(f"ratio {options.writers} writers/1 writer:     {single / concurrent:10.2f}x (chain stays linear: verified)")


if __name__ == "__main__":
    main()
