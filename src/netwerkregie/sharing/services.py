"""Referrals, approvals and the disclosure ledger: every write validated, audited and in one transaction
with the act it records; a ledger entry is written by the same service, in the same transaction, as
the act by which the data left the municipality's own team."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core import grants
from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import check_state, lock_in_state, lock_row
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.network.models import Covenant, Organisation, Sector
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import notify
from netwerkregie.sharing.approvers import approvers
from netwerkregie.sharing.models import (
    SENSITIVE,
    Approval,
    ApprovalAct,
    ApprovalStatus,
    ConsentBy,
    Disclosure,
    DisclosureKind,
    LegalBasis,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralUpdate,
    SharedData,
)

MAX_NOTE = 5_000
# What a team member of another organisation can see of the case they are on.
TEAM_DATA = [SharedData.IDENTITY, SharedData.CONTEXT, SharedData.SIGNALS, SharedData.PLAN, SharedData.REVIEWS,
             SharedData.MINUTES]
# An access export gives the person everything held about them.
EXPORT_DATA = [code for code in SharedData.values]


def is_own_team(organisation: Organisation | None) -> bool:
    """The municipality's own team: its organisation(s) in the network register (sector municipality)."""
    return organisation is None or organisation.sector == Sector.MUNICIPALITY


def needs_approval(act: str) -> bool:
    return act in settings.APPROVAL_REQUIRED_FOR


def case_work_covenants(organisation: Organisation, day: datetime.date) -> Any:
    return Covenant.objects.valid_on(day).for_purpose("case_work").filter(parties=organisation)


def covenant_basis(covenant: Covenant) -> str:
    """A covenant as a legal basis in the ledger: its title (which names it a covenant)."""
    return covenant.title


def record_disclosure(*, person: Any, kind: str, categories: list[str], basis: str, actor: User | None,
                      organisation: Organisation | None = None, recipient: User | None = None,
                      recipient_label: str = "", case: Any = None, signal: Any = None, referral: Referral | None = None,
                      covenant: Covenant | None = None, request: HttpRequest | None = None) -> Disclosure:
    """One ledger entry, audited; call inside the transaction of the act that disclosed."""
    entry = Disclosure.objects.create(
        person=person, case=case, signal=signal, referral=referral, kind=kind, organisation=organisation,
        recipient=recipient, recipient_label=recipient_label[:200], categories=list(categories), basis=basis[:300],
        covenant=covenant, disclosed_by=actor)
    log_event(AuditAction.CREATE, actor=actor, obj=entry, request=request, reason="disclosure ledger",
              detail={"kind": kind, "organisation": organisation.pk if organisation else None,
                      "categories": list(categories), "case": case.reference if case else None})
    return entry


def record_minutes_disclosure(cases: list[Any], *, reader: User, actor: User,
                              request: HttpRequest | None = None) -> list[Disclosure]:
    """Minutes printed for (or by) an attendee of another organisation: one entry per case in them."""
    if is_own_team(reader.organisation):
        return []
    covenant = case_work_covenants(reader.organisation, timezone.localdate()).first()  # type: ignore[arg-type]
    basis = covenant_basis(covenant) if covenant else _("Attendee of the case consultation")
    return [record_disclosure(person=case.person, kind=DisclosureKind.MINUTES, case=case, request=request,
                              categories=[SharedData.MINUTES], organisation=reader.organisation, recipient=reader,
                              basis=basis, covenant=covenant, actor=actor) for case in cases]


def record_access_export(subject_request: Any, *, fmt: str, actor: User,
                         request: HttpRequest | None = None) -> Disclosure:
    """An access export handed to the data subject (GDPR art. 15) is a disclosure too."""
    return record_disclosure(
        person=subject_request.person, kind=DisclosureKind.ACCESS_EXPORT, categories=EXPORT_DATA, actor=actor,
        basis=_("GDPR art. 15, right of access (request of %(date)s)")
        % {"date": short_date(subject_request.received_on)},
        recipient_label=_("the data subject (%(format)s)") % {"format": fmt.upper()}, request=request)


# --- Referrals ----------------------------------------------------------------------------------

@dataclass
class ReferralInput:
    organisation: Organisation | None
    kind: str
    purpose: str
    categories: list[str] = field(default_factory=list)
    basis: str = ""
    covenant: Covenant | None = None
    consent_by: str = ""
    consent_by_name: str = ""
    consent_on: datetime.date | None = None
    intervention: Any = None
    note: str = ""


