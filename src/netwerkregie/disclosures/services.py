"""Writing the disclosure ledger: an entry is written by the service of the act by which the data left the
municipality's own team, in the same transaction, audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.dates import short_date
from netwerkregie.core.models import AuditAction, User
from netwerkregie.disclosures.models import Disclosure, DisclosureKind, SharedData
from netwerkregie.network.models import Covenant, Organisation, Sector

# What a team member of another organisation can see of the case they are on.
TEAM_DATA = [SharedData.IDENTITY, SharedData.CONTEXT, SharedData.SIGNALS, SharedData.PLAN, SharedData.REVIEWS,
             SharedData.MINUTES]
# An access export gives the person everything held about them.
EXPORT_DATA = [code for code in SharedData.values]


def is_own_team(organisation: Organisation | None) -> bool:
    """The municipality's own team: its organisation(s) in the network register (sector municipality)."""
    return organisation is None or organisation.sector == Sector.MUNICIPALITY


def case_work_covenants(organisation: Organisation, day: datetime.date) -> Any:
    return Covenant.objects.valid_on(day).for_purpose("case_work").filter(parties=organisation)


def covenant_basis(covenant: Covenant) -> str:
    """A covenant as a legal basis in the ledger: its title (which names it a covenant)."""
    return covenant.title


def record_disclosure(*, person: Any, kind: str, categories: list[str], basis: str, actor: User | None,
                      organisation: Organisation | None = None, recipient: User | None = None,
                      recipient_label: str = "", case: Any = None, signal: Any = None, referral: Any = None,
                      covenant: Covenant | None = None) -> Disclosure:
    """One ledger entry, audited; call inside the transaction of the act that disclosed."""
    entry = Disclosure.objects.create(
        person=person, case=case, signal=signal, referral=referral, kind=kind, organisation=organisation,
        recipient=recipient, recipient_label=recipient_label[:200], categories=list(categories), basis=basis[:300],
        covenant=covenant, disclosed_by=actor)
    log_event(AuditAction.CREATE, actor=actor, obj=entry, reason="disclosure ledger",
              detail={"kind": kind, "organisation": organisation.pk if organisation else None,
                      "categories": list(categories), "case": case.reference if case else None})
    return entry


def record_minutes_disclosure(cases: list[Any], *, reader: User, actor: User) -> list[Disclosure]:
    """Minutes printed for (or by) an attendee of another organisation: one entry per case in them."""
    if is_own_team(reader.organisation):
        return []
    covenant = case_work_covenants(reader.organisation, timezone.localdate()).first()  # type: ignore[arg-type]
    basis = covenant_basis(covenant) if covenant else _("Attendee of the case consultation")
    return [record_disclosure(person=case.person, kind=DisclosureKind.MINUTES, case=case,
                              categories=[SharedData.MINUTES], organisation=reader.organisation, recipient=reader,
                              basis=basis, covenant=covenant, actor=actor) for case in cases]


def record_access_export(subject_request: Any, *, fmt: str, actor: User) -> Disclosure:
    """An access export handed to the data subject (GDPR art. 15) is a disclosure too."""
    return record_disclosure(
        person=subject_request.person, kind=DisclosureKind.ACCESS_EXPORT, categories=EXPORT_DATA, actor=actor,
        basis=_("GDPR art. 15, right of access (request of %(date)s)")
        % {"date": short_date(subject_request.received_on)},
        recipient_label=_("the data subject (%(format)s)") % {"format": fmt.upper()})


def ledger_for_person(person: Any) -> Any:
    return (Disclosure.objects.filter(person=person).select_related("organisation", "recipient", "disclosed_by",
                                                                    "case").order_by("disclosed_at", "pk"))
