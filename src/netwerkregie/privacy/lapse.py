"""The daily lapse of registrations nobody re-justified: monitoring signals and running cases
(``intake.justification``, ``cases.justification``). Run by the purge job just before the purge, and
by ``manage.py lapse``; idempotent. The coordinators and privacy officers are told by e-mail and see
the lapsed registrations on their "today" page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from netwerkregie.cases.justification import lapse_cases
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.outbox import queue_mail
from netwerkregie.core.roles import Role
from netwerkregie.intake.justification import lapse_monitoring
from netwerkregie.sharing.services import expire_referrals


@dataclass
class Lapsed:
    signals: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


def lapse(day: datetime.date | None = None) -> Lapsed:
    day = day or timezone.localdate()
    result = Lapsed(signals=lapse_monitoring(day), cases=lapse_cases(day))
    expire_referrals(day)  # referrals nobody answered in time give the receiver nothing any more
    if result.signals or result.cases:
        with transaction.atomic():  # the notice and its audit event together (each lapse committed its own)
            _tell(result)
    return result


def _tell(result: Lapsed) -> None:
    recipients = list(User.objects.filter(is_active=True, role_assignments__role__in=[
        Role.COORDINATOR, Role.PRIVACY_OFFICER]).values_list("email", flat=True).distinct())
    if not recipients:
        return
    queue_mail(template="lapsed", recipients=recipients, context={"count": len(result.cases) + len(result.signals)})
    log_event(AuditAction.NOTIFY, actor_label="lapse", reason="registrations lapsed",
              detail={"recipients": len(recipients), "cases": len(result.cases), "signals": len(result.signals)})