def may_refer(user: Any, case: Any = None, signal: Any = None) -> bool:
    if case is not None:
        return case.is_open and (user.has_role(Role.COORDINATOR) or case.case_manager_id == user.pk)
    from netwerkregie.intake.models import Decision

    assessment = getattr(signal, "assessment", None)
    return user.has_role(Role.COORDINATOR) and assessment is not None and (
        assessment.decision == Decision.REFERRED_TO_REGULAR_CARE)


def _check_referral(data: ReferralInput, person: Any, case: Any, today: datetime.date) -> dict[str, list]:
    errors: dict[str, list[ValidationError]] = {}
    if data.organisation is None or not data.organisation.is_active:
        errors["organisation"] = [ValidationError(_("Choose the organisation you refer to."))]
    elif is_own_team(data.organisation):
        errors["organisation"] = [ValidationError(_("This is the municipality's own team: add a team member "
                                                    "instead of referring."))]
    if data.kind not in ReferralKind.values:
        errors["kind"] = [ValidationError(_("Choose an intervention or a full handover."))]
    elif data.kind == ReferralKind.HANDOVER and case is None:
        errors["kind"] = [ValidationError(_("Only a case can be handed over."))]
    elif data.kind == ReferralKind.INTERVENTION and data.intervention is None:
        errors["intervention"] = [ValidationError(_("Name the intervention you refer for."))]
    collect(errors, "purpose", clean_text, data.purpose, 300, required=True)
    collect(errors, "note", clean_text, data.note, MAX_NOTE, required=False)
    categories = set(data.categories)
    if not categories:
        errors["categories"] = [ValidationError(_("Tick what the organisation receives: at least one category."))]
    elif categories - set(SharedData.values):
        errors["categories"] = [ValidationError(_("Unknown category."))]
    elif case is None and categories & {SharedData.PLAN, SharedData.REVIEWS, SharedData.MINUTES}:
        errors["categories"] = [ValidationError(_("A signal has no plan, reviews or minutes to pass on."))]
    if data.basis == LegalBasis.COVENANT:
        covenant = data.covenant
        if covenant is None or data.organisation is None or not case_work_covenants(data.organisation, today).filter(
                pk=covenant.pk).exists():
            errors["covenant"] = [ValidationError(
                _("There is no covenant for case work with this organisation that is valid today. Record the "
                  "person's consent, or make the covenant first."))]
    elif data.basis == LegalBasis.CONSENT:
        if data.consent_by not in ConsentBy.values:
            errors["consent_by"] = [ValidationError(_("Record who gave consent."))]
        elif person.is_minor and data.consent_by == ConsentBy.PERSON:
            errors["consent_by"] = [ValidationError(_("The person is a minor: a parent or guardian gives consent."))]
        elif data.consent_by != ConsentBy.PERSON and not (data.consent_by_name or "").strip():
            errors["consent_by_name"] = [ValidationError(_("Give the name of the parent or guardian."))]
        if data.consent_on is None:
            errors["consent_on"] = [ValidationError(_("Record when consent was given."))]
        elif data.consent_on > today:
            errors["consent_on"] = [ValidationError(_("Consent cannot be given in the future."))]
        collect(errors, "consent_by_name", clean_text, data.consent_by_name, 200, required=False)
    else:
        errors["basis"] = [ValidationError(_("Choose the legal basis: a covenant or consent."))]
    return errors


