"""The case consultation (MDO): planning it, its agenda, draft minutes and actions; each write validated,
audited and in one transaction. Established minutes are a record: ``cases.minutes``."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.cases import minutes as record
from netwerkregie.cases.models import Action, ActionStatus, AgendaItem, Case, CaseConsultation, CaseStatus
from netwerkregie.core import meetings
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text
from netwerkregie.disclosures.services import record_minutes_disclosure


def _may_put_on_agenda(case: Case, actor: User) -> bool:
    """The coordinator puts any open case on an agenda; a case manager her own."""
    return case.status != CaseStatus.CLOSED and (actor.has_role(Role.COORDINATOR) or case.case_manager_id == actor.pk)


def plan_consultation(*, title: str, held_on: datetime.date, attendees: list[User], cases: list[Case], actor: User,
                      starts_at: datetime.time | None = None, ends_at: datetime.time | None = None,
                      location: str = "") -> CaseConsultation:
    title = clean_text(title, 200, required=True)
    schedule = meetings.clean_schedule(starts_at=starts_at, ends_at=ends_at, location=location)
    if not attendees:
        raise ValidationError({"attendees": _("Choose at least one attendee.")})
    if any(not _may_put_on_agenda(case, actor) for case in cases):
        raise ValidationError({"cases": _("You can put only your own open cases on the agenda.")})
    with transaction.atomic():
        consultation = CaseConsultation.objects.create(title=title, held_on=held_on, created_by=actor, **schedule)
        consultation.attendees.set({*attendees, actor})
        for case in cases:
            AgendaItem.objects.create(consultation=consultation, case=case)
        log_event(AuditAction.CREATE, actor=actor, obj=consultation,
                  detail={"cases": len(cases), "attendees": consultation.attendees.count()})
    return consultation


def add_to_agenda(consultation: CaseConsultation, case: Case, *, actor: User) -> AgendaItem:
    if not _may_put_on_agenda(case, actor):
        raise ValidationError(_("You can put only your own open cases on the agenda."))
    if consultation.items.filter(case=case).exists():
        raise ValidationError(_("This case is already on the agenda."))
    with transaction.atomic():
        item = AgendaItem.objects.create(consultation=consultation, case=case)
        consultation.attendees.add(actor)
        log_event(AuditAction.UPDATE, actor=actor, obj=consultation, reason="case consultation",
                  detail={"added_case": case.reference})
    return item


def withdraw_from_future_agendas(case: Case, *, actor: User | None) -> list[CaseConsultation]:
    """A closed case leaves the agendas of consultations still to come (after today), where nothing was written
    about it yet; earlier agendas, today's and any with minutes stay as they were. Each change is audited as
    an agenda change. Called inside the closure's transaction."""
    today = timezone.localdate()
    changed = []
    items = (AgendaItem.objects.filter(case=case, consultation__held_on__gt=today, minutes_versions__isnull=True,
                                       actions__isnull=True)
             .select_related("consultation").distinct())
    for item in items:
        if item.minutes or item.decisions:  # a draft written ahead of the meeting is kept, for the chair to see
            continue
        consultation = item.consultation
        item.delete()
        log_event(AuditAction.UPDATE, actor=actor, actor_label="" if actor else "lapse", obj=consultation,
                  reason="case consultation", detail={"removed_case": case.reference, "why": "case closed"})
        changed.append(consultation)
    return changed


def save_minutes(item: AgendaItem, *, minutes: str, decisions: str, actor: User) -> AgendaItem:
    """The draft minutes; once established they are a record (``cases.minutes``) and this refuses."""
    return record.save_draft(item, minutes=minutes, decisions=decisions, actor=actor)


def add_action(item: AgendaItem, *, description: str, owner: User, due_on: datetime.date, actor: User) -> Action:
    description = clean_text(description, 1_000, required=True)
    with transaction.atomic():
        action = Action.objects.create(item=item, description=description, owner=owner, due_on=due_on)
        log_event(AuditAction.CREATE, actor=actor, obj=action, detail={"case": item.case.reference})
    return action


def complete_action(action: Action, *, actor: User) -> None:
    with transaction.atomic():
        action.status = ActionStatus.DONE
        action.save(update_fields=["status"])
        log_event(AuditAction.UPDATE, actor=actor, obj=action, reason="action done")


def record_minutes_export(consultation: CaseConsultation, cases: list[Case], *, reader: User, actor: User) -> None:
    """The minutes printed (for ``reader``): an export event per case in them and, for a reader of another
    organisation, the ledger entries; one transaction."""
    with transaction.atomic():
        for case in cases:
            log_event(AuditAction.EXPORT, actor=actor, obj=case,
                      reason="case consultation minutes (PDF)", detail={"consultation": consultation.pk,
                                                                        "for": reader.pk})
        record_minutes_disclosure(cases, reader=reader, actor=actor)
