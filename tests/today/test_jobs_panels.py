"""The scheduled jobs and the audit chain's verification on "Vandaag": failed and missed jobs for the
privacy officer and the administrator, counted as in the database; the chain's state read from the stored
runs, with no verification started by the page."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction
from netwerkregie.core.roles import Role
from netwerkregie.ops import jobs
from netwerkregie.ops.models import JobRun, SchedulerLease
from tests.conftest import verified_client
from tests.today.test_today import FIGURE

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def figures(html: str) -> dict[str, tuple[str, str | None]]:
    return {m["key"]: (m["number"], m["href"]) for m in FIGURE.finditer(html)}


def test_the_privacy_officers_today_starts_no_verification(users) -> None:
    for n in range(25):
        log_event(AuditAction.VIEW, object_type="test.thing", object_id=n)
    JobRun.objects.create(job="verify_audit", ok=True, finished_at=timezone.now(),
                          figures={"events": 20, "witnessed": 20, "full": True, "from": 1, "up_to": 20,
                                   "hash": "a" * 64, "witness_end": 0, "witness_line": None})
    client = verified_client(users[Role.PRIVACY_OFFICER])
    runs = list(JobRun.objects.values_list("pk", "state", "ok", "finished_at", "progress_done"))
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
        # What the page loads by itself once it is shown (htmx), fetched as the browser would.
        loaded = [m["url"] for m in re.finditer(r'<[^>]*hx-get="(?P<url>[^"]+)"[^>]*hx-trigger="load[^"]*"', html)]
        loaded += [m["url"] for m in re.finditer(r'<[^>]*hx-trigger="load[^"]*"[^>]*hx-get="(?P<url>[^"]+)"', html)]
        for url in loaded:
            html += client.get(url, HTTP_HX_REQUEST="true").content.decode()
    walks = [q["sql"] for q in queries if "core_auditevent" in q["sql"] and "prev_hash" in q["sql"]
             and q["sql"].lstrip().upper().startswith("SELECT")]
    assert walks == []  # no event of the chain was read to check it
    assert list(JobRun.objects.values_list("pk", "state", "ok", "finished_at", "progress_done")) == runs
    assert 'data-verification="intact"' in html
    assert "intact: 20 gebeurtenissen" in html
    assert f'hx-post="{reverse("privacy:verify_now")}"' in html


def test_a_failed_verification_is_shown_from_its_run(users) -> None:
    JobRun.objects.create(job="verify_audit", ok=False, finished_at=timezone.now(),
                          summary="RuntimeError: audit chain broken at event #7: its content does not match its hash")
    html = verified_client(users[Role.PRIVACY_OFFICER]).get("/").content.decode()
    assert 'data-verification="failed"' in html
    assert "#7" in html


def test_failed_and_missed_jobs_on_the_privacy_officers_and_the_administrators_today(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=False)
    JobRun.objects.create(job="purge", started_at=datetime.datetime(2026, 11, 25, 2, 30, tzinfo=AMSTERDAM),
                          ok=False, finished_at=timezone.now(), summary="OperationalError: database is locked")
    JobRun.objects.create(job="verify_audit", started_at=datetime.datetime(2026, 11, 25, 3, 15, tzinfo=AMSTERDAM),
                          ok=True, finished_at=timezone.now(), figures={"events": 1, "witnessed": 1})
    JobRun.objects.create(job="announce_due", started_at=datetime.datetime(2026, 11, 25, 6, 0, tzinfo=AMSTERDAM),
                          ok=True, finished_at=timezone.now(), figures={"announced": 0, "people": 0, "mailed": 0})
    # The backup never ran since 01:30; the scheduler last beat at 01:00.
    beat = datetime.datetime(2026, 11, 25, 1, 0, tzinfo=AMSTERDAM)
    SchedulerLease.objects.create(pk=1, holder="s", heartbeat_at=beat, expires_at=beat + datetime.timedelta(seconds=90))
    failed, missed = jobs.failed(), jobs.missed()
    assert [s.job.name for s in failed] == ["purge"]
    assert [m.job.name for m in missed] == ["backup"]
    for role, link in ((Role.PRIVACY_OFFICER, reverse("privacy:overview") + "#jobs-heading"), (Role.ADMIN, None)):
        html = verified_client(users[role]).get("/").content.decode()
        shown = figures(html)
        assert shown["jobs-failed"] == (str(len(failed)), link)
        assert shown["jobs-missed"] == (str(len(missed)), link)
        assert "database is locked" in html
        assert "Versleutelde back-up" in html
        assert "25-11-2026 01:00" in html  # when the scheduler last reported
    assert html.count('data-figure="jobs-failed"') == 1


def test_nothing_to_report_when_the_jobs_ran(users, time_machine) -> None:
    time_machine.move_to(datetime.datetime(2026, 11, 25, 9, 0, tzinfo=AMSTERDAM), tick=False)
    for job, at in (("backup", (1, 30)), ("purge", (2, 30)), ("verify_audit", (3, 15)), ("announce_due", (6, 0))):
        JobRun.objects.create(job=job, started_at=datetime.datetime(2026, 11, 25, *at, tzinfo=AMSTERDAM), ok=True,
                              finished_at=timezone.now(), figures={"events": 0, "witnessed": 0})
    SchedulerLease.objects.create(pk=1, holder="s", heartbeat_at=timezone.now(), expires_at=timezone.now())
    html = verified_client(users[Role.ADMIN]).get("/").content.decode()
    assert figures(html)["jobs-failed"] == ("0", None)
    assert figures(html)["jobs-missed"] == ("0", None)
    assert "nr-today-card--attention" not in html[html.index('id="today-jobs"') - 200:html.index('id="today-jobs"')]
