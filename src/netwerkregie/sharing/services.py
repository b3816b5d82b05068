"""Referrals and handovers: every write validated, audited and in one transaction with the act it records;
the ledger entry of an accepted referral (``disclosures.services``) and the request for a second person's
approval (``approvals.services``) are written in the same transaction as the referral's act."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.approvals.models import ApprovalAct, ApprovalStatus
from netwerkregie.approvals.services import needs_approval, request_approval
from netwerkregie.cases.closure import close_case
from netwerkregie.cases.models import Case, ClosureReason, DataCategory, plan_in_effect
from netwerkregie.cases.policy import may_refer_case
from netwerkregie.cases.services import plan_for_display
from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.transitions import check_state, lock_in_state, lock_row
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.disclosures.models import DisclosureKind, SharedData
from netwerkregie.disclosures.services import case_work_covenants, covenant_basis, is_own_team, record_disclosure
from netwerkregie.intake.policy import may_refer_signal
from netwerkregie.network.models import Covenant, Organisation, Sector
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import notify
from netwerkregie.sharing.models import (
    SENSITIVE,
    ConsentBy,
    LegalBasis,
    Referral,
    ReferralKind,
    ReferralStatus,
    ReferralUpdate,
)

MAX_NOTE = 5_000


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
        return may_refer_case(user, case)
    return may_refer_signal(user, signal)


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


def refer(data: ReferralInput, *, actor: User, case: Any = None, signal: Any = None) -> Referral:
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
        log_event(AuditAction.CREATE, actor=actor, obj=referral, reason="referral",
                  detail={"organisation": data.organisation.pk, "kind": data.kind,  # type: ignore[union-attr]
                          "categories": categories, "basis": data.basis,
                          "case": case.reference if case else None, "signal": signal.reference if signal else None})
        if act:
            request_approval(act, actor=actor, case=case, referral=referral)
        else:
            _send(referral, actor=actor)

    save_with_fresh(referral, "reference", save=insert)  # a reference drawn twice is drawn again
    return referral


def _send(referral: Referral, *, actor: User | None) -> None:
    referral.status, referral.sent_at = ReferralStatus.SENT, timezone.now()
    referral.expires_on = timezone.localdate() + datetime.timedelta(days=settings.REFERRAL_ANSWER_DAYS)
    referral.save(update_fields=["status", "sent_at", "expires_on"])
    log_event(AuditAction.NOTIFY, actor=actor, obj=referral, reason="referral sent",
              detail={"organisation": referral.organisation_id, "expires_on": referral.expires_on.isoformat()})
    receivers = User.objects.filter(role_assignments__role=Role.RECIPIENT, organisation=referral.organisation_id)
    notify(Kind.REFERRAL_RECEIVED, receivers, actor=actor)


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
    lock_row(Case, referral.case_id)
    lock_in_state(referral, states=states, message=referral_moved_on)


def _answerable(referral: Referral, user: User) -> None:
    today = timezone.localdate()
    if not (user.has_role(Role.RECIPIENT) and user.organisation_id == referral.organisation_id):
        raise ValidationError(_("This referral can no longer be answered."))
    check_state(referral, states=[ReferralStatus.SENT], message=referral_moved_on)
    if not (referral.expires_on and referral.expires_on >= today):
        raise ValidationError(_("This referral can no longer be answered."))


def accept(referral: Referral, *, actor: User) -> Referral:
    """The receiving organisation accepts: from now on its staff see exactly the categories passed. The
    ledger records it; a handover closes the case with the warm handover note."""
    _answerable(referral, actor)
    with transaction.atomic():
        _lock_referral(referral, [ReferralStatus.SENT])
        referral.status, referral.answered_by, referral.answered_at = ReferralStatus.ACCEPTED, actor, timezone.now()
        referral.save(update_fields=["status", "answered_by", "answered_at"])
        log_event(AuditAction.DECIDE, actor=actor, obj=referral, reason="referral accepted")
        basis = covenant_basis(referral.covenant) if referral.covenant else _(
            "Consent of %(who)s, %(date)s") % {"who": referral.get_consent_by_display().lower(),
                                              "date": short_date(referral.consent_on)}  # type: ignore[union-attr]
        record_disclosure(person=referral.person, kind=DisclosureKind.REFERRAL, categories=referral.categories,
                          basis=basis, actor=referral.created_by, organisation=referral.organisation,
                          recipient_label=_("staff of the receiving organisation"), case=referral.case,
                          signal=referral.signal, referral=referral, covenant=referral.covenant)
        if referral.kind == ReferralKind.HANDOVER and referral.case.is_open:  # type: ignore[union-attr]
            note = referral.note or _("Handed over to %(organisation)s (referral %(reference)s).") % {
                "organisation": referral.organisation, "reference": referral.reference}
            close_case(referral.case, reason=ClosureReason.HANDED_OVER, handover_note=note,  # type: ignore[arg-type]
                       actor=referral.created_by, approved=True)
    return referral


def decline(referral: Referral, *, actor: User, reason: str) -> Referral:
    _answerable(referral, actor)
    reason = clean_text(reason, 1_000, required=True) if reason.strip() else ""
    if not reason:
        raise ValidationError({"reason": _("Say why you decline, so the case manager can look elsewhere.")})
    with transaction.atomic():
        _lock_referral(referral, [ReferralStatus.SENT])
        referral.status, referral.answered_by, referral.answered_at = ReferralStatus.DECLINED, actor, timezone.now()
        referral.answer_reason = reason
        referral.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
        log_event(AuditAction.DECIDE, actor=actor, obj=referral, reason="referral declined")
    return referral


def withdraw(referral: Referral, *, actor: User, reason: str) -> Referral:
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
        log_event(AuditAction.UPDATE, actor=actor, obj=referral, reason="referral withdrawn")
    return referral


def report_back(referral: Referral, *, actor: User, text: str) -> ReferralUpdate:
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
        log_event(AuditAction.CREATE, actor=actor, obj=referral, reason="referral update")
    return update


def expire_referrals(day: datetime.date | None = None) -> int:
    """Referrals not answered in time expire (the nightly job); they already gave the receiver nothing."""
    day = day or timezone.localdate()
    due = Referral.objects.filter(status=ReferralStatus.SENT, expires_on__lt=day)
    expired = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and read again: a referral being accepted or declined this moment (its row locked) is left to
            # that answer, and one answered since the list was read is no longer SENT. Never both win.
            referral = due.select_for_update(skip_locked=True).filter(pk=pk).first()
            if referral is None:
                continue
            referral.status = ReferralStatus.EXPIRED
            referral.save(update_fields=["status"])
            log_event(AuditAction.UPDATE, actor_label="expiry", obj=referral, reason="referral expired")
        expired += 1
    return expired


def shared_with_receiver(referral: Referral) -> dict[str, Any]:
    """What an accepted referral passes, category by category; nothing outside the categories."""
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


def send_after_approval(referral: Referral, *, approve: bool, actor: User) -> None:
    """A referral's approval decided (inside its transaction): approved, it is sent; refused, it never is."""
    if approve:
        _send(referral, actor=actor)
    else:
        referral.status = ReferralStatus.REFUSED
        referral.save(update_fields=["status"])
