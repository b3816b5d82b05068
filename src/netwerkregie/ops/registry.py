"""The register of scheduled jobs: what runs when, and how its result reads.

The scheduler (``ops.jobs``) runs what is registered here. Jobs that need only the platform (the audit
chain, the outbox, the backup) are registered by ``ops.jobs``; an app above ops registers its own job from
its ``AppConfig.ready`` (privacy registers the purge), so ops never imports the apps whose work it runs."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings

Figures = dict[str, Any]
Progress = Callable[[int, int], None]
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    trigger: Callable[[], BaseTrigger]
    run: Callable[..., Figures]
    describe: Callable[[Figures], str]
    keep_runs_for: datetime.timedelta
    enabled: Callable[[], bool] = lambda: True
    period: datetime.timedelta | None = None  # a daily job: made up at start when it missed its time
    reports_progress: bool = False  # ``run`` takes a callable for its progress (done, of)


# In name order (the privacy officer's table lists them so); both are filled by ``register``.
JOBS: list[Job] = []
BY_NAME: dict[str, Job] = {}


def register(job: Job) -> None:
    """Add ``job`` (once: registering a name again replaces the job of that name)."""
    BY_NAME[job.name] = job
    JOBS[:] = sorted(BY_NAME.values(), key=lambda registered: registered.name)


def daily(at: str) -> Callable[[], BaseTrigger]:
    """A trigger at ``at`` ("HH:MM") each day, in the municipality's time zone."""
    hour, minute = (int(part) for part in at.split(":"))
    return lambda: CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(settings.TIME_ZONE))
