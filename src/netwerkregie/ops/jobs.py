"""The scheduled jobs, and the one scheduler process that runs them.

APScheduler (3.x) runs them in one long-lived process (``manage.py run_scheduler``; the
``scheduler`` service in compose.yaml): cron-style triggers in the municipality's time zone, a
missed run is made up once (coalesced) when the process comes back within the grace time. We
chose it over a task queue because these are a handful of periodic jobs with no queue to feed:
one small, maintained library and no broker. Every run is recorded as a ``JobRun`` (visible to
the privacy officer: last run, result, next run) and logged; a failure is logged as an error.
Each job is idempotent, so running it twice (by hand with ``run_job``, or after a restart) is safe.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import close_old_connections
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netwerkregie.ops.models import JobRun

logger = logging.getLogger(__name__)


Figures = dict[str, Any]


def _purge() -> Figures:
    from netwerkregie.privacy.lapse import lapse
    from netwerkregie.privacy.purge import purge

    lapsed = lapse()  # first: what lapses today starts its retention clock before the purge looks
    report = purge()
    return {"deleted": report.deleted, "held": report.held, "blocked": report.blocked,
            "lapsed": len(lapsed.cases) + len(lapsed.signals)}


def _verify_audit() -> Figures:
    from netwerkregie.core.audit import verify_chain

    report = verify_chain()
    if not report.intact:
        raise RuntimeError(f"audit chain broken at event #{report.broken_at}: {report.problem}")
    return {"events": report.events_checked, "witnessed": report.witnessed_up_to}


def _anchor_audit() -> Figures:
    from netwerkregie.core.audit import anchor_head

    return {"head": anchor_head()}


def _backup() -> Figures:
    from netwerkregie.ops.backup import backup, prune

    path = backup()
    return {"file": path.name, "bytes": path.stat().st_size, "removed": len(prune())}


def _describe_purge(f: Figures) -> str:
    text = _("deleted %(deleted)s; kept under a legal hold %(held)s; still needed by another record %(blocked)s") % f
    if "lapsed" in f:  # runs recorded before the lapse joined the job have no such figure
        text += "; " + _("lapsed, not re-justified: %(lapsed)s") % f
    return text


def _describe_verification(f: Figures) -> str:
    if f["witnessed"] is None:
        return _("intact: %(events)s events (no witness configured)") % f
    return _("intact: %(events)s events; matches the witness up to #%(witnessed)s") % f


def _describe_anchor(f: Figures) -> str:
    return _("event #%(head)s is with the witness") % f


def _describe_backup(f: Figures) -> str:
    return _("%(file)s (%(size)s); older backups removed: %(removed)s") % {
        **f, "size": filesizeformat(f["bytes"])}


def _daily(at: str) -> Callable[[], BaseTrigger]:
    hour, minute = (int(part) for part in at.split(":"))
    return lambda: CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    trigger: Callable[[], BaseTrigger]
    run: Callable[[], Figures]
    describe: Callable[[Figures], str]
    keep_runs_for: datetime.timedelta
    enabled: Callable[[], bool] = lambda: True


JOBS = [
    Job("anchor_audit", gettext_noop("Write the audit chain head to the witness"),
        lambda: IntervalTrigger(minutes=1), _anchor_audit, _describe_anchor, datetime.timedelta(days=1),
        enabled=lambda: bool(settings.AUDIT_WITNESS_PATH or settings.AUDIT_WITNESS_SYSLOG)),
    Job("backup", gettext_noop("Encrypted backup"), lambda: _daily(settings.SCHEDULE_BACKUP_AT)(), _backup,
        _describe_backup, datetime.timedelta(days=400), enabled=lambda: bool(settings.BACKUP_ENCRYPTION_KEY)),
    Job("purge", gettext_noop("Close what lapsed, delete what is past its retention date"),
        lambda: _daily(settings.SCHEDULE_PURGE_AT)(), _purge, _describe_purge, datetime.timedelta(days=400)),
    Job("verify_audit", gettext_noop("Verify the audit chain against the witness"),
        lambda: _daily(settings.SCHEDULE_VERIFY_AT)(), _verify_audit, _describe_verification,
        datetime.timedelta(days=400)),
]
BY_NAME = {job.name: job for job in JOBS}


def enabled_jobs() -> list[Job]:
    return [job for job in JOBS if job.enabled()]


def run_job(name: str) -> JobRun:
    """Run one job now and record the run; a failure is recorded and logged, never raised."""
    job = BY_NAME[name]
    record = JobRun.objects.create(job=job.name)
    try:
        figures, summary, ok = job.run(), "", True
    except Exception as error:
        figures, summary, ok = {}, f"{type(error).__name__}: {error}"[:500], False
        logger.error("Scheduled job %s failed: %s", job.name, summary)
    else:
        logger.info("Scheduled job %s: %s", job.name, json.dumps(figures))
    record.finished_at, record.ok, record.figures, record.summary = timezone.now(), ok, figures, summary
    record.save(update_fields=["finished_at", "ok", "figures", "summary"])
    JobRun.objects.filter(job=job.name, started_at__lt=timezone.now() - job.keep_runs_for).delete()
    return record


def _scheduled(name: str) -> None:
    """A run in the scheduler's thread: fresh database connections around it, as a request has."""
    close_old_connections()
    try:
        run_job(name)
    finally:
        close_old_connections()


def add_jobs(scheduler: BaseScheduler) -> None:
    for job in enabled_jobs():
        # The witness anchor (the heartbeat) also runs at start, so readiness need not wait a minute.
        first = {"next_run_time": timezone.now()} if job.name == "anchor_audit" else {}
        scheduler.add_job(_scheduled, job.trigger(), args=[job.name], id=job.name, name=job.name,
                          coalesce=True, max_instances=1, misfire_grace_time=settings.SCHEDULE_MISFIRE_GRACE_SECONDS,
                          **first)


@dataclass(frozen=True)
class Status:
    job: Job
    last: JobRun | None
    next_run: datetime.datetime | None

    @property
    def title(self) -> str:
        return str(_(self.job.title))


def status() -> list[Status]:
    """Per enabled job: its last run and its next run (from the same trigger the scheduler uses)."""
    now = timezone.now()
    latest = {}
    for job in enabled_jobs():
        latest[job.name] = JobRun.objects.filter(job=job.name).order_by("-started_at").first()
    return [Status(job, latest[job.name], job.trigger().get_next_fire_time(None, now)) for job in enabled_jobs()]


def heartbeat_is_recent() -> bool | None:
    """Whether the scheduler ran any job lately (readiness); None when nothing is scheduled often."""
    if not any(job.name == "anchor_audit" for job in enabled_jobs()):
        return None
    since = timezone.now() - datetime.timedelta(minutes=settings.SCHEDULER_STALE_AFTER_MINUTES)
    return JobRun.objects.filter(job="anchor_audit", started_at__gte=since).exists()
