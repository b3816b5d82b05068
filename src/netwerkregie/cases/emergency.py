"""Emergency access ("break the glass"): a coordinator's time-limited access to a case outside their own,
for a stated reason, and the privacy officer's review of it afterwards."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.cases.models import Case, EmergencyAccess
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import clean_text


def break_glass(case: Case, *, user: User, reason: str) -> EmergencyAccess:
    """Time-limited access for a coordinator to a case outside their own, for a stated reason."""
    if not user.has_role(Role.COORDINATOR):
        raise ValidationError(_("Only a network coordinator can use emergency access."))
    reason = clean_text(reason, 500, required=True)
    if len(reason) < 15:
        raise ValidationError({"reason": _("Explain the emergency in a full sentence.")})
    now = timezone.now()
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=user, case=case, reason=reason, granted_at=now,
            expires_at=now + datetime.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS))
        log_event(AuditAction.EMERGENCY_ACCESS, actor=user, obj=case, reason=reason,
                  detail={"expires_at": access.expires_at.isoformat()})
    return access


def review_emergency_access(access: EmergencyAccess, *, reviewer: User, justified: bool, note: str) -> None:
    note = clean_text(note, 500, required=True)
    with transaction.atomic():
        access.reviewed_by, access.reviewed_at = reviewer, timezone.now()
        access.review_justified, access.review_note = justified, note
        access.save(update_fields=["reviewed_by", "reviewed_at", "review_justified", "review_note"])
        log_event(AuditAction.UPDATE, actor=reviewer, obj=access, reason="emergency access reviewed",
                  detail={"justified": justified})