def refer(data: ReferralInput, *, actor: User, case: Any = None, signal: Any = None,
          request: HttpRequest | None = None) -> Referral:
    """Refer the person of a case (or of a signal referred to regular care) to another organisation. Without a
    valid covenant or recorded consent nothing is saved. Passing police or judicial data, or handing the case
    over, waits for a second coordinator's approval where configured; otherwise the referral is sent."""
    if (case is None) == (signal is None) or not may_refer(actor, case, signal):
        raise ValidationError(_("You cannot refer from here."))
    person = case.person if case is not None else signal.person
    today = timezone.localdate()
    errors = _check_referral(data, person, case, today)
    if errors:
        raise ValidationError(errors)
    categories = [code for code in SharedData.values if code in set(data.categories)]
    act = None
    if data.kind == ReferralKind.HANDOVER and needs_approval(ApprovalAct.CASE_CLOSURE):
        act = ApprovalAct.CASE_CLOSURE
    elif set(categories) & SENSITIVE and needs_approval(ApprovalAct.SENSITIVE_REFERRAL):
        act = ApprovalAct.SENSITIVE_REFERRAL
    referral = Referral(
        case=case, signal=signal, person=person, organisation=data.organisation, kind=data.kind,
        intervention=data.intervention if data.kind == ReferralKind.INTERVENTION else None,
        purpose=data.purpose.strip(), categories=categories, basis=data.basis,
        covenant=data.covenant if data.basis == LegalBasis.COVENANT else None,
        consent_by=data.consent_by if data.basis == LegalBasis.CONSENT else "",
        consent_by_name=(data.consent_by_name or "").strip() if data.basis == LegalBasis.CONSENT else "",
        consent_on=data.consent_on if data.basis == LegalBasis.CONSENT else None,
        note=data.note.strip(), status=ReferralStatus.AWAITING_APPROVAL if act else ReferralStatus.SENT,
        created_by=actor)

    def insert() -> None:
        referral.save(force_insert=True)
        log_event(AuditAction.CREATE, actor=actor, obj=referral, request=request, reason="referral",
                  detail={"organisation": data.organisation.pk, "kind": data.kind,  # type: ignore[union-attr]
                          "categories": categories, "basis": data.basis,
                          "case": case.reference if case else None, "signal": signal.reference if signal else None})
        if act:
            _request_approval(act, actor=actor, case=case, referral=referral, request=request)
        else:
            _send(referral, actor=actor, request=request)

    save_with_fresh(referral, "reference", save=insert)  # a reference drawn twice is drawn again
    return referral


def _send(referral: Referral, *, actor: User | None, request: HttpRequest | None) -> None:
    referral.status, referral.sent_at = ReferralStatus.SENT, timezone.now()
    referral.expires_on = timezone.localdate() + datetime.timedelta(days=settings.REFERRAL_ANSWER_DAYS)
    referral.save(update_fields=["status", "sent_at", "expires_on"])
    log_event(AuditAction.NOTIFY, actor=actor, obj=referral, request=request, reason="referral sent",
              detail={"organisation": referral.organisation_id, "expires_on": referral.expires_on.isoformat()})
    receivers = User.objects.filter(role_assignments__role=Role.RECIPIENT, organisation=referral.organisation_id)
    notify(Kind.REFERRAL_RECEIVED, receivers, actor=actor, request=request)


def referral_moved_on(referral: Referral) -> str:
    """Why a referral can no longer be answered or withdrawn: who moved it on first."""
    if referral.status in (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED) and referral.answered_by_id:
        return _("This referral was already answered in the meantime by %(who)s: %(outcome)s.") % {
            "who": referral.answered_by, "outcome": referral.get_status_display().lower()}
    if referral.status == ReferralStatus.WITHDRAWN and referral.withdrawn_by_id:
        return _("This referral was withdrawn in the meantime by %(who)s.") % {"who": referral.withdrawn_by}
    return _("This referral can no longer be answered: %(status)s.") % {
        "status": referral.get_status_display().lower()}


def _lock_referral(referral: Referral, states: list[str]) -> None:
    """The referral's case first (as approvals and plans lock it), then the referral, still in ``states``."""
    from netwerkregie.cases.models import Case

    lock_row(Case, referral.case_id)
    lock_in_state(referral, states=states, message=referral_moved_on)


def _answerable(referral: Referral, user: User) -> None:
    today = timezone.localdate()
    if not (user.has_role(Role.RECIPIENT) and user.organisation_id == referral.organisation_id):
        raise ValidationError(_("This referral can no longer be answered."))
    check_state(referral, states=[ReferralStatus.SENT], message=referral_moved_on)
    if not (referral.expires_on and referral.expires_on >= today):
        raise ValidationError(_("This referral can no longer be answered."))


