"""Monitoring and closure of a case: reviews, the yearly "still necessary and proportionate?", and the
closure, directly or through a second coordinator's approval. Each write validated, audited and in one
transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netwerkregie.approvals.models import Approval, ApprovalAct, ApprovalStatus
from netwerkregie.approvals.services import decide, pending_closure, request_approval
from netwerkregie.cases.consultations import withdraw_from_future_agendas
from netwerkregie.cases.models import (
    Case,
    CaseJustification,
    CaseStatus,
    ClosureReason,
    PlanStatus,
    Review,
    ReviewOutcome,
)
from netwerkregie.cases.policy import closure_needs_approval
from netwerkregie.cases.services import MAX_TEXT, justified_period, keep_person_while_case_lives, years_after
from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.transitions import AlreadyDecided, lock_in_state, lock_row
from netwerkregie.core.validators import clean_text, collect

REVIEW_PLAN_OVERDUE_DAYS = 30  # an overdue review is planned within a month


def add_review(case: Case, *, held_on: datetime.date, still_necessary: bool, rationale: str, outcome: str,
               next_review_on: datetime.date | None, actor: User) -> Review:
    errors: dict[str, list[ValidationError]] = {}
    rationale = collect(errors, "rationale", clean_text, rationale, MAX_TEXT, required=True)
    if held_on > timezone.localdate():
        errors["held_on"] = [ValidationError(_("This date is in the future."))]
    if outcome != ReviewOutcome.CLOSE:
        if next_review_on is None:
            errors["next_review_on"] = [ValidationError(_("Plan the next review."))]
        elif next_review_on <= held_on:
            errors["next_review_on"] = [ValidationError(_("The next review comes after this one."))]
        elif next_review_on > held_on + datetime.timedelta(days=366):
            errors["next_review_on"] = [ValidationError(_("Review at least once a year."))]
        elif case.person.is_minor and next_review_on > held_on + datetime.timedelta(
                days=settings.CASE_REVIEW_INTERVAL_MINOR_DAYS):
            errors["next_review_on"] = [ValidationError(
                _("The person is a minor: review again within %(days)d days.")
                % {"days": settings.CASE_REVIEW_INTERVAL_MINOR_DAYS})]
    if not still_necessary and outcome in (ReviewOutcome.CONTINUE, ReviewOutcome.SCALE_UP):
        errors["outcome"] = [ValidationError(
            _("If the support is no longer necessary and proportionate, scale down or prepare closure."))]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = Review.objects.create(case=case, held_on=held_on, due_on=case.next_review_on,
                                       still_necessary=still_necessary,
                                       rationale=rationale, outcome=outcome, next_review_on=next_review_on,
                                       reviewed_by=actor)
        if next_review_on:
            case.next_review_on = next_review_on
        case.review_planned_on = None  # the planned review is this one
        case.save(update_fields=["next_review_on", "review_planned_on"])
        if still_necessary and outcome != ReviewOutcome.CLOSE:  # a review that says so re-justifies the case
            justify(case, reason=rationale, actor=actor, day=held_on, review=review)
        log_event(AuditAction.UPDATE, actor=actor, obj=case, reason="review",
                  detail={"outcome": outcome, "still_necessary": still_necessary})
    return review


def plan_review(case: Case, *, on: datetime.date, actor: User) -> Case:
    """Plan the next review on a date to come: shown on the case and on "Vandaag", and announced as it comes near
    (``today.due_work``). It must lie after today and no later than the date the review is due (an overdue review
    within REVIEW_PLAN_OVERDUE_DAYS); recording the review clears it. The case manager or a coordinator plans."""
    today = timezone.localdate()
    latest = max(case.next_review_on, today + datetime.timedelta(days=REVIEW_PLAN_OVERDUE_DAYS))
    if not case.is_open:
        raise ValidationError(_("This case is closed."))
    if on <= today:
        raise ValidationError({"on": _("Choose a date after today; a review held today is recorded instead.")})
    if on > latest:
        raise ValidationError({"on": _("The review is due on %(date)s: plan it on or before that date.")
                               % {"date": short_date(latest)}})
    with transaction.atomic():
        lock_row(Case, case.pk)
        case.review_planned_on = on
        case.save(update_fields=["review_planned_on"])
        log_event(AuditAction.UPDATE, actor=actor, obj=case, reason="review planned", detail={"on": on.isoformat()})
    return case


def justify(case: Case, *, reason: str, actor: User, day: datetime.date, review: Review | None = None) -> None:
    """Record why the case is still necessary and proportionate and move its date (inside a transaction)."""
    until = justified_period(case.person, day)
    CaseJustification.objects.create(case=case, reason=reason, justified_until=until, justified_by=actor,
                                     review=review)
    case.justified_until = until
    case.save(update_fields=["justified_until"])


def check_closure(case: Case, *, reason: str, handover_note: str, actor: User | None,
                  monitoring_until: datetime.date | None = None) -> str:
    """A closure as it would take effect: the cleaned handover note, or a ValidationError."""
    errors: dict[str, list[ValidationError]] = {}
    today = timezone.localdate()
    if not case.is_open:
        raise AlreadyDecided(closed_meantime(case))
    if reason not in ClosureReason.values or (reason == ClosureReason.LAPSED) != (actor is None):
        errors["reason"] = [ValidationError(_("Choose a reason for closure."))]
    handover_note = collect(errors, "handover_note", clean_text, handover_note, MAX_TEXT, required=True)
    if monitoring_until is not None and monitoring_until <= today:
        errors["monitoring_until"] = [ValidationError(_("A monitoring period ends in the future."))]
    if errors:
        raise ValidationError(errors)
    return handover_note


def closed_meantime(case: Case) -> str:
    return _("This case was already closed in the meantime, on %(date)s: %(reason)s.") % {
        "date": date_format(case.closed_on, "SHORT_DATE_FORMAT") if case.closed_on else "?",
        "reason": case.get_closure_reason_display().lower()}


def close_case(case: Case, *, reason: str, handover_note: str, actor: User | None,
               monitoring_until: datetime.date | None = None,
               approved: bool = False) -> Case:
    """Close with a reason and a handover note; the retention clock starts. ``actor`` None is the daily
    job closing a case that lapsed (``cases.justification``). Where closures need a second coordinator's
    approval (APPROVAL_REQUIRED_FOR), a person's closure takes effect only through ``approvals.services.decide``
    (``approved``); ask for it with ``request_closure``."""
    if not approved and closure_needs_approval(actor):
        raise ValidationError(_("Closing a case needs a second coordinator's approval: ask for it."))
    today = timezone.localdate()
    handover_note = check_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                                  monitoring_until=monitoring_until)
    seen = case.status  # what the closer saw: a closure that got in first since then wins
    with transaction.atomic():
        lock_in_state(case, states=[seen], message=closed_meantime)
        case.closed_on, case.closure_reason, case.handover_note = today, reason, handover_note
        case.monitoring_until = monitoring_until
        case.status = CaseStatus.MONITORING if monitoring_until else CaseStatus.CLOSED
        # The retention clock starts at closure (or at the end of the monitoring period).
        case.retain_until = years_after(monitoring_until or today, settings.CASE_RETENTION_YEARS)
        case.save()
        keep_person_while_case_lives(case)
        log_event(AuditAction.UPDATE, actor=actor, actor_label="" if actor else "lapse", obj=case,
                  reason=f"closed: {reason}",
                  detail={"retain_until": case.retain_until.isoformat(), "monitoring": bool(monitoring_until)})
        if case.status == CaseStatus.CLOSED:  # a case under monitoring may still be discussed
            withdraw_from_future_agendas(case, actor=actor)
    return case


def request_closure(case: Case, *, reason: str, handover_note: str, actor: User,
                    monitoring_until: datetime.date | None = None) -> Approval:
    """The closure waits for a second coordinator; the closure itself is validated now, so the approver
    approves something that can take effect."""
    handover_note = check_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                                  monitoring_until=monitoring_until)
    with transaction.atomic():
        lock_row(Case, case.pk)  # a second request at the same moment waits, then finds the first
        if pending_closure(case) is not None:
            raise ValidationError(_("A closure of this case already awaits approval."))
        return request_approval(ApprovalAct.CASE_CLOSURE, actor=actor, case=case, closure_reason=reason,
                                closure_note=handover_note, monitoring_until=monitoring_until)


def close_or_request(case: Case, *, reason: str, handover_note: str, actor: User,
                     monitoring_until: datetime.date | None = None) -> bool:
    """Close the case, or ask for the closure where it needs a second coordinator; True when it is closed."""
    if closure_needs_approval(actor):
        request_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                        monitoring_until=monitoring_until)
        return False
    close_case(case, reason=reason, handover_note=handover_note, actor=actor, monitoring_until=monitoring_until)
    return True


def close_with_approval(case: Case, *, reason: str, handover_note: str, actor: User, approver: User,
                        monitoring_until: datetime.date | None = None) -> Case:
    """Ask for a closure and have it approved at once (the demo's history, where both already happened)."""
    approval = request_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                               monitoring_until=monitoring_until)
    decide(approval, actor=approver, approve=True, note="")
    case.refresh_from_db()
    return case


def take_effect(approval: Approval, *, approve: bool) -> None:
    """A decided approval of a plan version or of a case's own closure, inside the decision's transaction
    (a referral's approval is sharing's)."""
    if approval.referral_id is not None:
        return
    if approval.plan_version is not None:
        version = approval.plan_version
        version.status = PlanStatus.IN_EFFECT if approve else PlanStatus.NOT_APPROVED
        version.save(update_fields=["status"])
    elif approval.act == ApprovalAct.CASE_CLOSURE and approve and approval.case is not None:
        close_case(approval.case, reason=approval.closure_reason, handover_note=approval.closure_note,
                   actor=approval.requested_by, monitoring_until=approval.monitoring_until, approved=True)


def pending_approvals(case: Case) -> Any:
    return case.approvals.filter(status=ApprovalStatus.PENDING).select_related("requested_by")
