"""The scheduler runs the daily jobs at their time, records each run, and shows them to the privacy officer."""

import datetime
import re
import time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.ops import jobs, sealed
from netwerkregie.ops.models import JobRun, RunState, SchedulerLease
from tests.conftest import verified_client
from tests.privacy.test_purge import decided

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def wait_for(predicate, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_runs_purge_and_verification_at_their_time(users, time_machine) -> None:
    unfounded = decided(users, "Quirine Zeldenrust", "closed_no_concern")
    decided_on = unfounded.assessment.decided_at.astimezone(AMSTERDAM).date()
    # Frozen at a few seconds before the purge, 29 days later; the clock then runs on.
    purge_day = decided_on + datetime.timedelta(days=29)
    time_machine.move_to(datetime.datetime.combine(purge_day, datetime.time(2, 29, 57), AMSTERDAM), tick=True)

    scheduler = BackgroundScheduler(timezone=AMSTERDAM)
    jobs.add_jobs(scheduler, catch_up=False)  # what a restart missed: test_a_scheduler_started_after_a_missed_...
    assert {job.id for job in scheduler.get_jobs()} == {"anchor_audit", "announce_due", "backup", "purge",
                                                        "send_digests", "send_mail", "verify_audit"}
    scheduler.start()
    try:
        assert wait_for(lambda: JobRun.objects.filter(job="purge", ok=True).exists())
        assert not JobRun.objects.filter(job="verify_audit").exists()  # not yet: 03:15
    finally:
        scheduler.shutdown(wait=True)
    assert not Signal.objects.filter(pk=unfounded.pk).exists()
    run = JobRun.objects.get(job="purge")
    assert run.started_at.astimezone(AMSTERDAM).time() >= datetime.time(2, 30)
    assert run.figures == {"deleted": 2, "held": 0, "blocked": 0, "lapsed": 0}  # the signal and its person
    assert AuditEvent.objects.filter(action="purge", object_id=str(unfounded.pk)).exists()

    time_machine.move_to(datetime.datetime.combine(purge_day, datetime.time(3, 14, 58), AMSTERDAM), tick=True)
    scheduler = BackgroundScheduler(timezone=AMSTERDAM)
    jobs.add_jobs(scheduler, catch_up=False)
    scheduler.start()
    try:
        assert wait_for(lambda: JobRun.objects.filter(job="verify_audit").exists())
    finally:
        scheduler.shutdown(wait=True)
    verification = JobRun.objects.get(job="verify_audit")
    assert verification.ok
    assert verification.figures["events"] > 0


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_command_says_so(monkeypatch) -> None:
    def broken() -> str:
        raise RuntimeError("audit chain broken at event #7")

    monkeypatch.setattr(jobs, "BY_NAME", {**jobs.BY_NAME, "verify_audit": jobs.Job(
        "verify_audit", "Verify", jobs.BY_NAME["verify_audit"].trigger, broken, str, datetime.timedelta(days=1))})
    with pytest.raises(CommandError, match="#7"):
        call_command("run_job", "verify_audit")
    run = JobRun.objects.get()
    assert run.ok is False
    assert "#7" in run.description
    assert run.finished_at is not None


@pytest.mark.django_db
def test_running_a_job_twice_is_safe(users) -> None:
    out = StringIO()
    call_command("run_job", "purge", stdout=out)
    call_command("run_job", "purge", stdout=out)
    assert len(re.findall(r"(?:deleted|verwijderd):? 0;", out.getvalue())) == 2
    assert JobRun.objects.filter(job="purge", ok=True).count() == 2


@pytest.mark.django_db
def test_the_privacy_officer_sees_last_run_result_and_next_run(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM), tick=False)
    call_command("run_job", "verify_audit", stdout=StringIO())
    page = verified_client(users[Role.PRIVACY_OFFICER]).get(reverse("privacy:overview")).content.decode()
    table = page[page.index('id="jobs"'):]
    table = table[:table.index("</table>")]
    assert "24-11-2026 10:00" in table  # the last run of the verification
    assert "25-11-2026 02:30" in table  # the next purge
    assert "25-11-2026 03:15" in table  # the next verification
    assert "intact" in table
    assert "getuige" in table
    assert table.count("<tr") == 1 + 7  # the four jobs, the outbox's send_mail, the notifications' two


