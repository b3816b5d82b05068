from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.roles import Role
from netwerkregie.ops.registry import BY_NAME


class JobRunQuerySet(AccessQuerySet["JobRun"]):
    def visible_to(self, user: Any) -> JobRunQuerySet:
        roles = user_roles(user)
        return self.all() if Role.PRIVACY_OFFICER in roles or Role.ADMIN in roles else self.none()


class RunState(models.TextChoices):
    QUEUED = "queued", _("requested")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")


class JobRun(models.Model):
    """One run of a scheduled job: when, how it ended, and a summary in figures (never personal data).

    A run asked for from a page ("verify now") is written as ``queued``; the scheduler takes it up
    (``running``, with its progress on the row) and finishes it like a scheduled run."""

    job = models.CharField(_("job"), max_length=40, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices, default=RunState.FINISHED)
    progress_done = models.PositiveBigIntegerField(_("checked so far"), null=True, blank=True)
    progress_total = models.PositiveBigIntegerField(_("to check in all"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    summary = models.CharField(_("result"), max_length=500, blank=True)  # the error, when it failed

    objects: ClassVar[models.Manager[JobRun]] = JobRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        indexes = [models.Index(fields=["job", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_queued(self) -> bool:
        return self.state == RunState.QUEUED

    @property
    def is_running(self) -> bool:
        return self.state == RunState.RUNNING

    @property
    def description(self) -> str:
        """The result in the reader's language (figures only; a failure shows its error)."""
        if self.ok is False or self.job not in BY_NAME:
            return self.summary
        try:
            return BY_NAME[self.job].describe(self.figures)
        except (KeyError, TypeError, ValueError):
            return self.summary


class SchedulerLease(models.Model):
    """The one row that says which scheduler process runs the jobs, until when (a lease).

    A scheduler takes the lease when it is free or expired and renews it every
    ``SCHEDULER_TICK_SECONDS``; a second one waits and takes over when the first stops renewing.
    Taking and renewing are one conditional UPDATE, atomic on SQLite and PostgreSQL alike.
    ``heartbeat_at`` is the holder's last renewal: the scheduler's health."""

    holder = models.CharField(_("holder"), max_length=120, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    since = models.DateTimeField(_("held since"), null=True, blank=True)

    class Meta:
        verbose_name = _("scheduler lease")
        verbose_name_plural = _("scheduler leases")

    def __str__(self) -> str:
        return self.holder or "-"
