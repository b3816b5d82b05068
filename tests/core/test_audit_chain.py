import threading

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, ProgrammingError, connection, connections, transaction
from django.db.utils import InternalError
from django.utils import timezone

from netwerkregie.core.audit import GENESIS_HASH, event_hash, log_event, verify_chain
from netwerkregie.core.models import AuditAction, AuditChainHead, AuditEvent, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def write_events(count: int) -> list[AuditEvent]:
    return [log_event(AuditAction.VIEW, object_type="test.thing", object_id=i) for i in range(count)]


def raw(sql: str, params: list[object] | None = None) -> None:
    """Tamper as someone with superuser rights on the database would (past the trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params or [])
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_it_links_each_event_to_the_previous_one() -> None:
    first, second, third = write_events(3)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert third.hash == event_hash(AuditEvent.objects.get(sequence=3))


def test_it_verifies_an_untouched_chain() -> None:
    write_events(5)
    report = verify_chain()
    assert report.intact
    assert report.events_checked == 5
    call_command("verify_audit")


def test_it_names_the_event_whose_content_was_changed_in_the_database() -> None:
    write_events(5)
    raw("UPDATE core_auditevent SET reason = %s WHERE sequence = 3", ["nothing happened"])
    report = verify_chain()
    assert report.broken_at == 3
    with pytest.raises(CommandError, match="#3"):
        call_command("verify_audit")


def test_it_notices_a_deleted_event_in_the_middle() -> None:
    write_events(5)
    raw("DELETE FROM core_auditevent WHERE sequence = 2")
    assert verify_chain().broken_at == 2


def test_it_notices_deleted_events_at_the_tail() -> None:
    write_events(5)
    raw("DELETE FROM core_auditevent WHERE sequence >= 4")
    report = verify_chain()
    assert report.broken_at == 4
    assert "missing" in report.problem


def test_it_notices_a_forged_event_that_carries_a_correct_hash_of_its_own() -> None:
    write_events(3)
    forged = AuditEvent.objects.get(sequence=2)
    forged.reason = "forged"
    forged.hash = event_hash(forged)
    raw("UPDATE core_auditevent SET reason = %s, hash = %s WHERE sequence = 2",
        [forged.reason, forged.hash])
    assert verify_chain().broken_at == 3


def test_the_orm_refuses_to_change_or_delete_events() -> None:
    (event,) = write_events(1)
    event.reason = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()
    with pytest.raises(AuditLogIsAppendOnly):
        event.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert verify_chain().intact


def test_the_orm_refuses_an_event_that_bypasses_the_chain() -> None:
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.create(
            sequence=1, occurred_at=timezone.now(), action="view", prev_hash="x", hash="y"
        )


def test_an_event_is_rolled_back_with_the_change_it_records() -> None:
    write_events(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_event(AuditAction.UPDATE, object_type="test.thing", object_id=1)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 1
    assert AuditChainHead.objects.get().sequence == 1
    assert verify_chain().intact


@pytest.mark.postgres_only
def test_the_database_user_cannot_update_or_delete_audit_rows_on_postgresql() -> None:
    write_events(2)
    for statement in ("UPDATE core_auditevent SET reason = 'x'", "DELETE FROM core_auditevent"):
        with (
            pytest.raises((InternalError, ProgrammingError), match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_the_chain_stays_linear_under_concurrent_writers() -> None:
    writers, per_writer = 4, 25
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def work() -> None:
        try:
            start.wait()
            for i in range(per_writer):
                log_event(AuditAction.VIEW, object_type="test.concurrent", object_id=i)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, writers * per_writer + 1))
    report = verify_chain()
    assert report.intact, report.problem
    assert report.events_checked == writers * per_writer


def test_two_events_cannot_claim_the_same_predecessor() -> None:
    (event,) = write_events(1)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditevent (sequence, occurred_at, actor_label, action, object_type,"
            " object_id, reason, detail, prev_hash, hash) VALUES (2, %s, '', 'view', '', '', '',"
            " '{}', %s, %s)",
            [event.occurred_at, event.prev_hash, "f" * 64],
        )


def test_the_fast_encoder_writes_the_canonical_bytes() -> None:
    """``_encode`` (field by field, the verifier's inner loop) equals the reference encoding (json.dumps of a
    dict with sorted keys) for every kind of value an event can hold."""
    import datetime as dt
    import random

    from netwerkregie.core.audit_hash import encode_fields as _encode
    from netwerkregie.core.audit_hash import encode_reference as _encode_reference

    rng = random.Random(15)
    alphabet = 'aZ09 "\\/\n\t\r\x00\x1f\x7fé€😀\u2028\u2029<>&'
    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
    zones = [dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))]
    for n in range(2_000):
        moment = dt.datetime(2020, 1, 1, tzinfo=rng.choice(zones)) + dt.timedelta(
            seconds=rng.randint(0, 10**8), microseconds=rng.choice([0, 1, 999_999]))
        detail = rng.choice([{}, {"a": text()}, {text(): [1, 2.5, None, True, {"z": text()}], "b": {"c": n}}])
        values = (rng.randint(1, 2**40), moment, rng.choice([None, rng.randint(1, 10**6)]), text(), text(), text(),
                  text(), text(), rng.choice([None, "127.0.0.1", "::1"]), detail)
        assert _encode(values) == _encode_reference(values)


@pytest.mark.django_db
def test_a_chain_with_whole_second_times_verifies() -> None:
    """SQLite stores a time without its fraction when that is zero; the verifier reads the text directly."""
    import datetime as dt

    from django.utils import timezone

    for second in range(3):
        with time_machine.travel(dt.datetime(2026, 3, 29, 1, 59, second, tzinfo=dt.UTC), tick=False):
            log_event(AuditAction.VIEW, actor_label="tester", reason="whole seconds")
    assert timezone.is_aware(AuditEvent.objects.latest("sequence").occurred_at)
    assert verify_chain().intact


TAMPERING = {
    "untouched": [],
    "content changed at a seam": ["UPDATE core_auditevent SET reason = 'x' WHERE sequence = 5"],
    "content changed inside a stretch": ["UPDATE core_auditevent SET reason = 'x' WHERE sequence = 7"],
    "last event of a stretch deleted": ["DELETE FROM core_auditevent WHERE sequence = 4"],
    "first event of a stretch deleted": ["DELETE FROM core_auditevent WHERE sequence = 9"],
    "a whole stretch deleted": ["DELETE FROM core_auditevent WHERE sequence BETWEEN 5 AND 8"],
    "tail deleted": ["DELETE FROM core_auditevent WHERE sequence >= 11"],
    "link at a seam changed": ["UPDATE core_auditevent SET prev_hash = %s WHERE sequence = 5"],
    "an event added past the head": ["INSERT INTO core_auditevent (sequence, occurred_at, actor_label, action, "
                                     "object_type, object_id, reason, detail, prev_hash, hash) SELECT 13, occurred_at, "
                                     "actor_label, action, object_type, object_id, reason, detail, hash, %s FROM "
                                     "core_auditevent WHERE sequence = 12"],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tampering", TAMPERING)
def test_processes_side_by_side_find_what_one_process_finds(tampering: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long chain is cut into stretches walked by forked processes; the seams between them are checked,
    so every kind of tampering is reported at the same event, with the same words, as one walk reports it."""
    from netwerkregie.core import audit

    monkeypatch.setattr(audit, "PARALLEL_FROM", 4)
    write_events(12)
    for statement in TAMPERING[tampering]:
        raw(statement, ["f" * 64] if "%s" in statement else None)
    alone = verify_chain(workers=1)
    side_by_side = verify_chain(workers=3)
    assert audit._workers(3, 12) == 3  # really in three processes
    assert (side_by_side.broken_at, side_by_side.problem, side_by_side.events_checked) == (
        alone.broken_at, alone.problem, alone.events_checked)
    assert side_by_side.intact == (tampering == "untouched")
    if tampering == "untouched":
        assert side_by_side.events_checked == 12


def test_inside_a_transaction_the_chain_is_walked_by_this_process_only() -> None:
    """Other processes could not see rows this transaction has not committed."""
    from netwerkregie.core import audit

    write_events(3)
    assert audit._workers(4, 10_000_000) == 1
    assert verify_chain(workers=4).intact