@pytest.mark.django_db
def test_a_failed_job_is_on_the_privacy_officers_today_page(users) -> None:
    client = verified_client(users[Role.PRIVACY_OFFICER])
    assert 'data-figure="jobs-failed" class="nr-figure"' in client.get("/").content.decode()
    JobRun.objects.create(job="verify_audit", ok=False, summary="RuntimeError: audit chain broken at event #7",
                          finished_at=timezone.now())
    page = client.get("/").content.decode()
    figure = page[page.index('data-figure="jobs-failed"'):]
    assert "nr-figure--attention" in figure[:80]
    assert ">1<" in figure[:300]
    assert "Auditketen controleren tegen de getuige" in page
    assert "#7" in page


def done(job: str, at: datetime.datetime, **figures: object) -> JobRun:
    return JobRun.objects.create(job=job, started_at=at, finished_at=at, ok=True, figures=figures)


def leader(holder: str) -> jobs.Leader:
    return jobs.Leader(holder=holder, scheduler=BackgroundScheduler(timezone=AMSTERDAM))


@pytest.fixture
def backups(settings, tmp_path) -> None:
    settings.BACKUP_ENCRYPTION_KEY, settings.BACKUP_DIR = sealed.new_key(), tmp_path / "backups"


@pytest.mark.django_db(transaction=True)
def test_a_scheduler_started_after_a_missed_backup_runs_it_at_once(users, backups, time_machine) -> None:
    """It went down before 01:30 and came back at 09:00: the backup of last night runs now, not tomorrow;
    the purge and verification, which ran at their time, do not run again."""
    done("backup", datetime.datetime(2026, 11, 24, 1, 30, tzinfo=AMSTERDAM), file="x", bytes=1, removed=0)
    done("purge", datetime.datetime(2026, 11, 25, 2, 30, tzinfo=AMSTERDAM))
    done("verify_audit", datetime.datetime(2026, 11, 25, 3, 15, tzinfo=AMSTERDAM), events=0, witnessed=0)
    done("announce_due", datetime.datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM), announced=0, people=0, mailed=0)
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=True)
    assert [job.name for job in jobs.enabled_jobs() if jobs.overdue(job, timezone.now())] == ["backup"]

    scheduler = leader("first")
    assert scheduler.try_to_lead()
    try:
        assert wait_for(lambda: JobRun.objects.filter(job="backup", state=RunState.FINISHED).count() == 2)
    finally:
        scheduler.stop()
    backup = JobRun.objects.filter(job="backup").order_by("-started_at").first()
    assert backup.ok, backup.summary
    assert backup.started_at.astimezone(AMSTERDAM).date() == datetime.date(2026, 11, 25)
    assert backup.started_at.astimezone(AMSTERDAM).time() < datetime.time(9, 1)  # at once, not at 01:30 tomorrow
    assert JobRun.objects.filter(job="purge").count() == JobRun.objects.filter(job="verify_audit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_scheduler_waits_while_the_first_holds_the_lease_and_takes_over_when_it_expires(
        users, settings, time_machine) -> None:
    settings.BACKUP_ENCRYPTION_KEY = ""  # no backup here: the daily jobs below are the purge and verification
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=False)
    done("purge", datetime.datetime(2026, 11, 24, 2, 30, tzinfo=AMSTERDAM))  # last night's is missed

    first, second = leader("first"), leader("second")
    assert first.try_to_lead()
    assert wait_for(lambda: JobRun.objects.filter(job="purge", state=RunState.FINISHED).count() == 2)
    assert wait_for(lambda: JobRun.objects.filter(job="verify_audit", state=RunState.FINISHED).exists())
    runs = JobRun.objects.count()
    assert not second.try_to_lead()
    assert not second.scheduler.running
    assert JobRun.objects.count() == runs
    assert SchedulerLease.objects.get().holder == "first"

    first.scheduler.shutdown(wait=True)  # the first stops renewing (its container hangs) without letting go
    time_machine.shift(datetime.timedelta(seconds=settings.SCHEDULER_LEASE_SECONDS - 1))
    assert not second.try_to_lead()  # not yet expired
    time_machine.shift(datetime.timedelta(seconds=2))
    JobRun.objects.filter(job="purge").delete()  # a job the new holder must make up
    try:
        assert second.try_to_lead()
        assert second.scheduler.running
        assert SchedulerLease.objects.get().holder == "second"
        assert wait_for(lambda: JobRun.objects.filter(job="purge", state=RunState.FINISHED).exists())
        first.tick()  # the first wakes up: it can no longer renew, and stops
        assert first.lost.is_set()
    finally:
        second.stop()
    assert SchedulerLease.objects.get().holder == ""  # let go on a clean stop: a third need not wait


