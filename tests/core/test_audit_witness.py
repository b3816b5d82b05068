"""The witness outside the database: what a database administrator cannot undo."""

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from netwerkregie.core import witness
from netwerkregie.core.audit import anchor_head, event_hash, log_event, verify_chain
from netwerkregie.core.models import AuditAction, AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def write_events(capture: Capture, count: int) -> None:
    with capture(execute=True):
        for i in range(count):
            log_event(AuditAction.VIEW, object_type="test.thing", object_id=i, reason="looked")


def superuser_sql(sql: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def rewrite_chain_from(sequence: int, reason: str) -> None:
    """What a database administrator could do: change one event and recompute every later hash and
    the head with the project's own functions, so the chain is consistent in itself."""
    prev = AuditEvent.objects.get(sequence=sequence - 1).hash
    for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if event.sequence == sequence:
            event.reason = reason
        event.prev_hash = prev
        event.hash = event_hash(event)
        superuser_sql("UPDATE core_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE sequence = %s",
                      [event.reason, event.prev_hash, event.hash, event.sequence])
        prev = event.hash
    AuditChainHead.objects.filter(pk=1).update(sequence=event.sequence, hash=event.hash)


def test_every_committed_event_is_witnessed_outside_the_database(django_capture_on_commit_callbacks: Capture,
                                                                 settings: Any) -> None:
    write_events(django_capture_on_commit_callbacks, 4)
    lines = [json.loads(line) for line in Path(settings.AUDIT_WITNESS_PATH).read_text().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4]
    assert lines[-1]["hash"] == AuditChainHead.objects.get().hash
    assert "looked" not in Path(settings.AUDIT_WITNESS_PATH).read_text()  # sequence and hash only
    report = verify_chain()
    assert report.intact
    assert report.witnessed_up_to == 4


def test_an_event_rolled_back_with_its_change_is_never_witnessed(django_capture_on_commit_callbacks: Capture,
                                                                settings: Any) -> None:
    from django.db import transaction

    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
            log_event(AuditAction.UPDATE, object_type="test.thing", object_id=1)
            raise RuntimeError("the change failed")
    assert callbacks == []
    assert not Path(settings.AUDIT_WITNESS_PATH).exists()


def test_a_chain_rewritten_with_recomputed_hashes_is_caught_by_the_witness(
        django_capture_on_commit_callbacks: Capture, settings: Any) -> None:
    write_events(django_capture_on_commit_callbacks, 6)
    rewrite_chain_from(3, "nothing to see here")

    witness_file = settings.AUDIT_WITNESS_PATH
    settings.AUDIT_WITNESS_PATH = ""
    assert verify_chain().intact  # without the witness the rewrite goes unnoticed: that is the threat

    settings.AUDIT_WITNESS_PATH = witness_file
    report = verify_chain()
    assert report.broken_at == 3
    assert "witness" in report.problem
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_a_database_rolled_back_to_an_older_copy_is_caught(django_capture_on_commit_callbacks: Capture) -> None:
    write_events(django_capture_on_commit_callbacks, 5)
    # The database as an old copy would have it: the last two events never happened.
    superuser_sql("DELETE FROM core_auditevent WHERE sequence > %s", [3])
    third = AuditEvent.objects.get(sequence=3)
    AuditChainHead.objects.filter(pk=1).update(sequence=3, hash=third.hash)

    report = verify_chain()
    assert report.broken_at == 4
    assert "#5" in report.problem
    assert "rolled back" in report.problem

    # Writing on after the rollback does not hide it: the new #4 is not the #4 the witness saw.
    write_events(django_capture_on_commit_callbacks, 3)
    report = verify_chain()
    assert report.broken_at == 4
    assert "witness" in report.problem


def test_the_anchor_makes_good_a_lost_append(django_capture_on_commit_callbacks: Capture, settings: Any) -> None:
    write_events(django_capture_on_commit_callbacks, 2)
    with django_capture_on_commit_callbacks(execute=False):
        log_event(AuditAction.VIEW, object_type="test.thing", object_id=3)  # its append was lost
    assert witness.timeline().last == 2
    assert anchor_head() == 3
    assert witness.timeline().last == 3
    anchor_head()  # idempotent: nothing new to write
    assert len(Path(settings.AUDIT_WITNESS_PATH).read_text().splitlines()) == 3


def test_witness_lines_also_go_to_a_remote_syslog_collector(django_capture_on_commit_callbacks: Capture,
                                                            settings: Any) -> None:
    collector = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    collector.bind(("127.0.0.1", 0))
    collector.settimeout(5)
    settings.AUDIT_WITNESS_SYSLOG = f"127.0.0.1:{collector.getsockname()[1]}"
    try:
        write_events(django_capture_on_commit_callbacks, 1)
        message = collector.recv(4096).decode()
    finally:
        collector.close()
    head = AuditChainHead.objects.get()
    assert "netwerkregie-audit:" in message
    assert head.hash in message
    assert '"seq":1' in message


def test_the_anchor_reads_only_the_tail_of_a_long_witness(django_capture_on_commit_callbacks: Capture,
                                                          settings: Any) -> None:
    path = Path(settings.AUDIT_WITNESS_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f'{{"seq":{-n},"hash":"{"0" * 64}"}}\n' for n in range(1, 3000)))  # > 64 KiB
    write_events(django_capture_on_commit_callbacks, 1)
    lines = len(path.read_text().splitlines())
    assert witness.tail()[-1]["seq"] == 1
    anchor_head()
    assert len(path.read_text().splitlines()) == lines  # seen in the tail: nothing written
