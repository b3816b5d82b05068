"""Writes of phase 3, opening a case, its team and its support plan: validated, audited and given retention in
one transaction each. Monitoring and closure are in ``cases.closure``, the case consultation in
``cases.consultations``, emergency access in ``cases.emergency``."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.approvals.models import ApprovalAct, ApprovalStatus
from netwerkregie.approvals.services import needs_approval, request_plan_approval
from netwerkregie.cases.forms import CONSENT, INTERVENTION_STATUS
from netwerkregie.cases.models import (
    Case,
    CaseMembership,
    DataContribution,
    InterventionType,
    PlanStatus,
    PlanVersion,
    plan_in_effect,
)
from netwerkregie.core.audit import log_event
from netwerkregie.core.identifiers import save_with_fresh
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.disclosures.models import DisclosureKind
from netwerkregie.disclosures.services import (
    TEAM_DATA,
    case_work_covenants,
    covenant_basis,
    is_own_team,
    record_disclosure,
)
from netwerkregie.intake.models import Decision, Signal, SignalStatus
from netwerkregie.network.models import Covenant, Organisation
from netwerkregie.notifications.models import Kind
from netwerkregie.notifications.services import notify
from netwerkregie.people.models import Person
from netwerkregie.people.services import set_retention

MAX_TEXT = 10_000
TEAM_ROLES = {Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER}


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def keep_person_while_case_lives(case: Case) -> None:
    """The persons and signals of a case are kept as long as the case itself."""
    case.signals.filter(retain_until__lt=case.retain_until).update(retain_until=case.retain_until)
    for person in (case.person, *case.related_persons.all()):
        dates = [c.retain_until for c in (*person.cases.all(), *person.related_cases.all())]
        dates += [s.retain_until for s in person.signals.all()]
        set_retention(person, max(dates))


def justified_period(person: Person, day: datetime.date) -> datetime.date:
    days = settings.JUSTIFY_CASE_MINOR_DAYS if person.is_minor else settings.JUSTIFY_CASE_DAYS
    return day + datetime.timedelta(days=days)



# --- Opening a case and its team -------------------------------------------------------------

def open_case(*, person: Person, case_manager: User, actor: User, signals: list[Signal] | None = None,
              ideology: str = "unclear", reason: str = "", related: list[Person] | None = None) -> Case:
    """From signals decided `to_case_conference`, or directly by a coordinator with a written reason."""
    signals = signals or []
    errors: dict[str, list[ValidationError]] = {}
    if not signals and not (reason or "").strip():
        errors["reason"] = [ValidationError(_("A case opened without an assessed signal needs a written reason."))]
    for signal in signals:
        decided = signal.status == SignalStatus.DECIDED and hasattr(signal, "assessment") and (
            signal.assessment.decision == Decision.TO_CASE_CONFERENCE)
        if not decided or signal.person_id != person.pk:
            errors.setdefault("signals", []).append(ValidationError(
                _("%(reference)s was not decided 'to the case consultation' for this person.")
                % {"reference": signal.reference}))
    if not case_manager.has_role(Role.CASE_MANAGER, Role.COORDINATOR):
        errors["case_manager"] = [ValidationError(_("Choose a case manager."))]
    reason = collect(errors, "reason", clean_text, reason, MAX_TEXT, required=False) or ""
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    interval = min(settings.CASE_REVIEW_INTERVAL_DAYS,
                   settings.CASE_REVIEW_INTERVAL_MINOR_DAYS if person.is_minor else settings.CASE_REVIEW_INTERVAL_DAYS)
    case = Case(
        person=person, case_manager=case_manager, ideology=ideology, opened_reason=reason, opened_on=today,
        next_review_on=today + datetime.timedelta(days=interval), justified_until=justified_period(person, today),
        created_by=actor, retain_until=years_after(today, settings.CASE_RETENTION_YEARS),
    )

    def insert() -> None:
        case.save(force_insert=True)
        case.signals.set(signals)
        case.related_persons.set(related or [])
        keep_person_while_case_lives(case)
        log_event(AuditAction.CREATE, actor=actor, obj=case, reason=reason[:200],
                  detail={"signals": [s.reference for s in signals], "minor": person.is_minor})
        if case_manager.pk != actor.pk:  # she finds it "new" on her lists; she is told at once or in the digest
            notify(Kind.ADDED_TO_CASE_TEAM, [case_manager], actor=actor)

    save_with_fresh(case, "reference", save=insert)  # a reference drawn twice is drawn again
    return case


def case_work_covenant(organisation: Organisation | None, day: datetime.date) -> bool:
    if organisation is None:
        return False
    return Covenant.objects.valid_on(day).for_purpose("case_work").filter(parties=organisation).exists()


def add_member(case: Case, *, user: User, role_in_case: str, reason: str, actor: User,
               valid_until: datetime.date | None = None) -> CaseMembership:
    errors: dict[str, list[ValidationError]] = {}
    today = timezone.localdate()
    if not user.roles & TEAM_ROLES:
        errors["user"] = [ValidationError(_("This user has no role that can work on cases."))]
    elif not case_work_covenant(user.organisation, today):
        errors["user"] = [ValidationError(
            _("%(organisation)s has no covenant that is valid for case work today.")
            % {"organisation": user.organisation or _("This user's organisation")})]
    if valid_until is not None and valid_until < today:
        errors["valid_until"] = [ValidationError(_("This date is in the past."))]
    for name, value, limit in (("role_in_case", role_in_case, 100), ("reason", reason, 300)):
        collect(errors, name, clean_text, value, limit, required=True)
    if case.memberships.filter(user=user, removed_at__isnull=True).exists():
        errors.setdefault("user", []).append(ValidationError(_("This user is already on the team.")))
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            membership = CaseMembership.objects.create(
                case=case, user=user, organisation=user.organisation, role_in_case=role_in_case.strip(),
                reason=reason.strip(), added_by=actor, valid_until=valid_until)
            log_event(AuditAction.CREATE, actor=actor, obj=membership, reason=reason.strip(),
                      detail={"case": case.reference, "member": user.email})
            notify(Kind.ADDED_TO_CASE_TEAM, [user], actor=actor)
            if not is_own_team(user.organisation):
                covenant = case_work_covenants(user.organisation, today).first()
                record_disclosure(person=case.person, kind=DisclosureKind.TEAM_MEMBER, categories=TEAM_DATA,
                                  basis=covenant_basis(covenant), actor=actor,
                                  organisation=user.organisation, recipient=user, case=case, covenant=covenant)
    except IntegrityError:
        raise ValidationError({"user": _("This user is already on the team.")}) from None
    return membership


def remove_member(membership: CaseMembership, *, actor: User) -> None:
    with transaction.atomic():
        membership.removed_at, membership.removed_by = timezone.now(), actor
        membership.save(update_fields=["removed_at", "removed_by"])
        log_event(AuditAction.DELETE, actor=actor, obj=membership,
                  detail={"case": membership.case.reference, "member": membership.user.email})


def record_informed(case: Case, *, informed_on: datetime.date | None, delay_reason: str, actor: User) -> None:
    if informed_on is None and not (delay_reason or "").strip():
        raise ValidationError({"informing_delay_reason": _("Give the reason why the person is not informed yet.")})
    if informed_on and informed_on > timezone.localdate():
        raise ValidationError({"person_informed_on": _("This date is in the future.")})
    delay_reason = clean_text(delay_reason, 2_000, required=False)
    with transaction.atomic():
        case.person_informed_on, case.informing_delay_reason = informed_on, delay_reason
        case.save(update_fields=["person_informed_on", "informing_delay_reason"])
        log_event(AuditAction.UPDATE, actor=actor, obj=case, reason="informing the person",
                  detail={"informed": bool(informed_on)})


def add_contribution(case: Case, *, organisation: Organisation, category: str, reason: str,
                     actor: User) -> DataContribution:
    reason = clean_text(reason, 500, required=True)
    with transaction.atomic():
        contribution = DataContribution.objects.create(case=case, organisation=organisation, category=category,
                                                       reason=reason, recorded_by=actor)
        log_event(AuditAction.CREATE, actor=actor, obj=contribution,
                  detail={"case": case.reference, "category": category})
    return contribution


# --- The integrated support plan ---------------------------------------------------------------

class PlanConflict(Exception):
    """Someone saved the plan after the version this edit started from."""

    def __init__(self, latest: PlanVersion) -> None:
        self.latest = latest
        super().__init__(latest.number)


@dataclass
class InterventionInput:
    type: InterventionType
    goal: int
    provider: Organisation | None
    owner: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    status: str
    outcome: str = ""
    consent: str = ""
    consent_on: datetime.date | None = None
    consent_name: str = ""  # the parent or guardian who gave consent, as on a referral


def _check_interventions(case: Case, goals: list[str], interventions: list[InterventionInput]) -> dict[str, list]:
    errors: dict[str, list[ValidationError]] = {}
    minor = case.person.is_minor
    for number, item in enumerate(interventions, start=1):
        def problem(message: str, number: int = number) -> None:
            errors.setdefault("interventions", []).append(
                ValidationError(_("Intervention %(n)d: %(message)s") % {"n": number, "message": message}))
        if not 1 <= item.goal <= len(goals):
            problem(_("link it to one of the goals."))
        if item.ends_on and item.ends_on < item.starts_on:
            problem(_("the end date lies before the start date."))
        if item.type.compulsory:
            if item.consent:
                problem(_("a compulsory measure does not rest on consent; leave consent empty."))
        else:
            if not item.consent:
                problem(_("voluntary support needs consent; record who gave it."))
            elif minor and item.consent == "person":
                problem(_("the person is a minor: a parent or guardian gives consent."))
            if item.consent and not item.consent_on:
                problem(_("record when consent was given."))
            if item.consent in ("parent", "guardian") and not item.consent_name.strip():
                problem(_("give the name of the parent or guardian who gave consent."))
        for text in (item.owner, item.outcome, item.consent_name):
            try:
                clean_text(text, 2_000, required=False)
            except ValidationError as error:
                problem(" ".join(error.messages))
    return errors


def save_plan(case: Case, *, goals: list[str], protective_factors: str, interventions: list[InterventionInput],
              base_version: int, change_note: str, actor: User) -> PlanVersion:
    """Save a new version of the plan. If another version was saved since ``base_version``, nothing is
    written and PlanConflict says which version is newer; the caller keeps the user's input."""
    goals = [g.strip() for g in goals if g and g.strip()]
    errors: dict[str, list[ValidationError]] = {}
    if not goals:
        errors["goals"] = [ValidationError(_("A plan has at least one goal."))]
    for goal in goals:
        collect(errors, "goals", clean_text, goal, 500, required=True)
    collect(errors, "protective_factors", clean_text, protective_factors, MAX_TEXT, required=False)
    collect(errors, "change_note", clean_text, change_note, 300, required=True)
    errors.update(_check_interventions(case, goals, interventions))
    if errors:
        raise ValidationError(errors)
    content = {
        "goals": goals,
        "protective_factors": protective_factors.strip(),
        "interventions": [
            {"type": i.type.code, "goal": i.goal, "provider": i.provider.pk if i.provider else None,
             "owner": i.owner.strip(), "starts_on": i.starts_on.isoformat(),
             "ends_on": i.ends_on.isoformat() if i.ends_on else None, "status": i.status,
             "outcome": i.outcome.strip(), "consent": i.consent,
             "consent_on": i.consent_on.isoformat() if i.consent_on else None,
             "consent_name": i.consent_name.strip() if i.consent in ("parent", "guardian") else "",
             "compulsory": i.type.compulsory}
            for i in interventions
        ],
    }
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()  # serialise writers of this case
        latest = case.plan_versions.order_by("-number").first()
        if (latest.number if latest else 0) != base_version:
            raise PlanConflict(latest)  # type: ignore[arg-type]
        in_effect = plan_in_effect(case)
        try:
            with transaction.atomic():
                version = PlanVersion.objects.create(
                    case=case, number=base_version + 1, change_note=change_note.strip(), saved_by=actor,
                    content=json.dumps(content, ensure_ascii=False))
        except IntegrityError:  # a concurrent writer got this number first
            raise PlanConflict(case.plan_versions.order_by("-number").first()) from None  # type: ignore[arg-type]
        waits = bool(version.compulsory_measures()) and version.compulsory_measures() != (
            in_effect.compulsory_measures() if in_effect else []) and needs_approval(ApprovalAct.COMPULSORY_PLAN)
        # Whatever waited for approval is replaced by this version.
        case.plan_versions.filter(status=PlanStatus.AWAITING_APPROVAL).exclude(pk=version.pk).update(
            status=PlanStatus.NOT_APPROVED)
        case.approvals.filter(act=ApprovalAct.COMPULSORY_PLAN, status=ApprovalStatus.PENDING).update(
            status=ApprovalStatus.WITHDRAWN)
        if waits:
            version.status = PlanStatus.AWAITING_APPROVAL
            version.save(update_fields=["status"])
        log_event(AuditAction.UPDATE, actor=actor, obj=case, reason="support plan",
                  detail={"version": version.number, "interventions": len(interventions), "awaits_approval": waits})
        if waits:
            request_plan_approval(version, actor=actor)
    return version


def plan_for_display(version: PlanVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    data = version.data
    statuses, consents = dict(INTERVENTION_STATUS), dict(CONSENT)
    types = {t.code: t for t in InterventionType.objects.all()}
    providers = {o.pk: o for o in Organisation.objects.filter(pk__in=[i["provider"] for i in data["interventions"]])}
    for item in data["interventions"]:
        item["type_obj"] = types.get(item["type"])
        item["provider_obj"] = providers.get(item["provider"])
        item["goal_text"] = data["goals"][item["goal"] - 1] if 0 < item["goal"] <= len(data["goals"]) else ""
        item["status_label"] = statuses.get(item["status"], item["status"])
        item["consent_label"] = consents.get(item["consent"], item["consent"])
        for key in ("starts_on", "ends_on", "consent_on"):  # stored as ISO text inside the encrypted JSON
            item[f"{key}_date"] = datetime.date.fromisoformat(item[key]) if item.get(key) else None
    return data
