"""The scheduled jobs, and the one scheduler process that runs them.

APScheduler (3.x) runs them in one long-lived process (``manage.py run_scheduler``; the
``scheduler`` service in compose.yaml): cron-style triggers in the municipality's time zone. We
chose it over a task queue because these are a handful of periodic jobs with no queue to feed:
one small, maintained library and no broker. APScheduler keeps its jobs in memory, so what a
restart missed is made up from our own records: when a scheduler starts, every daily job that has
not succeeded since the last time it was due runs at once (``overdue``). Only the holder of the
lease (``ops.lease``) runs jobs; a second replica waits and takes over when the lease expires.
Every run is recorded as a ``JobRun`` (visible to the privacy officer: last run, result, next run)
and logged; a failure is logged as an error. Each job is idempotent, so running it twice (by hand
with ``run_job``, or after a restart) is safe. A run asked for from a page (the privacy officer's
"verify now") is a ``queued`` row that the scheduler takes up at its next tick.
"""

from __future__ import annotations

import datetime
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import close_old_connections, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netwerkregie.core.audit import Checkpoint, StartOver, anchor_head, log_event, verify_chain, verify_since
from netwerkregie.core.models import AuditAction, AuditChainHead
from netwerkregie.core.outbox import send_queued
from netwerkregie.notifications.digest import send_digests
from netwerkregie.ops import lease
from netwerkregie.ops.backup import backup, prune
from netwerkregie.ops.models import JobRun, RunState
from netwerkregie.ops.registry import BY_NAME, DAY, JOBS, Figures, Job, Progress, daily, register

logger = logging.getLogger(__name__)




def checkpoint() -> Any:
    """Where the last verification that held ended (a ``core.audit.Checkpoint``), or None."""
    last = (JobRun.objects.filter(job="verify_audit", state=RunState.FINISHED, ok=True, figures__has_key="hash")
            .order_by("-started_at").values_list("figures", flat=True).first())
    if last is None:
        return None
    return Checkpoint(last["up_to"], last["hash"], last.get("witness_end", 0), last.get("witness_line"))


def full_walk_due(now: datetime.datetime | None = None) -> bool:
    """Whether the whole chain is due for a walk: none held within ``AUDIT_FULL_VERIFY_DAYS``."""
    since = (now or timezone.now()) - datetime.timedelta(days=settings.AUDIT_FULL_VERIFY_DAYS)
    return not JobRun.objects.filter(job="verify_audit", state=RunState.FINISHED, ok=True, figures__full=True,
                                     started_at__gte=since).exists()


def _verify_audit(progress: Progress | None = None) -> Figures:
    """From the last checkpoint to the head (the new events only), or the whole chain when a full walk is
    due (``AUDIT_FULL_VERIFY_DAYS``), there is no checkpoint yet, or the witness was restored since. Runs
    in the scheduler (or ``run_job``), never in a web request: the whole walk may use several processes."""
    began = time.monotonic()
    head = AuditChainHead.objects.values_list("sequence", flat=True).get(pk=1)
    start = None if full_walk_due() else checkpoint()
    report = None
    if start is not None and start.sequence <= head:
        total = head - start.sequence
        try:
            report = verify_since(start, progress=(lambda done: progress(done, total)) if progress else None)
        except StartOver as reason:
            logger.warning("Audit verification: the whole chain is walked (%s)", reason)
    if report is None:
        report = verify_chain(parallel=True, progress=(lambda done: progress(done, head)) if progress else None)
    if not report.intact:
        raise RuntimeError(f"audit chain broken at event #{report.broken_at}: {report.problem}")
    return {"events": report.events_checked, "witnessed": report.witnessed_up_to,
            "full": report.first_checked == 1, "from": report.first_checked, "up_to": report.head_sequence,
            "hash": report.head_hash, "witness_end": report.witness_end, "witness_line": report.witness_line,
            "seconds": round(time.monotonic() - began, 3)}


def _anchor_audit() -> Figures:
    return {"head": anchor_head()}


def _backup() -> Figures:
    path = backup()
    return {"file": path.name, "bytes": path.stat().st_size, "removed": len(prune())}


def _send_mail() -> Figures:
    return send_queued()


