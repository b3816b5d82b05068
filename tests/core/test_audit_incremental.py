"""Verification from a checkpoint: the nightly walk checks only the events since the last walk that held,
the checkpoint itself against the witness; a rewrite before the checkpoint is left to the periodic full walk.
And the number of processes a full walk may use: the processors this process may run on."""

import datetime
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from netwerkregie.core import audit
from netwerkregie.core.audit import Checkpoint, StartOver, verify_chain, verify_since
from netwerkregie.ops import jobs
from netwerkregie.ops.models import JobRun
from tests.core.test_audit_chain import raw, write_events

pytestmark = pytest.mark.django_db(transaction=True)  # witness lines are written on commit


def test_after_a_checkpoint_only_the_new_events_are_walked_and_a_change_among_them_is_caught() -> None:
    write_events(30)
    whole = verify_chain()
    assert whole.intact
    assert whole.events_checked == 30
    assert whole.witness_line is not None
    checkpoint = whole.checkpoint
    assert (checkpoint.sequence, checkpoint.hash) == (30, whole.head_hash)

    write_events(7)
    walked = []
    since = verify_since(checkpoint, progress=walked.append)
    assert since.intact, since.problem
    assert (since.first_checked, since.events_checked, since.head_sequence) == (31, 7, 37)
    assert walked == [7]
    assert since.witnessed_up_to == 37

    raw("UPDATE core_auditevent SET reason = 'rewritten' WHERE sequence = 33")
    report = verify_since(checkpoint)
    assert report.broken_at == 33
    assert report.problem == audit.CHANGED


def test_a_change_before_the_checkpoint_is_not_walked_again_but_the_full_walk_finds_it() -> None:
    write_events(20)
    checkpoint = verify_chain().checkpoint
    write_events(5)
    raw("UPDATE core_auditevent SET reason = 'rewritten' WHERE sequence = 4")
    assert verify_since(checkpoint).intact  # its cost grows with the new events: #4 is not read
    full = verify_chain()
    assert full.broken_at == 4
    assert full.problem == audit.CHANGED


def test_a_checkpoint_that_is_not_what_the_witness_saw_is_caught() -> None:
    """Someone with database rights rewrites the chain and the stored checkpoint to match it: the witness's
    own line for the checkpoint's event says otherwise."""
    write_events(10)
    good = verify_chain().checkpoint
    raw("UPDATE core_auditevent SET hash = %s WHERE sequence = 10", ["e" * 64])
    forged = Checkpoint(good.sequence, "e" * 64, good.witness_end, good.witness_line)
    report = verify_since(forged)
    assert report.broken_at == 10
    assert "witness" in report.problem
    # And a checkpoint whose event was changed since in the database:
    assert verify_since(good).broken_at == 10


def test_a_restored_witness_means_a_full_walk() -> None:
    from netwerkregie.core import witness

    write_events(3)
    checkpoint = verify_chain().checkpoint
    witness.append({"restore": {"seq": 2, "hash": "x" * 64}})
    with pytest.raises(StartOver):
        verify_since(checkpoint)


def test_the_nightly_job_walks_from_its_checkpoint_and_the_whole_chain_every_few_days(settings, time_machine) -> None:
    settings.AUDIT_FULL_VERIFY_DAYS = 7
    time_machine.move_to(datetime.datetime(2026, 11, 20, 3, 15, tzinfo=datetime.UTC), tick=False)
    write_events(40)
    call_command("run_job", "verify_audit", stdout=StringIO())
    first = JobRun.objects.get()
    assert first.figures["full"] is True
    assert first.figures["events"] == 40
    assert (first.progress_done, first.progress_total) == (40, 40)

    time_machine.move_to(datetime.datetime(2026, 11, 21, 3, 15, tzinfo=datetime.UTC), tick=False)
    write_events(6)
    raw("UPDATE core_auditevent SET reason = 'rewritten' WHERE sequence = 12")  # before the checkpoint
    second = jobs.run_job("verify_audit")
    assert second.ok
    assert second.figures["full"] is False
    assert (second.figures["from"], second.figures["events"], second.figures["up_to"]) == (41, 6, 46)
    assert "#41" in second.description

    time_machine.move_to(datetime.datetime(2026, 11, 27, 3, 16, tzinfo=datetime.UTC), tick=False)
    assert jobs.full_walk_due()  # seven days after the last whole walk
    third = jobs.run_job("verify_audit")
    assert third.ok is False
    assert "#12" in third.summary


def test_the_workers_are_the_processors_this_process_may_use(settings, tmp_path: Path) -> None:
    settings.AUDIT_VERIFY_WORKERS = 0
    allowed = os.sched_getaffinity(0)
    no_limit = tmp_path / "cpu.max"
    no_limit.write_text("max 100000\n")
    assert audit.usable_cpus(no_limit) == len(allowed)
    try:
        os.sched_setaffinity(0, {min(allowed)})
        assert audit.usable_cpus(no_limit) == 1
        assert audit._workers(None, 10_000_000) == 1
    finally:
        os.sched_setaffinity(0, allowed)
    half = tmp_path / "cpu.max.half"
    half.write_text("50000 100000\n")  # a container limited to half a processor
    assert audit.usable_cpus(half) == 1
    three = tmp_path / "cpu.max.three"
    three.write_text("300000 100000\n")
    assert audit.usable_cpus(three) == min(3, len(allowed))
    assert audit.usable_cpus(tmp_path / "absent") == len(allowed)


def test_a_web_caller_walks_in_its_own_process_only_the_scheduler_forks(monkeypatch, settings) -> None:
    """verify_chain() walks in the calling process unless ``parallel`` (the scheduler) or a number is asked
    for: the progress is reported from the walk in this process only."""
    monkeypatch.setattr(audit, "PARALLEL_FROM", 4)
    settings.AUDIT_VERIFY_WORKERS = 2
    write_events(12)
    here: list[int] = []
    assert verify_chain(progress=here.append).intact
    assert here == [12]
    forked: list[int] = []
    assert verify_chain(parallel=True, progress=forked.append).intact
    assert forked == []
