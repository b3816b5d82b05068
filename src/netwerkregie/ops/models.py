from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.access import AccessQuerySet, user_roles
from netwerkregie.core.roles import Role


class JobRunQuerySet(AccessQuerySet["JobRun"]):
    def visible_to(self, user: Any) -> JobRunQuerySet:
        roles = user_roles(user)
        return self.all() if Role.PRIVACY_OFFICER in roles or Role.ADMIN in roles else self.none()


class JobRun(models.Model):
    """One run of a scheduled job: when, how it ended, and a summary in figures (never personal data)."""

    job = models.CharField(_("job"), max_length=40, db_index=True)
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
    def description(self) -> str:
        """The result in the reader's language (figures only; a failure shows its error)."""
        from netwerkregie.ops.jobs import BY_NAME

        if self.ok is False or self.job not in BY_NAME:
            return self.summary
        try:
            return BY_NAME[self.job].describe(self.figures)
        except (KeyError, TypeError, ValueError):
            return self.summary