def _send_digests() -> Figures:
    return send_digests()


def _describe_digests(f: Figures) -> str:
    return _("daily digests sent %(sent)s; still waiting for their hour %(waiting)s") % f


def _describe_mail(f: Figures) -> str:
    return _("sent %(sent)s, deferred %(deferred)s, tried again %(retried)s; waiting %(waiting)s, "
             "failed %(failed)s") % f


def _describe_verification(f: Figures) -> str:
    if f["witnessed"] is None:
        text = _("intact: %(events)s events (no witness configured)") % f
    else:
        text = _("intact: %(events)s events; matches the witness up to #%(witnessed)s") % f
    if "full" in f:  # runs recorded before the checkpoints have no such figure
        text += "; " + (_("the whole chain") if f["full"] else _("the events from #%(from)s on") % f)
    return text


def _describe_anchor(f: Figures) -> str:
    return _("event #%(head)s is with the witness") % f


def _describe_backup(f: Figures) -> str:
    return _("%(file)s (%(size)s); older backups removed: %(removed)s") % {
        **f, "size": filesizeformat(f["bytes"])}


for job in (
    Job("anchor_audit", gettext_noop("Write the audit chain head to the witness"),
        lambda: IntervalTrigger(minutes=1), _anchor_audit, _describe_anchor, datetime.timedelta(days=1),
        enabled=lambda: bool(settings.AUDIT_WITNESS_PATH or settings.AUDIT_WITNESS_SYSLOG)),
    Job("backup", gettext_noop("Encrypted backup"), lambda: daily(settings.SCHEDULE_BACKUP_AT)(), _backup,
        _describe_backup, datetime.timedelta(days=400), enabled=lambda: bool(settings.BACKUP_ENCRYPTION_KEY),
        period=DAY),
    Job("send_digests", gettext_noop("Send each person's daily digest at their hour"),
        lambda: CronTrigger(minute=0, timezone=ZoneInfo(settings.TIME_ZONE)), _send_digests, _describe_digests,
        datetime.timedelta(days=7)),  # each run sends what came before each hour: a missed run needs no making up
    Job("send_mail", gettext_noop("Send the mail in the outbox"), lambda: IntervalTrigger(minutes=1), _send_mail,
        _describe_mail, datetime.timedelta(days=1)),
    Job("verify_audit", gettext_noop("Verify the audit chain against the witness"),
        lambda: daily(settings.SCHEDULE_VERIFY_AT)(), _verify_audit, _describe_verification,
        datetime.timedelta(days=400), period=DAY, reports_progress=True),
):
    register(job)


def enabled_jobs() -> list[Job]:
    return [job for job in JOBS if job.enabled()]


def _progress_of(record: JobRun) -> Progress:
    """Writes a run's progress to its row, at most about once a second (the page polls it)."""
    written = [0.0]

    def report(done: int, total: int) -> None:
        if time.monotonic() - written[0] >= 1.0 or done >= total:
            written[0] = time.monotonic()
            JobRun.objects.filter(pk=record.pk).update(progress_done=done, progress_total=total)

    return report


def run_job(name: str, *, record: JobRun | None = None) -> JobRun:
    """Run one job now and record the run (on ``record`` when it was asked for and taken up already);
    a failure is recorded and logged, never raised."""
    job = BY_NAME[name]
    if record is None:
        record = JobRun.objects.create(job=job.name, state=RunState.RUNNING)
    try:
        figures = job.run(_progress_of(record)) if job.reports_progress else job.run()
        summary, ok = "", True
    except Exception as error:
        figures, summary, ok = {}, f"{type(error).__name__}: {error}"[:500], False
        logger.error("Scheduled job %s failed: %s", job.name, summary)
    else:
        logger.info("Scheduled job %s: %s", job.name, json.dumps(figures))
    record.finished_at, record.ok, record.figures, record.summary = timezone.now(), ok, figures, summary
    record.state = RunState.FINISHED
    record.save(update_fields=["finished_at", "ok", "figures", "summary", "state"])
    JobRun.objects.filter(job=job.name, started_at__lt=timezone.now() - job.keep_runs_for).delete()
    return record


