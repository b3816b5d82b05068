"""The minutes of a case consultation as a record.

Until the chair establishes them, the minutes of an agenda item are a draft that the case's team may
edit. Establishing writes version 1; from then on the text is read-only, and a change is a correction
by the chair: a new version with its reason, the earlier ones kept. ``AgendaItem.minutes`` and
``decisions`` always hold the version in force, for every reader that prints or shares them.

The chair is the person who planned the consultation (a coordinator or the case manager who scheduled
it); any coordinator may act as chair as well, as the network coordinator chairs the case consultation.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.cases.models import AgendaItem, MinutesVersion
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text, collect

MAX_TEXT = 10_000
MAX_REASON = 1_000


def may_chair(item: AgendaItem, user: User) -> bool:
    """Who may establish and correct: the one who planned the consultation, or a coordinator."""
    return item.consultation.created_by_id == user.pk or user.has_role(Role.COORDINATOR)


def _locked(item: AgendaItem) -> tuple[AgendaItem, int]:
    """The item, locked until the transaction ends, and how many versions it has: two writers of the
    same minutes wait for each other instead of both reading the same state."""
    locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
    return locked, MinutesVersion.objects.filter(item=locked).count()


def _texts(minutes: str, decisions: str, errors: dict[str, list[ValidationError]]) -> tuple[str, str]:
    return (collect(errors, "minutes", clean_text, minutes, MAX_TEXT, required=False) or "",
            collect(errors, "decisions", clean_text, decisions, MAX_TEXT, required=False) or "")


def save_draft(item: AgendaItem, *, minutes: str, decisions: str, actor: User) -> AgendaItem:
    """Any team member may edit the minutes until they are established; after that, never."""
    errors: dict[str, list[ValidationError]] = {}
    minutes, decisions = _texts(minutes, decisions, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked, versions = _locked(item)
        if versions:
            raise ValidationError(_("These minutes have been established and can no longer be edited. The chair "
                                    "can record a correction, with its reason."), code="established")
        locked.minutes, locked.decisions = minutes, decisions
        locked.save(update_fields=["minutes", "decisions"])
        log_event(AuditAction.UPDATE, actor=actor, obj=locked.case,
                  reason="case consultation minutes", detail={"consultation": locked.consultation_id})
    item.minutes, item.decisions = minutes, decisions
    return item


def establish(item: AgendaItem, *, actor: User) -> MinutesVersion:
    """The chair fixes the draft as version 1, once the consultation has been held."""
    if not may_chair(item, actor):
        raise ValidationError(_("Only the chair of the consultation can establish the minutes."), code="chair")
    if item.consultation.held_on > timezone.localdate():
        raise ValidationError(_("Minutes can be established once the consultation has been held."), code="early")
    with transaction.atomic():
        locked, versions = _locked(item)
        if versions:
            raise ValidationError(_("These minutes have already been established."), code="established")
        if not (locked.minutes.strip() or locked.decisions.strip()):
            raise ValidationError(_("There is nothing to establish yet: write the minutes first."), code="empty")
        version = MinutesVersion.objects.create(item=locked, number=1, minutes=locked.minutes,
                                                decisions=locked.decisions, author=actor)
        log_event(AuditAction.DECIDE, actor=actor, obj=locked.case,
                  reason="case consultation minutes established",
                  detail={"consultation": locked.consultation_id, "version": 1})
    return version


def correct(item: AgendaItem, *, minutes: str, decisions: str, reason: str, base_version: int,
            actor: User) -> MinutesVersion:
    """The chair corrects established minutes: a new version with its reason; the earlier ones stay.
    ``base_version`` is the version the chair corrected: when another correction came first, this one is
    refused rather than laid over a text the chair has not seen."""
    if not may_chair(item, actor):
        raise ValidationError(_("Only the chair of the consultation can correct the minutes."), code="chair")
    errors: dict[str, list[ValidationError]] = {}
    minutes, decisions = _texts(minutes, decisions, errors)
    reason = collect(errors, "reason", clean_text, reason, MAX_REASON, required=True) or ""
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked, versions = _locked(item)
        if not versions:
            raise ValidationError(_("These minutes have not been established yet; edit the draft instead."),
                                  code="draft")
        if base_version != versions:
            raise ValidationError(_("The minutes were corrected in the meantime: version %(number)d is now in "
                                    "force. Read it and make your correction again.") % {"number": versions},
                                  code="conflict")
        if (minutes, decisions) == (locked.minutes, locked.decisions):
            raise ValidationError(_("The correction changes nothing in the minutes or the decisions."),
                                  code="unchanged")
        version = MinutesVersion.objects.create(item=locked, number=versions + 1, minutes=minutes,
                                                decisions=decisions, reason=reason, author=actor)
        locked.minutes, locked.decisions = minutes, decisions
        locked.save(update_fields=["minutes", "decisions"])
        log_event(AuditAction.UPDATE, actor=actor, obj=locked.case,
                  reason="case consultation minutes corrected",
                  detail={"consultation": locked.consultation_id, "version": version.number})
    item.minutes, item.decisions = minutes, decisions
    return version