@pytest.mark.django_db(transaction=True)
def test_verify_now_queues_a_run_that_the_scheduler_takes_up_with_its_progress(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 25, 10, 0, tzinfo=AMSTERDAM), tick=True)
    for job, hour in (("purge", 2), ("verify_audit", 3), ("backup", 1)):
        done(job, datetime.datetime(2026, 11, 25, hour, 30, tzinfo=AMSTERDAM))
    officer = verified_client(users[Role.PRIVACY_OFFICER])
    events = AuditEvent.objects.count()
    page = officer.post(reverse("privacy:verify_now"), HTTP_HX_REQUEST="true").content.decode()
    queued = JobRun.objects.get(state=RunState.QUEUED)
    assert 'hx-trigger="every 2s"' in page
    assert 'data-verification="queued"' in page
    assert queued.progress_done is None
    assert AuditEvent.objects.filter(action="job").count() == 1
    assert officer.post(reverse("privacy:verify_now")).status_code == 302  # asked twice: still one run
    assert JobRun.objects.filter(state=RunState.QUEUED).count() == 1

    scheduler = leader("only")
    assert scheduler.try_to_lead()
    try:
        assert wait_for(lambda: JobRun.objects.get(pk=queued.pk).state == RunState.FINISHED)
    finally:
        scheduler.stop()
    run = JobRun.objects.get(pk=queued.pk)
    assert run.ok, run.summary
    assert run.figures["full"] is True
    assert run.figures["events"] >= events + 1
    assert run.progress_done == run.progress_total == run.figures["events"]
    page = officer.get(reverse("privacy:verification"), HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in page
    assert 'data-verification="intact"' in page
    assert "intact" in page


@pytest.mark.django_db
def test_a_running_verification_shows_its_progress_and_keeps_polling(users) -> None:
    JobRun.objects.create(job="verify_audit", state=RunState.RUNNING, progress_done=3000, progress_total=12000)
    page = verified_client(users[Role.PRIVACY_OFFICER]).get(reverse("privacy:verification")).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'data-verification="running"' in page
    assert '<progress class="nr-progress" max="12000" value="3000"' in page
    assert re.search(r"3\.?000 van 12\.?000", page)
    assert "Nu controleren" not in page  # no second request while one runs


@pytest.mark.django_db
def test_a_missed_job_shows_once_a_scheduler_has_beaten(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=False)
    for job, at in (("purge", (2, 30)), ("verify_audit", (3, 15)), ("backup", (1, 30)), ("announce_due", (6, 0))):
        done(job, datetime.datetime(2026, 11, 24, *at, tzinfo=AMSTERDAM))
    assert jobs.missed() == []  # no scheduler has ever run here: its health says so, not each job
    SchedulerLease.objects.create(pk=1, holder="x", heartbeat_at=timezone.now(), expires_at=timezone.now())
    assert sorted(late.job.name for late in jobs.missed()) == ["announce_due", "backup", "purge", "verify_audit"]
    done("backup", datetime.datetime(2026, 11, 25, 8, 0, tzinfo=AMSTERDAM))
    assert sorted(late.job.name for late in jobs.missed()) == ["announce_due", "purge", "verify_audit"]