def accept(referral: Referral, *, actor: User, request: HttpRequest | None = None) -> Referral:
    """The receiving organisation accepts: from now on its staff see exactly the categories passed. The
    ledger records it; a handover closes the case with the warm handover note."""
    _answerable(referral, actor)
    with transaction.atomic():
        _lock_referral(referral, [ReferralStatus.SENT])
        referral.status, referral.answered_by, referral.answered_at = ReferralStatus.ACCEPTED, actor, timezone.now()
        referral.save(update_fields=["status", "answered_by", "answered_at"])
        log_event(AuditAction.DECIDE, actor=actor, obj=referral, request=request, reason="referral accepted")
        basis = covenant_basis(referral.covenant) if referral.covenant else _(
            "Consent of %(who)s, %(date)s") % {"who": referral.get_consent_by_display().lower(),
                                              "date": short_date(referral.consent_on)}  # type: ignore[union-attr]
        record_disclosure(person=referral.person, kind=DisclosureKind.REFERRAL, categories=referral.categories,
                          basis=basis, actor=referral.created_by, organisation=referral.organisation,
                          recipient_label=_("staff of the receiving organisation"), case=referral.case,
                          signal=referral.signal, referral=referral, covenant=referral.covenant, request=request)
        if referral.kind == ReferralKind.HANDOVER and referral.case.is_open:  # type: ignore[union-attr]
            from netwerkregie.cases.models import ClosureReason
            from netwerkregie.cases.services import close_case

            note = referral.note or _("Handed over to %(organisation)s (referral %(reference)s).") % {
                "organisation": referral.organisation, "reference": referral.reference}
            close_case(referral.case, reason=ClosureReason.HANDED_OVER, handover_note=note,  # type: ignore[arg-type]
                       actor=referral.created_by, request=request, approved=True)
    return referral


def decline(referral: Referral, *, actor: User, reason: str, request: HttpRequest | None = None) -> Referral:
    _answerable(referral, actor)
    reason = clean_text(reason, 1_000, required=True) if reason.strip() else ""
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so the case manager can look elsewhere.")})
    with transaction.atomic():
        _lock_referral(referral, [ReferralStatus.SENT])
        referral.status, referral.answered_by, referral.answered_at = ReferralStatus.DECLINED, actor, timezone.now()
        referral.answer_reason = reason
        referral.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
        log_event(AuditAction.DECIDE, actor=actor, obj=referral, request=request, reason="referral declined")
    return referral


def withdraw(referral: Referral, *, actor: User, reason: str, request: HttpRequest | None = None) -> Referral:
    """Before acceptance only; the receiving organisation no longer sees it, from the next request on."""
    check_state(referral, states=[ReferralStatus.AWAITING_APPROVAL, ReferralStatus.SENT], message=referral_moved_on)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you withdraw the referral.")})
    reason = clean_text(reason, 1_000, required=True)
    with transaction.atomic():
        _lock_referral(referral, [ReferralStatus.AWAITING_APPROVAL, ReferralStatus.SENT])
        referral.status, referral.withdrawn_by, referral.withdrawn_at = (ReferralStatus.WITHDRAWN, actor,
                                                                         timezone.now())
        referral.withdraw_reason = reason
        referral.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdraw_reason"])
        referral.approvals.filter(status=ApprovalStatus.PENDING).update(status=ApprovalStatus.WITHDRAWN)
        log_event(AuditAction.UPDATE, actor=actor, obj=referral, request=request, reason="referral withdrawn")
    return referral


