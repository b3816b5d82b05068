"""Monitoring that lapses unless someone re-justifies it (issue: "registrations that lapse").

A signal decided "monitoring" is justified until a date (shorter for a minor). Before it passes the
coordinator re-justifies it in writing, recorded with their name, or ends the monitoring; when the
date passes without either, the daily job ends it as "lapsed: not re-justified". Ending starts the
retention clock: the signal is kept ``LAPSED_SIGNAL_RETENTION_DAYS`` for questions and objections,
then purged; core partners no longer see it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.models import Decision, MonitoringJustification, Signal
from netwerkregie.intake.services import monitoring_justified_until, person_retention_follows_signals

MAX_REASON = 2_000


def under_monitoring() -> QuerySet[Signal]:
    return Signal.objects.filter(assessment__decision=Decision.MONITORING, monitoring_ended_on__isnull=True)


def to_justify(user: User, today: datetime.date) -> QuerySet[Signal]:
    """Monitoring signals whose date comes within the notice period, for the coordinator who may act."""
    if not user.has_role(Role.COORDINATOR):
        return Signal.objects.none()
    horizon = today + datetime.timedelta(days=settings.REJUSTIFY_NOTICE_DAYS)
    return (Signal.objects.visible_to(user).filter(assessment__decision=Decision.MONITORING,
                                                   monitoring_ended_on__isnull=True, justified_until__lte=horizon)
            .select_related("person").order_by("justified_until", "pk"))


def _check(signal: Signal, actor: User) -> None:
    if not actor.has_role(Role.COORDINATOR):
        raise ValidationError(_("Only the coordinator re-justifies or ends monitoring."))
    if not under_monitoring().filter(pk=signal.pk).exists():
        raise ValidationError(_("This signal is not under monitoring (any more)."))


def rejustify_monitoring(signal: Signal, *, actor: User, reason: str) -> MonitoringJustification:
    """Why monitoring is still necessary and proportionate, in the coordinator's words: moves the date."""
    _check(signal, actor)
    errors: dict[str, list[ValidationError]] = {}
    reason = collect(errors, "reason", clean_text, reason, MAX_REASON, required=True)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    until = monitoring_justified_until(signal, today)
    with transaction.atomic():
        justification = MonitoringJustification.objects.create(signal=signal, reason=reason, justified_until=until,
                                                               justified_by=actor)
        signal.justified_until = until
        # The record is kept at least while it is justified, and a while after, like any lapsed one.
        signal.retain_until = max(signal.retain_until,
                                  until + datetime.timedelta(days=settings.LAPSED_SIGNAL_RETENTION_DAYS))
        signal.save(update_fields=["justified_until", "retain_until"])
        if signal.person is not None:
            person_retention_follows_signals(signal.person)
        log_event(AuditAction.UPDATE, actor=actor, obj=signal, reason="re-justified",
                  detail={"justified_until": until.isoformat()})
    return justification


def end_monitoring(signal: Signal, *, actor: User | None, lapsed: bool = False) -> Signal:
    """Stop monitoring now (by the coordinator, or by the daily job when it lapsed)."""
    if actor is not None:
        _check(signal, actor)
    today = timezone.localdate()
    with transaction.atomic():
        signal.monitoring_ended_on, signal.monitoring_lapsed = today, lapsed
        signal.retain_until = min(signal.retain_until,
                                  today + datetime.timedelta(days=settings.LAPSED_SIGNAL_RETENTION_DAYS))
        signal.save(update_fields=["monitoring_ended_on", "monitoring_lapsed", "retain_until"])
        if signal.person is not None:
            person_retention_follows_signals(signal.person)
        log_event(AuditAction.UPDATE, actor=actor, actor_label="" if actor else "lapse", obj=signal,
                  reason="lapsed: not re-justified" if lapsed else "monitoring ended",
                  detail={"retain_until": signal.retain_until.isoformat()})
    return signal


def lapse_monitoring(day: datetime.date) -> list[str]:
    """End every monitoring whose date has passed; returns their references. Safe to run twice."""
    ended = []
    for pk in list(under_monitoring().filter(justified_until__lt=day).values_list("pk", flat=True)):
        with transaction.atomic():
            signal = under_monitoring().select_for_update().filter(pk=pk, justified_until__lt=day).first()
            if signal is not None:
                end_monitoring(signal, actor=None, lapsed=True)
                ended.append(signal.reference)
    return ended