def request_verification(*, actor: Any) -> tuple[JobRun, bool]:
    """Ask the scheduler for a verification of the audit chain now (the page's "verify now"): a queued run,
    or the one already queued or running. True when this call queued it (and the request is audited)."""
    with transaction.atomic():
        AuditChainHead.objects.select_for_update().get(pk=1)  # one request at a time (SQLite: the write lock)
        waiting = JobRun.objects.filter(job="verify_audit", state__in=[RunState.QUEUED, RunState.RUNNING]).first()
        if waiting is not None:
            return waiting, False
        record = JobRun.objects.create(job="verify_audit", state=RunState.QUEUED)
        log_event(AuditAction.JOB, actor=actor, obj=record, reason="audit verification requested")
        return record, True


def latest_verification() -> JobRun | None:
    return JobRun.objects.filter(job="verify_audit").order_by("-started_at", "-pk").first()


def _scheduled(name: str) -> None:
    """A run in the scheduler's thread: fresh database connections around it, as a request has."""
    close_old_connections()
    try:
        run_job(name)
    finally:
        close_old_connections()


def _requested(pk: int) -> None:
    close_old_connections()
    try:
        record = JobRun.objects.get(pk=pk)
        run_job(record.job, record=record)
    finally:
        close_old_connections()


def last_due(job: Job, now: datetime.datetime) -> datetime.datetime | None:
    """The last time a daily job was due, within its period before ``now`` (its trigger's last fire time)."""
    if job.period is None:
        return None
    trigger, due = job.trigger(), None
    moment = trigger.get_next_fire_time(None, now - job.period)
    while moment is not None and moment <= now:
        due, moment = moment, trigger.get_next_fire_time(moment, moment + datetime.timedelta(seconds=1))
    return due


def overdue(job: Job, now: datetime.datetime) -> bool:
    """A daily job that has not succeeded since the last time it was due: the scheduler runs it at start."""
    due = last_due(job, now)
    return due is not None and not JobRun.objects.filter(job=job.name, ok=True, started_at__gte=due).exists()


def add_jobs(scheduler: BaseScheduler, *, catch_up: bool = True) -> None:
    """Every enabled job on its trigger. The witness anchor (the audit heartbeat) runs at start too, and so
    does (``catch_up``) every daily job that missed its last time: APScheduler keeps no memory of runs across
    a restart, the ``JobRun`` rows do."""
    now = timezone.now()
    for job in enabled_jobs():
        at_once = job.name == "anchor_audit" or (catch_up and overdue(job, now))
        if at_once and job.name != "anchor_audit":
            logger.warning("Scheduled job %s missed its last time; it runs now", job.name)
        scheduler.add_job(_scheduled, job.trigger(), args=[job.name], id=job.name, name=job.name,
                          coalesce=True, max_instances=1, misfire_grace_time=settings.SCHEDULE_MISFIRE_GRACE_SECONDS,
                          **({"next_run_time": now} if at_once else {}))


