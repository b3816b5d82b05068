"""Data-subject requests, the access export, the access review and the retention overview."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerkregie.cases.models import EmergencyAccess
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, AuditEvent, User
from netwerkregie.core.transitions import check_state, lock_in_state
from netwerkregie.core.validators import clean_text
from netwerkregie.people.models import Person, as_pseudonym
from netwerkregie.privacy.models import DataSubjectRequest, LegalHold, RequestKind, RequestStatus
from netwerkregie.privacy.purge import Report as PurgeReport
from netwerkregie.privacy.purge import erase_person


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- Requests ---------------------------------------------------------------------------------

def register_request(*, kind: str, person: Person, received_on: datetime.date, handler: User, actor: User,
                     requester: str = "", identity_check: str = "",
                     identity_note: str = "", channel: str = "") -> DataSubjectRequest:
    """Register a request with its deadline. The audit event names the kind, who asked (the person, a
    parent, ...), how identity was checked and the channel, as codes: never a name or the note."""
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("This date is in the future.")})
    identity_note = clean_text(identity_note, 500, required=False)
    with transaction.atomic():
        subject_request = DataSubjectRequest.objects.create(
            kind=kind, person=person, person_label=person.pseudonym, received_on=received_on,
            deadline=add_months(received_on, 1), handler=handler, requester=requester,
            identity_check=identity_check, identity_note=identity_note, channel=channel,
            retain_until=add_months(received_on, 12 * 2))
        log_event(AuditAction.CREATE, actor=actor, obj=subject_request, detail={
            "kind": kind, "requester": requester, "identity_check": identity_check, "channel": channel})
    return subject_request


UNANSWERED = [RequestStatus.OPEN, RequestStatus.EXTENDED]


def request_moved_on(subject_request: DataSubjectRequest) -> str:
    """Why an extension or answer comes too late: the request was answered (by whom, per the audit log) or
    extended in the meantime."""
    if subject_request.status == RequestStatus.EXTENDED:
        return _("This request was already extended; the law allows it once, by two months.")
    answer = AuditEvent.objects.filter(
        object_type=subject_request._meta.label_lower, object_id=str(subject_request.pk),
        reason__in=[f"request {status}" for status in (RequestStatus.DONE, RequestStatus.REFUSED)],
    ).select_related("actor").order_by("-sequence").first()
    return _("This request was already answered in the meantime by %(who)s on %(date)s: %(status)s.") % {
        "who": (answer.actor or answer.actor_label) if answer else _("a colleague"),
        "date": date_format(subject_request.answered_on, "SHORT_DATE_FORMAT") if subject_request.answered_on else "?",
        "status": subject_request.get_status_display().lower()}


def extend_request(subject_request: DataSubjectRequest, *, reason: str, actor: User) -> None:
    reason = clean_text(reason, 500, required=True)
    check_state(subject_request, states=[RequestStatus.OPEN], message=request_moved_on)
    with transaction.atomic():
        lock_in_state(subject_request, states=[RequestStatus.OPEN], message=request_moved_on)
        subject_request.deadline = add_months(subject_request.received_on, 3)
        subject_request.extension_reason, subject_request.status = reason, RequestStatus.EXTENDED
        subject_request.save(update_fields=["deadline", "extension_reason", "status"])
        log_event(AuditAction.UPDATE, actor=actor, obj=subject_request, reason="deadline extended")


def answer_request(subject_request: DataSubjectRequest, *, status: str, outcome: str,
                   actor: User) -> PurgeReport | None:
    """Record the answer. A granted erasure request erases the person now, with their signals and
    cases (except what a legal hold keeps); the report says what went."""
    outcome = clean_text(outcome, 10_000, required=True)
    if status not in (RequestStatus.DONE, RequestStatus.REFUSED):
        raise ValidationError({"status": _("Choose answered or refused.")})
    check_state(subject_request, states=UNANSWERED, message=request_moved_on)
    with transaction.atomic():
        lock_in_state(subject_request, states=UNANSWERED, message=request_moved_on)
        subject_request.status, subject_request.outcome = status, outcome
        subject_request.answered_on = timezone.localdate()
        subject_request.save(update_fields=["status", "outcome", "answered_on"])
        log_event(AuditAction.UPDATE, actor=actor, obj=subject_request, reason=f"request {status}")
        if (subject_request.kind == RequestKind.ERASURE and status == RequestStatus.DONE
                and subject_request.person is not None):
            erased = erase_person(subject_request.person)
            subject_request.refresh_from_db()
            return erased
    return None


# --- The access review ---------------------------------------------------------------------------

def access_review(since: datetime.datetime | None = None) -> dict[str, Any]:
    """Access that a privacy officer should look at: emergency access, bursts of views, and views
    outside working hours. Thresholds come from settings."""
    since = since or timezone.now() - datetime.timedelta(days=30)
    views = list(AuditEvent.objects.filter(action=AuditAction.VIEW, occurred_at__gte=since, actor__isnull=False)
                 .exclude(object_type="core.auditevent").select_related("actor").order_by("occurred_at"))
    window = datetime.timedelta(minutes=settings.ACCESS_REVIEW_BURST_MINUTES)
    by_user: dict[User, list[AuditEvent]] = defaultdict(list)
    for event in views:
        by_user[cast(User, event.actor)].append(event)  # views with an actor only (above)
    bursts = []
    for user, events in by_user.items():
        start, reported_until = 0, None
        for end, event in enumerate(events):
            while event.occurred_at - events[start].occurred_at > window:
                start += 1
            if end - start + 1 >= settings.ACCESS_REVIEW_BURST_VIEWS and (
                    reported_until is None or events[start].occurred_at > reported_until):
                bursts.append({"user": user, "from": events[start].occurred_at, "until": event.occurred_at,
                               "views": end - start + 1})
                reported_until = event.occurred_at
    outside = []
    for event in views:
        local = timezone.localtime(event.occurred_at)
        if local.weekday() >= 5 or not (settings.ACCESS_REVIEW_WORK_START_HOUR <= local.hour
                                        < settings.ACCESS_REVIEW_WORK_END_HOUR):
            outside.append(event)
    return {
        "emergency": EmergencyAccess.objects.select_related("user", "case", "reviewed_by").order_by(
            "reviewed_at", "-granted_at"),
        "bursts": bursts, "outside_hours": outside, "since": since,
    }


def retention_overview() -> list[tuple[str, str]]:
    """Every retention rule, as configured (read-only)."""
    days = settings.DECISION_RETENTION_DAYS
    return [
        (_("Signal without a decision"),
         _("%(n)d days after receipt") % {"n": settings.SIGNAL_UNDECIDED_RETENTION_DAYS}),
        (_("Concern unfounded"), _("%(n)d days after the decision") % {"n": days["closed_no_concern"]}),
        (_("Advice given"), _("%(n)d days after the decision") % {"n": days["advice_given"]}),
        (_("Referred to regular care"), _("%(n)d days after the decision") % {"n": days["referred_to_regular_care"]}),
        (_("Monitoring"), _("%(n)d days after the decision; review after %(r)d days")
         % {"n": days["monitoring"], "r": settings.MONITORING_REVIEW_DAYS}),
        (_("To the case consultation"), _("%(n)d days after the decision, and at least as long as the case")
         % {"n": days["to_case_conference"]}),
        (_("Case"), _("%(n)d years after closure (or after the monitoring period)")
         % {"n": settings.CASE_RETENTION_YEARS}),
        (_("Person of concern"), _("as long as the longest-kept signal or case about them")),
        (_("Anonymous consultation"), _("%(n)d days") % {"n": settings.CONSULTATION_RETENTION_DAYS}),
        (_("Contact person and contact moment"), _("%(n)d days after the last contact")
         % {"n": settings.CONTACT_RETENTION_DAYS}),
        (_("Data-subject request"), _("two years after receipt")),
        (_("Audit log"), _("kept; purge leaves content-free tombstones")),
    ]


def active_holds() -> Any:
    return LegalHold.objects.active().select_related("created_by")


# Records that carry a human reference; others are named by id.
REFERENCE_FIELDS = {"cases.case": "reference", "intake.signal": "reference", "people.person": "pseudonym"}


def held_record(kind: str, reference: str) -> str | None:
    """The id of the record a legal hold is for, or None when no such record exists."""
    model = apps.get_model(kind)
    if reference.isdigit():
        record = model.objects.filter(pk=int(reference)).first()
    elif kind in REFERENCE_FIELDS:
        key = as_pseudonym(reference) if kind == "people.person" else reference.upper()
        record = model.objects.filter(**{REFERENCE_FIELDS[kind]: key}).first()
    else:
        record = None
    return str(record.pk) if record else None


def place_legal_hold(*, kind: str, reference: str, reason: str, until: datetime.date, actor: User) -> LegalHold:
    """Keep one record past its retention date (a claim of the public prosecutor, a pending objection): the
    hold and its audit event in one transaction. A reference that names no record is a ValidationError."""
    object_id = held_record(kind, reference.strip())
    if object_id is None:
        raise ValidationError({"reference": _("No record with this reference.")})
    with transaction.atomic():
        hold = LegalHold.objects.create(object_type=kind, object_id=object_id, reason=reason.strip(), until=until,
                                        created_by=actor)
        log_event(AuditAction.CREATE, actor=actor, obj=hold, reason=hold.reason,
                  detail={"record": f"{kind} {object_id}", "until": hold.until.isoformat()})
    return hold
