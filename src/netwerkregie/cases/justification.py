"""Cases that lapse unless someone re-justifies them (issue: "registrations that lapse").

A running case is justified until a date: twelve months after opening, six for a minor, by default.
A review with "still necessary and proportionate: yes" moves it (``services.add_review``); so does a
written re-justification by the case manager or a coordinator, recorded with their name. When the
date passes without either, the daily job closes the case as "lapsed: not re-justified": the
retention clock starts and the team's access ends; the case manager keeps the closed file."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.cases.closure import close_case, justify
from netwerkregie.cases.models import Case, CaseJustification, CaseStatus, ClosureReason
from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect

MAX_REASON = 2_000


def running() -> QuerySet[Case]:
    return Case.objects.filter(status=CaseStatus.OPEN, closed_on__isnull=True)


def may_justify(case: Case, user: User) -> bool:
    """The responsible person: the case manager, or a coordinator."""
    return case.case_manager_id == user.pk or user.has_role(Role.COORDINATOR)


def to_justify(user: User, today: datetime.date) -> QuerySet[Case]:
    """Running cases this user answers for whose date comes within the notice period."""
    horizon = today + datetime.timedelta(days=settings.REJUSTIFY_NOTICE_DAYS)
    cases = running().filter(pk__in=Case.objects.visible_to(user), justified_until__lte=horizon)
    if not user.has_role(Role.COORDINATOR):
        cases = cases.filter(case_manager=user)
    return cases.order_by("justified_until", "pk")


def rejustify_case(case: Case, *, actor: User, reason: str) -> CaseJustification:
    if not may_justify(case, actor):
        raise ValidationError(_("Only the case manager or a coordinator re-justifies a case."))
    if not running().filter(pk=case.pk).exists():
        raise ValidationError(_("This case is closed."))
    errors: dict[str, list[ValidationError]] = {}
    reason = collect(errors, "reason", clean_text, reason, MAX_REASON, required=True)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        justify(case, reason=reason, actor=actor, day=timezone.localdate())
        log_event(AuditAction.UPDATE, actor=actor, obj=case, reason="re-justified",
                  detail={"justified_until": case.justified_until.isoformat()})  # type: ignore[union-attr]
    return case.justifications.first()  # type: ignore[return-value]


def lapse_cases(day: datetime.date) -> list[str]:
    """Close every running case whose date has passed; returns their references. Safe to run twice."""
    closed = []
    for pk in list(running().filter(justified_until__lt=day).values_list("pk", flat=True)):
        with transaction.atomic():
            case = running().select_for_update().filter(pk=pk, justified_until__lt=day).first()
            if case is None:
                continue
            note = _("Closed by the system: processing was not re-justified before %(date)s.") % {
                "date": short_date(case.justified_until)}  # type: ignore[union-attr]
            close_case(case, reason=ClosureReason.LAPSED, handover_note=note, actor=None)
            ended = case.memberships.filter(removed_at__isnull=True).update(removed_at=timezone.now())
            log_event(AuditAction.UPDATE, actor_label="lapse", obj=case, reason="team access ended",
                      detail={"members": ended})
            closed.append(case.reference)
    return closed
