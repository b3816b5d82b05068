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
from netwerkregie.ops import jobs
from netwerkregie.ops.models import JobRun
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
    jobs.add_jobs(scheduler)
    assert {job.id for job in scheduler.get_jobs()} == {"anchor_audit", "backup", "purge", "verify_audit"}
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
    jobs.add_jobs(scheduler)
    scheduler.start()
    try:
        assert wait_for(lambda: JobRun.objects.filter(job="verify_audit").exists())
    finally:
        scheduler.shutdown(wait=True)
    verification = JobRun.objects.get(job="verify_audit")
    assert verification.ok and verification.figures["events"] > 0


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_command_says_so(monkeypatch) -> None:
    def broken() -> str:
        raise RuntimeError("audit chain broken at event #7")

    monkeypatch.setattr(jobs, "BY_NAME", {**jobs.BY_NAME, "verify_audit": jobs.Job(
        "verify_audit", "Verify", jobs.BY_NAME["verify_audit"].trigger, broken, str, datetime.timedelta(days=1))})
    with pytest.raises(CommandError, match="#7"):
        call_command("run_job", "verify_audit")
    run = JobRun.objects.get()
    assert run.ok is False and "#7" in run.description and run.finished_at is not None


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
    assert "intact" in table and "getuige" in table  # the result in Dutch, from the figures
    assert table.count("<tr") == 1 + 4


@pytest.mark.django_db
def test_a_failed_job_is_on_the_privacy_officers_today_page(users) -> None:
    client = verified_client(users[Role.PRIVACY_OFFICER])
    assert 'data-figure="jobs-failed" class="nr-figure"' in client.get("/").content.decode()
    JobRun.objects.create(job="verify_audit", ok=False, summary="RuntimeError: audit chain broken at event #7",
                          finished_at=timezone.now())
    page = client.get("/").content.decode()
    figure = page[page.index('data-figure="jobs-failed"'):]
    assert "nr-figure--attention" in figure[:80] and ">1<" in figure[:300]
    assert "Auditketen controleren tegen de getuige" in page and "#7" in page
