"""How the access export names people and things for the citizen who reads it: staff by role and
organisation (never an e-mail address or an account: GDPR art. 15(4) protects the colleagues, the
reporter first), choices by their label (never a stored code), times in local time."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.cases.models import ClosureReason
from netwerkregie.core.audit_labels import reason_label
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Decision

ROLE_ORDER = [role.value for role in Role]
# Codes the system itself writes as an audit reason, and their labels.
CODED_REASONS = {**dict(Decision.choices), **{f"closed: {code}": label for code, label in ClosureReason.choices}}


def staff_label(user: User | None) -> str:
    """'Network coordinator, Gemeente Lindeveen': the user's first role (in the roles' own order) and
    organisation; 'the system' for what no person did."""
    if user is None:
        return _("the system")
    roles = sorted((a.role for a in user.role_assignments.all()), key=ROLE_ORDER.index)
    role = Role(roles[0]).label if roles else _("Staff member")
    organisation = user.organisation.name if user.organisation is not None else ""
    label = f"{role}, {organisation}" if organisation else str(role)
    return label[:1].upper() + label[1:]


def why_label(reason: str) -> str:
    if reason in CODED_REASONS:
        return str(CODED_REASONS[reason])
    return reason_label(reason)


def local(value: Any) -> Any:
    """Every aware time in ``value`` (nested dicts and lists) in local time, to the second: the JSON
    writes it as ISO 8601 with the offset (+01:00 in winter), the PDF as the clock on the wall."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(microsecond=0) if timezone.is_aware(value) else value
    if isinstance(value, dict):
        return {key: local(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [local(item) for item in value]
    return value
