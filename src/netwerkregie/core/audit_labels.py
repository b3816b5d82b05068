"""What a person reads in an audit trail: the record by its name ("Casus C-2026-4KX7P", not
"cases.case 4") and the system's reasons in the reader's language. The stored events stay as they
are (the hash chain covers them); only their presentation is translated.

Records are named in one query per record type, whatever the number of events."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# The reasons the system itself records; free-text reasons people type are shown as typed.
SYSTEM_REASONS = {
    "access review": _("access review"),
    "action done": _("action done"),
    "advice given": _("advice given"),
    "audit log review": _("audit log review"),
    "audit of a person": _("audit of a person"),
    "audit verification requested": _("audit verification requested"),
    "budget export": _("budget export"),
    "reach export": _("reach export"),
    "report export": _("report export"),
    "case consultation minutes (PDF)": _("case consultation minutes (PDF)"),
    "case consultation minutes": _("case consultation minutes"),
    "case consultation minutes established": _("case consultation minutes established"),
    "case consultation minutes corrected": _("case consultation minutes corrected"),
    "case consultation minutes versions": _("case consultation minutes versions"),
    "concern unfounded": _("concern unfounded"),
    "covenant document": _("covenant document"),
    "deadline extended": _("deadline extended"),
    "data-subject request: identity": _("data-subject request: identity"),
    "emergency access reviewed": _("emergency access reviewed"),
    "field keys rotated": _("field keys rotated"),
    "follow-up done": _("follow-up done"),
    "handed_over": _("handed over"),
    "informing the person": _("informing the person"),
    "network register": _("network register"),
    "password accepted": _("password accepted"),
    "partner account": _("partner account"),
    "approval": _("approval"),
    "approval requested": _("approval requested"),
    "approved": _("approved"),
    "not approved": _("not approved"),
    "disclosure ledger": _("disclosure ledger"),
    "referral": _("referral"),
    "referral sent": _("referral sent"),
    "referral accepted": _("referral accepted"),
    "referral declined": _("referral declined"),
    "referral withdrawn": _("referral withdrawn"),
    "referral expired": _("referral expired"),
    "referral update": _("referral update"),
    "referral: data passed": _("referral: data passed"),
    "identity provider": _("identity provider"),
    "identity provider accepted": _("identity provider accepted"),
    "identity provider refused sign-in": _("identity provider refused sign-in"),
    "registered through the identity provider": _("registered through the identity provider"),
    "put on the assessment agenda": _("put on the assessment agenda"),
    "review": _("review"),
    "revoked": _("revoked"),
    "support plan": _("support plan"),
    "user administration": _("user administration"),
    "role grants": _("role grants"),
    "role grant confirmed": _("role grant confirmed"),
    "role grant refused": _("role grant refused"),
    "case work": _("case work"),
    "invitation sent": _("invitation sent"),
    "invitation accepted": _("invitation accepted"),
    "sign-in lockout lifted": _("sign-in lockout lifted"),
    "backup codes made": _("backup codes made"),
    "backup code used": _("backup code used"),
    "held after repeated wrong codes": _("held after repeated wrong codes"),
    "case work: identity": _("case work: identity"),
    "approval: read-only case": _("approval: read-only case"),
    "joint assessment": _("joint assessment"),
    "triage and assessment": _("triage and assessment"),
    "probable match for a signal": _("probable match for a signal"),
    "receipt of own signal": _("receipt of own signal"),
    "review planned": _("review planned"),
    "case consultation": _("case consultation"),
    "calendar file (.ics)": _("calendar file (.ics)"),
    "meeting rescheduled": _("meeting rescheduled"),
    "informing and provenance": _("informing and provenance"),
    "support plan history": _("support plan history"),
    "retention expired": _("retention expired"),
    "erasure request": _("erasure request"),
    "backup": _("backup"),
    "restore": _("restore from backup"),
    "re-applied after restore": _("erasure re-applied after a restore"),
    "re-justified": _("re-justified"),
    "monitoring ended": _("monitoring ended"),
    "lapsed: not re-justified": _("lapsed: not re-justified"),
    "lapsed": _("lapsed: not re-justified"),
    "team access ended": _("team access ended"),
    "registrations lapsed": _("registrations lapsed"),
    "identity revealed": _("identity revealed"),
    # The purge's rules (privacy.purge.RULES), the reason of its tombstones.
    "case retention": _("case retention"),
    "signal retention": _("signal retention"),
    "person retention": _("person retention"),
    "anonymous consultation retention": _("anonymous consultation retention"),
    "contact moment retention": _("contact moment retention"),
    "contact person retention": _("contact person retention"),
    "data-subject request retention": _("data-subject request retention"),
    "search": _("search"),
    "merged": _("merged into another registration"),
}
PATTERNS = [
    (re.compile(r"^access request \((?P<x>[^)]+)\)$"), _("access request (%(x)s)")),
    (re.compile(r"^closed: (?P<x>.+)$"), _("closed: %(x)s")),
    (re.compile(r"^request (?P<x>.+)$"), _("request %(x)s")),
    (re.compile(r"^second factor reset: (?P<x>.+)$"), _("second factor reset: %(x)s")),
]
# The field that names a record to a person, per model that has one; otherwise its number.
NAMING_FIELDS = ("reference", "pseudonym", "name", "title", "email")


def reason_label(reason: str) -> str:
    if not reason:
        return ""
    if reason in SYSTEM_REASONS:
        return str(SYSTEM_REASONS[reason])
    for pattern, label in PATTERNS:
        if match := pattern.match(reason):
            inner = match["x"]
            return str(label) % {"x": SYSTEM_REASONS.get(inner, inner)}
    return reason


# Models that moved to another app keep their old label in the events written before the move.
MOVED = {"sharing.approval": "approvals.approval", "sharing.disclosure": "disclosures.disclosure"}


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(MOVED.get(object_type, object_type))
    except (LookupError, ValueError):
        return None


def label_events(events: Iterable[Any]) -> list[Any]:
    """Set ``record_label`` and ``reason_label`` on each event; returns them as a list."""
    events = list(events)
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        field = next((f for f in NAMING_FIELDS if model and f in {x.name for x in model._meta.fields}), None)
        if field is None:
            continue
        numeric = [i for i in ids if i.isdigit()]
        # The base manager: naming a record in the trail is not reading it, and a purged record keeps its number.
        for pk, value in model._base_manager.filter(pk__in=numeric).values_list("pk", field):
            names[(object_type, str(pk))] = str(value)
    for event in events:
        model = _model(event.object_type) if event.object_type else None
        kind = str(model._meta.verbose_name).capitalize() if model else event.object_type
        name = names.get((event.object_type, event.object_id), event.object_id)
        event.record_label = " ".join(part for part in (kind, name) if part) or "—"
        event.reason_label = reason_label(getattr(event, "reason", ""))
    return events
