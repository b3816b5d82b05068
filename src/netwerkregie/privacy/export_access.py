"""The access export (GDPR art. 15) as the person reads it: everything held about them, who received
it and who looked at it. Items about someone else, or under a legal exemption, are listed as withheld
with the reason, never shown. Staff appear by role and organisation (``export_labels``), choices by
their label, times in local time; repeated looks are grouped (who, what, first and last time, how
often). Dates and times stay Python values: the JSON writes ISO 8601 with the offset, the PDF Dutch
dates."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from netwerkregie.cases.models import Case, DataCategory, PlanVersion
from netwerkregie.cases.services import plan_for_display
from netwerkregie.core.models import AuditEvent
from netwerkregie.disclosures.services import ledger_for_person
from netwerkregie.intake.models import Signal
from netwerkregie.people.models import Person
from netwerkregie.privacy.export_labels import local, staff_label, why_label

WITHHELD_CATEGORIES = {DataCategory.POLICE: _("police data (Police Data Act, art. 27: ask the police)"),
                       DataCategory.JUSTICE: _("judicial data (Judicial Data Act: ask the Public Prosecution Service)")}


def _rejustified(justifications: Any) -> list[dict[str, Any]]:
    return [{"when": j.justified_at, "by": staff_label(j.justified_by), "why": j.reason}
            for j in justifications.select_related("justified_by__organisation").prefetch_related(
                "justified_by__role_assignments")]


def _signal(signal: Signal) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "reference": signal.reference, "received_at": signal.received_at, "from": signal.source_organisation.name,
        "channel": signal.get_channel_display(), "observations": [str(o) for o in signal.observations.all()],
        "description": signal.description, "context": signal.context, "status": signal.get_status_display(),
        "retain_until": signal.retain_until,
        # Who had the identity shown in a pseudonymous assessment, and why (art. 15: recipients).
        "identity_revealed_to": [{"who": staff_label(r.user), "when": r.revealed_at, "why": r.reason}
                                 for r in signal.reveals.select_related("user__organisation")],
        # What each partner contributed to the joint assessment, in its words, and its view per criterion.
        "contributions": [{"by": staff_label(c.author), "when": c.updated_at, "knowledge": c.knowledge,
                           "views": [{"criterion": str(v.criterion), "view": v.get_view_display()}
                                     for v in c.views.select_related("criterion")]}
                          for c in signal.contributions.select_related("author__organisation")
                          .prefetch_related("author__role_assignments")],
        "monitoring": {"justified_until": signal.justified_until, "ended_on": signal.monitoring_ended_on,
                       "lapsed": signal.monitoring_lapsed, "rejustified": _rejustified(signal.justifications)}
        if signal.justified_until or signal.monitoring_ended_on else None}
    assessment = getattr(signal, "assessment", None)
    if assessment is not None:
        entry["assessment"] = {
            "decision": assessment.get_decision_display(), "rationale": assessment.rationale,
            "legal_criterion": assessment.legal_criterion, "decided_at": assessment.decided_at,
            "assessed_by_one_party": assessment.assessed_by_one_party,
            "findings": [{"criterion": str(f.criterion), "finding": f.get_value_display(),
                          "justification": f.justification} for f in assessment.findings.all()]}
    return entry


def _plan_version(version: PlanVersion) -> dict[str, Any]:
    """A plan version with every code replaced by what it means: the intervention's name, the goal's
    text, the provider's name, the status and who gave consent."""
    plan = plan_for_display(version) or {"goals": [], "interventions": []}
    interventions = [{
        "intervention": str(item["type_obj"] or item["type"]), "goal": item["goal_text"],
        "provider": item["provider_obj"].name if item["provider_obj"] else "", "owner": item.get("owner", ""),
        "starts_on": item["starts_on_date"], "ends_on": item["ends_on_date"], "status": str(item["status_label"]),
        "outcome": item.get("outcome", ""),
        "basis": _("compulsory measure") if item.get("compulsory") else _("voluntary, with consent of: %(who)s")
        % {"who": str(item["consent_label"]).lower() if item.get("consent") else "—"},
        "consent_on": item["consent_on_date"]} for item in plan["interventions"]]
    return {"number": version.number, "saved_at": version.saved_at, "change": version.change_note,
            "goals": plan["goals"], "protective_factors": plan.get("protective_factors", ""),
            "interventions": interventions}


def _consultation(item: Any) -> dict[str, Any]:
    return {"date": item.consultation.held_on, "minutes": item.minutes, "decisions": item.decisions,
            "actions": [a.description for a in item.actions.all()],
            "minutes_versions": [{"number": v.number, "at": v.created_at, "by": staff_label(v.author),
                                  "reason": v.reason, "minutes": v.minutes, "decisions": v.decisions}
                                 for v in item.versions]}