def report_back(referral: Referral, *, actor: User, text: str, request: HttpRequest | None = None) -> ReferralUpdate:
    """The receiving organisation reports on its work; the case's team reads it on the case."""
    if not (actor.has_role(Role.RECIPIENT) and actor.organisation_id == referral.organisation_id
            and referral.status == ReferralStatus.ACCEPTED):
        raise ValidationError(_("Only the receiving organisation reports back on an accepted referral."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    text = clean_text(text, MAX_NOTE, required=True)
    with transaction.atomic():
        update = ReferralUpdate.objects.create(referral=referral, text=text, written_by=actor)
        log_event(AuditAction.CREATE, actor=actor, obj=referral, request=request, reason="referral update")
    return update


def expire_referrals(day: datetime.date | None = None) -> int:
    """Referrals not answered in time expire (the nightly job); they already gave the receiver nothing."""
    day = day or timezone.localdate()
    expired = 0
    for referral in Referral.objects.filter(status=ReferralStatus.SENT, expires_on__lt=day):
        with transaction.atomic():
            referral.status = ReferralStatus.EXPIRED
            referral.save(update_fields=["status"])
            log_event(AuditAction.UPDATE, actor_label="expiry", obj=referral, reason="referral expired")
        expired += 1
    return expired


def shared_with_receiver(referral: Referral) -> dict[str, Any]:
    """What an accepted referral passes, category by category; nothing outside the categories."""
    from netwerkregie.cases.models import DataCategory, plan_in_effect
    from netwerkregie.cases.services import plan_for_display

    person, case, categories = referral.person, referral.case, set(referral.categories)
    signals = list(case.signals.select_related("source_organisation").prefetch_related("observations")
                   if case is not None else [referral.signal])
    shared: dict[str, Any] = {}
    if SharedData.IDENTITY in categories:
        shared["identity"] = {"name": person.name, "birth_date": person.birth_date, "bsn": person.bsn}
    if SharedData.CONTEXT in categories:
        shared["context"] = {"neighbourhood": person.neighbourhood, "school": person.school_or_organisation}
    if SharedData.SIGNALS in categories:
        shared["signals"] = [{"received_at": s.received_at, "observations": [str(o) for o in s.observations.all()],
                              "description": s.description} for s in signals]
    if SharedData.PLAN in categories and case is not None:
        shared["plan"] = plan_for_display(plan_in_effect(case))
    if SharedData.REVIEWS in categories and case is not None:
        shared["reviews"] = list(case.reviews.all())
    if SharedData.MINUTES in categories and case is not None:
        shared["minutes"] = list(case.agenda_items.select_related("consultation").order_by("consultation__held_on"))
    for code, sector, data_category in ((SharedData.POLICE, Sector.POLICE, DataCategory.POLICE),
                                        (SharedData.JUSTICE, Sector.PUBLIC_PROSECUTOR, DataCategory.JUSTICE)):
        if code in categories:
            shared[code] = {
                "signals": [{"received_at": s.received_at, "description": s.description} for s in signals
                            if s.source_organisation.sector == sector],
                "contributions": list(case.contributions.filter(category=data_category).select_related(
                    "organisation")) if case is not None else []}
    return shared


# --- Approvals ----------------------------------------------------------------------------------

def _request_approval(act: str, *, actor: User, case: Any = None, referral: Referral | None = None,
                      plan_version: Any = None, closure_reason: str = "", closure_note: str = "",
                      monitoring_until: datetime.date | None = None, request: HttpRequest | None = None) -> Approval:
    approval = Approval.objects.create(act=act, case=case or (referral.case if referral else None),
                                       referral=referral, plan_version=plan_version, closure_reason=closure_reason,
                                       closure_note=closure_note, monitoring_until=monitoring_until,
                                       requested_by=actor)
    log_event(AuditAction.CREATE, actor=actor, obj=approval, request=request, reason="approval requested",
              detail={"act": act})
    notify(Kind.APPROVAL_REQUESTED, approvers(approval), actor=actor, request=request)
    return approval


def request_closure(case: Any, *, reason: str, handover_note: str, actor: User,
                    monitoring_until: datetime.date | None = None, request: HttpRequest | None = None) -> Approval:
    """The closure waits for a second coordinator; the closure itself is validated now, so the approver
    approves something that can take effect."""
    from netwerkregie.cases.services import check_closure

    handover_note = check_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                                  monitoring_until=monitoring_until)
    with transaction.atomic():
        lock_row(type(case), case.pk)  # a second request at the same moment waits, then finds the first
        if case.approvals.filter(act=ApprovalAct.CASE_CLOSURE, status=ApprovalStatus.PENDING).exists():
            raise ValidationError(_("A closure of this case already awaits approval."))
        return _request_approval(ApprovalAct.CASE_CLOSURE, actor=actor, case=case, closure_reason=reason,
                                 closure_note=handover_note, monitoring_until=monitoring_until, request=request)


def request_plan_approval(version: Any, *, actor: User, request: HttpRequest | None = None) -> Approval:
    version.case.approvals.filter(act=ApprovalAct.COMPULSORY_PLAN, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.WITHDRAWN)  # a newer version replaces what waited
    return _request_approval(ApprovalAct.COMPULSORY_PLAN, actor=actor, case=version.case, plan_version=version,
                             request=request)


def check_independent_approver(approval: Approval, actor: User) -> None:
    """The second pair of eyes is not one the author arranged: an account the author created, or whose
    coordinator role the author asked for, confirmed or granted, within FOUR_EYES_INDEPENDENCE_DAYS days, does not
    approve the author's acts (an administrator with a second account at an address they control would
    otherwise approve their own)."""
    if approval.requested_by_id in grants.arranged_by(actor, Role.COORDINATOR):
        raise ValidationError(_(
            "You cannot approve this act: its author created your account or arranged your coordinator role less "
            "than %(days)d days ago. Another coordinator approves it.")
            % {"days": settings.FOUR_EYES_INDEPENDENCE_DAYS})


def pending_for(user: User) -> Any:
    """What this coordinator may approve: every pending act that someone else asked for, someone who did not
    arrange this coordinator's account or role (``check_independent_approver``)."""
    if not user.has_role(Role.COORDINATOR):
        return Approval.objects.none()
    return (Approval.objects.filter(status=ApprovalStatus.PENDING).exclude(requested_by=user)
            .exclude(requested_by__in=grants.arranged_by(user, Role.COORDINATOR))
            .select_related("case", "referral__organisation", "requested_by").order_by("requested_at"))


def decide(approval: Approval, *, actor: User, approve: bool, note: str,
           request: HttpRequest | None = None) -> Approval:
    """A coordinator other than the author approves (the act takes effect now) or refuses (it never does)."""
    check_state(approval, states=[ApprovalStatus.PENDING], message=_approval_decided)
    if not actor.has_role(Role.COORDINATOR):
        raise ValidationError(_("Only a coordinator approves."))
    if actor.pk == approval.requested_by_id:
        raise ValidationError(_("You cannot approve your own act: another coordinator does."))
    check_independent_approver(approval, actor)
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why you do not approve, so the author knows what to change.")})
    note = clean_text(note, 1_000, required=False)
    with transaction.atomic():
        _lock_approval(approval)
        approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REFUSED
        approval.decided_by, approval.decided_at, approval.decision_note = actor, timezone.now(), note
        approval.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        log_event(AuditAction.DECIDE, actor=actor, obj=approval, request=request,
                  reason="approved" if approve else "not approved", detail={"act": approval.act})
        _take_effect(approval, approve=approve, actor=actor, request=request)
    return approval


def _approval_decided(approval: Approval) -> str:
    if approval.decided_by_id:
        return _("This request was already decided in the meantime by %(who)s: %(outcome)s.") % {
            "who": approval.decided_by, "outcome": approval.get_status_display().lower()}
    return _("This request no longer awaits approval: %(outcome)s.") % {
        "outcome": approval.get_status_display().lower()}


def _lock_approval(approval: Approval) -> None:
    """Case, referral, approval: the order in which every writer of a case locks, so none waits on another
    in a circle. The approval must still be pending: of two simultaneous decisions only the first counts."""
    from netwerkregie.cases.models import Case

    lock_row(Case, approval.case_id)
    lock_row(Referral, approval.referral_id)
    lock_in_state(approval, states=[ApprovalStatus.PENDING], message=_approval_decided)


def _take_effect(approval: Approval, *, approve: bool, actor: User, request: HttpRequest | None) -> None:
    from netwerkregie.cases.models import PlanStatus
    from netwerkregie.cases.services import close_case

    if approval.referral is not None:
        referral = approval.referral
        if approve:
            _send(referral, actor=actor, request=request)
        else:
            referral.status = ReferralStatus.REFUSED
            referral.save(update_fields=["status"])
    elif approval.plan_version is not None:
        version = approval.plan_version
        version.status = PlanStatus.IN_EFFECT if approve else PlanStatus.NOT_APPROVED
        version.save(update_fields=["status"])
    elif approval.act == ApprovalAct.CASE_CLOSURE and approve:
        close_case(approval.case, reason=approval.closure_reason, handover_note=approval.closure_note,
                   actor=approval.requested_by, monitoring_until=approval.monitoring_until, request=request,
                   approved=True)


def close_with_approval(case: Any, *, reason: str, handover_note: str, actor: User, approver: User,
                        monitoring_until: datetime.date | None = None) -> Any:
    """Ask for a closure and have it approved at once (the demo's history, where both already happened)."""
    approval = request_closure(case, reason=reason, handover_note=handover_note, actor=actor,
                               monitoring_until=monitoring_until)
    decide(approval, actor=approver, approve=True, note="")
    case.refresh_from_db()
    return case


def pending_closure(case: Any) -> Approval | None:
    return case.approvals.filter(act=ApprovalAct.CASE_CLOSURE, status=ApprovalStatus.PENDING).first()


def ledger_for_person(person: Any) -> Any:
    return (Disclosure.objects.filter(Q(person=person)).select_related("organisation", "recipient", "disclosed_by",
                                                                      "case").order_by("disclosed_at", "pk"))
