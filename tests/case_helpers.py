"""Building blocks for case tests, made through the service functions."""

import datetime

from django.utils import timezone

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import services
from netwerkregie.cases.models import Case, InterventionType
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.services import decide
from netwerkregie.network.models import Organisation
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.network_helpers import covenant


def case_work_covenant(parties: list[Organisation], by: User, **kwargs: object) -> None:
    covenant(parties, by, purposes=("signals", "case_work"), **kwargs)


def decided_case(users: dict[str, User], name: str = "Jesse de Boer", **signal_fields: object) -> Case:
    """A signal assessed 'to the case consultation' and a case opened from it, managed by the case manager."""
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name, **signal_fields)
    session = session_with(coordinator, title=f"Weging {signal.reference}")
    on_agenda(signal, session, coordinator, name=name)
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="to_case_conference", rationale="Zorgen op meerdere leefgebieden.", actor=coordinator)
    return services.open_case(person=signal.person, case_manager=users[Role.CASE_MANAGER], actor=coordinator,
                              signals=[signal], ideology="right_wing")


def intervention(code: str, goal: int = 1, consent: str = "parent", **fields: object) -> services.InterventionInput:
    today = timezone.localdate()
    kind = InterventionType.objects.get(code=code)
    return services.InterventionInput(
        type=kind, goal=goal, provider=fields.pop("provider", None), owner=fields.pop("owner", "Mentor"),
        starts_on=fields.pop("starts_on", today), ends_on=fields.pop("ends_on", today + datetime.timedelta(days=90)),
        status=fields.pop("status", "running"), outcome="", consent="" if kind.compulsory else consent,
        consent_on=None if kind.compulsory else today,
        consent_name="" if kind.compulsory or consent == "person" else str(fields.pop("consent_name", "Fatma Demir")))


def second_coordinator(organisation: Organisation | None = None) -> User:
    """Another coordinator, who approves what the first one (or a case manager) asks for."""
    from tests.conftest import make_user

    existing = User.objects.filter(email="cora@example.nl").first()
    return existing or make_user("cora", Role.COORDINATOR, organisation=organisation)


def approve_pending(case: Case, approver: User | None = None) -> None:
    """A second coordinator approves whatever of this case waits for approval."""
    approver = approver or second_coordinator(case.case_manager.organisation)
    for approval in case.approvals.filter(status=ApprovalStatus.PENDING):
        approvals.decide(approval, actor=approver, approve=True, note="Akkoord.")


def close_approved(case: Case, *, actor: User, reason: str = "goals_achieved", handover_note: str = "Overgedragen.",
                   approver: User | None = None, **kwargs: object) -> Case:
    """Close as people do where closures need approval: asked by ``actor``, approved by a second coordinator."""
    return case_closure.close_with_approval(case, reason=reason, handover_note=handover_note, actor=actor,  # type: ignore[arg-type]
                                       approver=approver or second_coordinator(case.case_manager.organisation),
                                       **kwargs)