def _case(case: Case, withheld: list[dict[str, str]]) -> dict[str, Any]:
    contributions = []
    for contribution in case.contributions.select_related("organisation"):
        if contribution.category in WITHHELD_CATEGORIES:
            withheld.append({"record": _("Case %(reference)s: %(organisation)s") % {
                "reference": case.reference, "organisation": contribution.organisation},
                "reason": str(WITHHELD_CATEGORIES[DataCategory(contribution.category)])})
        else:
            contributions.append({"organisation": contribution.organisation.name,
                                  "category": contribution.get_category_display(), "reason": contribution.reason})
    members = case.memberships.filter(removed_at__isnull=True).select_related("organisation")
    return {
        "reference": case.reference, "status": case.get_status_display(), "opened_on": case.opened_on,
        "closed_on": case.closed_on, "case_manager": staff_label(case.case_manager),
        "team": [f"{m.role_in_case}, {m.organisation}" for m in members],
        "person_informed_on": case.person_informed_on,
        "plan_versions": [_plan_version(v) for v in case.plan_versions.all()],
        "reviews": [{"date": r.held_on, "still_necessary": r.still_necessary, "outcome": r.get_outcome_display(),
                     "rationale": r.rationale} for r in case.reviews.all()],
        "consultations": [_consultation(i) for i in case.agenda_items.select_related("consultation")
                          .prefetch_related("minutes_versions__author")],
        "data_contributed": contributions, "retain_until": case.retain_until,
        "justified_until": case.justified_until, "rejustified": _rejustified(case.justifications),
    }


def _records(person: Person, signals: list[Signal], cases: list[Case]) -> dict[tuple[str, str], str]:
    """Every record whose audit events belong in 'who viewed or changed', with the name the person reads:
    the person, their signals and cases, and the approvals and referrals about them (a second
    coordinator reading a four-eyes approval reads the case's handover text)."""
    records = {("people.person", str(person.pk)): _("Your personal data")}
    for signal in signals:
        records[("intake.signal", str(signal.pk))] = _("Signal %(reference)s") % {"reference": signal.reference}
        for contribution in signal.contributions.all():
            records[("intake.contribution", str(contribution.pk))] = _(
                "Signal %(reference)s, a partner's contribution") % {"reference": signal.reference}
    for case in cases:
        records[("cases.case", str(case.pk))] = _("Case %(reference)s") % {"reference": case.reference}
        for approval in case.approvals.all():
            records[(approval._meta.label_lower, str(approval.pk))] = _("Case %(reference)s, approval: %(act)s") % {
                "reference": case.reference, "act": approval.get_act_display().lower()}
    for referral in person.referrals.all():
        records[(referral._meta.label_lower, str(referral.pk))] = _("Referral %(reference)s") % {
            "reference": referral.reference}
        for approval in referral.approvals.all():
            records[(approval._meta.label_lower, str(approval.pk))] = _("Referral %(reference)s, approval") % {
                "reference": referral.reference}
    return records


def access_log(person: Person, signals: list[Signal], cases: list[Case]) -> list[dict[str, Any]]:
    """Who viewed or changed what, grouped: one line per person-in-a-role, act, record and purpose, with the
    first and the last time and how often, in the order of the first time."""
    records = _records(person, signals, cases)
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in records:
        by_type.setdefault(object_type, []).append(object_id)
    about = Q(pk__in=[])
    for object_type, ids in by_type.items():
        about |= Q(object_type=object_type, object_id__in=ids)
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    labels: dict[int | None, str] = {}
    for event in AuditEvent.objects.filter(about).select_related("actor__organisation").prefetch_related(
            "actor__role_assignments").order_by("sequence"):
        if event.actor_id not in labels:
            labels[event.actor_id] = staff_label(event.actor)
        key = (labels[event.actor_id], event.action, event.object_type, event.object_id, event.reason)
        when: datetime.datetime = event.occurred_at
        group = groups.setdefault(key, {
            "who": labels[event.actor_id], "action": event.get_action_display(),
            "record": str(records[(event.object_type, event.object_id)]), "why": why_label(event.reason),
            "first": when, "last": when, "times": 0})
        group["last"], group["times"] = when, group["times"] + 1
    return list(groups.values())


def access_export(person: Person) -> dict[str, Any]:
    """Everything held about ``person``, who received it and who looked at it (see the module's text)."""
    withheld: list[dict[str, str]] = []
    signals = list(Signal.objects.filter(person=person).select_related("source_organisation")
                   .prefetch_related("observations"))
    cases = list(Case.objects.filter(person=person).select_related("case_manager__organisation")
                 .prefetch_related("case_manager__role_assignments"))
    for related in Case.objects.filter(related_persons=person).exclude(person=person):
        withheld.append({"record": _("Case %(reference)s") % {"reference": related.reference},
                         "reason": _("The case is about another person; you are mentioned as a related person.")})
    data: dict[str, Any] = {
        "person": {"pseudonym": person.pseudonym, "name": person.name, "date_of_birth": person.birth_date,
                   "bsn": person.bsn, "neighbourhood": str(person.neighbourhood or ""),
                   "school_or_organisation": person.school_or_organisation, "retain_until": person.retain_until},
        "signals": [_signal(s) for s in signals], "cases": [_case(c, withheld) for c in cases],
        "withheld": withheld,
    }
    # Who received the data (art. 15(1)(c)): the disclosure ledger, and every referral with its outcome.
    data["received_by"] = [
        {"when": entry.disclosed_at, "what": entry.get_kind_display(),
         "recipient": staff_label(entry.recipient) if entry.recipient else entry.recipient_text or "—",
         "data": entry.category_labels(), "basis": entry.basis, "record": entry.case.reference if entry.case else ""}
        for entry in ledger_for_person(person)]
    data["referrals"] = [
        {"reference": r.reference, "to": r.organisation.name, "kind": r.get_kind_display(), "purpose": r.purpose,
         "data": r.category_labels(), "basis": str(r.covenant) if r.covenant else r.get_basis_display(),
         "status": r.get_status_display(), "sent_at": r.sent_at, "answered_at": r.answered_at}
        for r in person.referrals.select_related("organisation", "covenant").order_by("created_at")]
    data["access_log"] = access_log(person, signals, cases)
    localised: dict[str, Any] = local(data)
    return localised
