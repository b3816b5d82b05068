"""Work coming due, announced once: the scheduler's daily ``announce_due`` job finds the case reviews, the
re-justifications, the data-subject requests and the API tokens whose date is near (the same windows as each
role's "Vandaag"), and tells the people who act on them (``notifications.announce``: at once or in their
digest). What it announced is recorded (``DueNotice``: kind, record id, date) in the transaction that puts the
mail in the outbox, so a second run, or a run after a restart, announces nothing twice; a date that moved (a
review held, a re-justification written) is announced again when it comes near. The mail names no record."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netwerkregie.api.models import ApiToken
from netwerkregie.cases import justification as case_justification
from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.cases.queries import soon
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.justification import under_monitoring
from netwerkregie.notifications.models import DueNotice, Kind
from netwerkregie.notifications.services import announce
from netwerkregie.ops.registry import DAY, Job, daily
from netwerkregie.privacy.models import DataSubjectRequest, RequestStatus

REQUEST_NOTICE_DAYS = 14  # as the privacy officer's "Vandaag" lists them
KEEP_NOTICES_DAYS = 400  # long enough that a date long past is not announced again

Due = tuple[str, str, datetime.date, list[User]]


def _item(record: Model) -> str:
    return f"{record._meta.label_lower}:{record.pk}"


def _holders(role: str) -> list[User]:
    return list(User.objects.filter(is_active=True, role_assignments__role=role).distinct())


def _case_manager_or(case: Case, coordinators: list[User]) -> list[User]:
    """The case manager; when that account is switched off (or gone), the coordinators, who assign another:
    a date announced to nobody would pass unseen."""
    manager = case.case_manager
    return [manager] if manager is not None and manager.is_active else coordinators


def coming_due(today: datetime.date) -> Iterator[Due]:
    """Each (kind, record, date, who acts on it) whose date is near or has passed."""
    coordinators = _holders(Role.COORDINATOR)
    reviews = (Case.objects.exclude(status=CaseStatus.CLOSED)
               .filter(Q(next_review_on__lte=soon(today)) | Q(review_planned_on__lte=soon(today)))
               .select_related("case_manager"))
    for case in reviews:  # the case manager holds the review: on the date planned for it, else by its due date
        on = case.review_planned_on or case.next_review_on
        yield Kind.REVIEW_DUE, _item(case), on, _case_manager_or(case, coordinators)
    horizon = today + datetime.timedelta(days=settings.REJUSTIFY_NOTICE_DAYS)
    for case in case_justification.running().filter(justified_until__lte=horizon).select_related("case_manager"):
        yield (Kind.REJUSTIFICATION_DUE, _item(case), case.justified_until,  # type: ignore[misc]
               _case_manager_or(case, coordinators))
    # only a coordinator re-justifies monitoring
    for signal in under_monitoring().filter(justified_until__lte=horizon):
        yield Kind.REJUSTIFICATION_DUE, _item(signal), signal.justified_until, coordinators  # type: ignore[misc]
    officers = _holders(Role.PRIVACY_OFFICER)
    near = today + datetime.timedelta(days=REQUEST_NOTICE_DAYS)
    for subject_request in DataSubjectRequest.objects.filter(
            status__in=[RequestStatus.OPEN, RequestStatus.EXTENDED], deadline__lte=near):
        yield Kind.REQUEST_DEADLINE, _item(subject_request), subject_request.deadline, officers
    administrators = _holders(Role.ADMIN)
    for token in ApiToken.objects.expiring(today):
        yield Kind.TOKEN_EXPIRING, _item(token), timezone.localdate(token.expires_at), administrators


def announce_due(today: datetime.date | None = None) -> dict[str, Any]:
    """The daily job: announce what came near since the last run, once."""
    today = today or timezone.localdate()
    work: dict[User, Counter[str]] = defaultdict(Counter)
    announced = 0
    with transaction.atomic():
        for kind, item, due_on, people in coming_due(today):
            _, new = DueNotice.objects.get_or_create(kind=kind, item=item, due_on=due_on)
            if new:
                announced += 1
                for person in people:
                    work[person][kind] += 1
        mailed = announce(work)
        DueNotice.objects.filter(due_on__lt=today - datetime.timedelta(days=KEEP_NOTICES_DAYS)).delete()
    return {"announced": announced, "people": len(work), "mailed": len(mailed)}


def _describe_due(figures: dict[str, Any]) -> str:
    return _("announced %(announced)s coming due dates to %(people)s people; mailed at once %(mailed)s") % figures


# Registered by TodayConfig.ready: the job reads cases, requests and tokens, which the scheduler (ops) sits below.
ANNOUNCE_DUE = Job("announce_due", gettext_noop("Announce reviews, re-justifications, requests and tokens coming due"),
                   lambda: daily(settings.SCHEDULE_DUE_NOTICES_AT)(), announce_due, _describe_due,
                   datetime.timedelta(days=60), period=DAY)