class Leader:
    """One scheduler process: it runs the jobs only while it holds the lease (``ops.lease``).

    ``try_to_lead`` takes the lease and, the first time, starts the jobs (those that missed their time at
    once); a tick every ``SCHEDULER_TICK_SECONDS`` renews the lease (the heartbeat) and takes up runs asked
    for from a page. When the lease is lost (this process stalled past its expiry and another took over),
    ``lost`` is set: the process stops its jobs and exits."""

    def __init__(self, holder: str | None = None, scheduler: BaseScheduler | None = None) -> None:
        self.holder = holder or lease.new_holder()
        self.scheduler = scheduler or BackgroundScheduler(timezone=ZoneInfo(settings.TIME_ZONE))
        self.leading = False
        self.lost = threading.Event()

    def try_to_lead(self) -> bool:
        if not lease.acquire(self.holder):
            return False
        if not self.leading:
            self.leading = True
            interrupted = (JobRun.objects.filter(state=RunState.RUNNING)
                           .update(state=RunState.FINISHED, ok=False, finished_at=timezone.now(),
                                   summary="Interrupted: the scheduler stopped during the run"))
            if interrupted:
                logger.error("Scheduler: %s run(s) were interrupted by the previous scheduler's stop", interrupted)
            add_jobs(self.scheduler)
            self.scheduler.add_job(self.tick, IntervalTrigger(seconds=settings.SCHEDULER_TICK_SECONDS), id="tick",
                                   name="tick", coalesce=True, max_instances=1, next_run_time=timezone.now())
            self.scheduler.start()
        return True

    def tick(self) -> None:
        close_old_connections()
        try:
            if not lease.acquire(self.holder):
                logger.error("Scheduler: the lease went to another process; this one stops")
                self.lost.set()
                return
            self.take_requests()
        finally:
            close_old_connections()

    def take_requests(self) -> list[int]:
        """Start each queued run (in the scheduler's threads, not this tick's, so the heartbeat goes on)."""
        taken = []
        for pk in JobRun.objects.filter(state=RunState.QUEUED).order_by("pk").values_list("pk", flat=True):
            if JobRun.objects.filter(pk=pk, state=RunState.QUEUED).update(state=RunState.RUNNING,
                                                                          started_at=timezone.now()):
                self.scheduler.add_job(_requested, args=[pk], id=f"requested-{pk}", name=f"requested-{pk}",
                                       misfire_grace_time=None)
                taken.append(pk)
        return taken

    def stop(self) -> None:
        if self.leading:
            self.scheduler.shutdown(wait=True)
            lease.release(self.holder)
            self.leading = False


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
        latest[job.name] = (JobRun.objects.filter(job=job.name).exclude(state=RunState.QUEUED)
                            .order_by("-started_at", "-pk").first())
    return [Status(job, latest[job.name], job.trigger().get_next_fire_time(None, now)) for job in enabled_jobs()]


def heartbeat_is_recent() -> bool:
    """Whether a scheduler renewed its lease within ``SCHEDULER_STALE_AFTER_MINUTES``."""
    beat = lease.last_heartbeat()
    stale = datetime.timedelta(minutes=settings.SCHEDULER_STALE_AFTER_MINUTES)
    return beat is not None and beat >= timezone.now() - stale


def failed() -> list[Status]:
    """The enabled jobs whose last finished run failed (a later success clears it)."""
    found = []
    for job in enabled_jobs():
        last = JobRun.objects.filter(job=job.name, state=RunState.FINISHED).order_by("-started_at", "-pk").first()
        if last is not None and last.ok is False:
            found.append(Status(job, last, None))
    return found


@dataclass(frozen=True)
class Missed:
    job: Job
    due: datetime.datetime

    @property
    def title(self) -> str:
        return str(_(self.job.title))


def missed(now: datetime.datetime | None = None) -> list[Missed]:
    """The daily jobs that were due over ``SCHEDULE_MISSED_AFTER_MINUTES`` ago and have not run since. Only
    once a scheduler has ever beaten here: on a site without one, its health says so."""
    if lease.last_heartbeat() is None:
        return []
    now = now or timezone.now()
    late = now - datetime.timedelta(minutes=settings.SCHEDULE_MISSED_AFTER_MINUTES)
    found = []
    for job in enabled_jobs():
        due = last_due(job, late)
        if due is not None and not JobRun.objects.filter(job=job.name, started_at__gte=due).exclude(
                state=RunState.QUEUED).exists():
            found.append(Missed(job, due))
    return found


def verification_state() -> dict[str, Any]:
    """What the pages show about the audit chain's verification, read from the stored runs only: the
    latest run (requested, running with its progress, or its result), the last one that held, and when the
    whole chain was last walked. Starts nothing."""
    latest = latest_verification()
    finished = JobRun.objects.filter(job="verify_audit", state=RunState.FINISHED)
    pending = latest is not None and latest.state != RunState.FINISHED
    return {
        "latest": latest, "pending": pending,
        "last_good": finished.filter(ok=True).order_by("-started_at").first(),
        "last_full": finished.filter(ok=True, figures__full=True).order_by("-started_at").first(),
        "chain_length": AuditChainHead.objects.values_list("sequence", flat=True).first() or 0,
        "scheduler_silent": latest is not None and latest.state == RunState.QUEUED and not heartbeat_is_recent(),
        "full_every": settings.AUDIT_FULL_VERIFY_DAYS,
    }
