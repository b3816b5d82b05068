"""Demo cases in every stage: one from an assessed signal with a team, a versioned plan, a review
and a case consultation with minutes and actions; one opened directly and waiting for its plan;
one closed with a warm handover."""

import datetime

from django.utils import timezone

from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.approvals.services import decide
from netwerkregie.cases import closure, consultations, emergency, minutes, services
from netwerkregie.cases.models import Case, InterventionType
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Signal
from netwerkregie.network.models import Organisation
from netwerkregie.people.services import PersonInput, create_person


def _intervention(code: str, goal: int, start: datetime.date, provider: str, owner: str, status: str = "running",
                  consent: str = "parent") -> services.InterventionInput:
    kind = InterventionType.objects.get(code=code)
    return services.InterventionInput(
        type=kind, goal=goal, provider=Organisation.objects.get(name=provider), owner=owner, starts_on=start,
        ends_on=start + datetime.timedelta(days=180), status=status, outcome="",
        consent="" if kind.compulsory else consent, consent_on=None if kind.compulsory else start,
        consent_name="Petra de Boer" if consent in ("parent", "guardian") and not kind.compulsory else "")


def load_cases(users: dict[str, User]) -> int:
    if Case.objects.exists():
        return 0
    coordinator, manager, officer = users[Role.COORDINATOR], users[Role.CASE_MANAGER], users[Role.CORE_PARTNER]
    today = timezone.localdate()
    signal = Signal.objects.filter(assessment__decision="to_case_conference").first()
    if signal is None:
        return 0
    active = services.open_case(person=signal.person, case_manager=manager, actor=coordinator, signals=[signal],
                                ideology="right_wing")
    services.add_member(active, user=officer, role_in_case="Wijkagent", reason="Kent de jongere en de wijk",
                        actor=manager)
    goals = ["Jordy maakt zijn opleiding af en loopt stage.", "Jordy heeft een vaste mentor en een sportclub.",
             "Het gezin krijgt steun bij opvoeding en grenzen."]
    start = today - datetime.timedelta(days=20)
    services.save_plan(active, goals=goals[:2], protective_factors="Betrokken opa; plezier in voetbal.",
                       interventions=[_intervention("mentor", 2, start, "Jongerenwerk Lindeveen", "Dewi Hartman"),
                                      _intervention("area_ban", 1, start, "Gemeente Lindeveen", "Burgemeester")],
                       base_version=0, change_note="Eerste plan uit het casusoverleg", actor=manager)
    # The area ban is a compulsory measure: a second person (the coordinator) approved the first plan.
    for approval in active.approvals.filter(status=ApprovalStatus.PENDING):
        decide(approval, actor=coordinator, approve=True, note="Besproken in het casusoverleg; proportioneel.")
    services.save_plan(active, goals=goals, protective_factors="Betrokken opa; plezier in voetbal.",
                       interventions=[
                           _intervention("mentor", 2, start, "Jongerenwerk Lindeveen", "Dewi Hartman"),
                           _intervention("parent_support", 3, today, "Welzijn Lindeveen", "Bas Verhoeven"),
                           _intervention("area_ban", 1, start, "Gemeente Lindeveen", "Burgemeester"),
                       ], base_version=1, change_note="Opvoedondersteuning toegevoegd", actor=manager)
    services.record_informed(active, informed_on=today - datetime.timedelta(days=15), delay_reason="", actor=manager)
    services.add_contribution(active, organisation=Organisation.objects.get(name="Politie basisteam Lindeveen"),
                              category="police", reason="Meldingen van bedreiging, nodig voor de weging.",
                              actor=manager)
    closure.add_review(active, held_on=today - datetime.timedelta(days=2), still_necessary=True,
                        rationale="Dreiging afgenomen, school en mentor lopen; plan voortzetten.", outcome="continue",
                        next_review_on=today + datetime.timedelta(days=59), actor=manager)

    direct = services.open_case(
        person=create_person(PersonInput(name="Milan Kramer", birth_date=datetime.date(2003, 7, 12)),
                             actor=coordinator, retain_until=today),
        case_manager=manager, actor=manager, ideology="unclear",
        reason="Verzoek van de politie na een uitreispoging; geen eerder signaal in het netwerk.")
    # Demo only, dates moved: the review is overdue, and the case must be re-justified this week.
    Case.objects.filter(pk=direct.pk).update(next_review_on=today - datetime.timedelta(days=4),
                                             justified_until=today + datetime.timedelta(days=4))

    closed = services.open_case(
        person=create_person(PersonInput(name="Lars Peeters", birth_date=datetime.date(2001, 1, 5)),
                             actor=coordinator, retain_until=today),
        case_manager=manager, actor=coordinator, ideology="anti_institutional",
        reason="Overgedragen door een andere gemeente na verhuizing.")
    closure.close_with_approval(closed, reason="handed_over", actor=manager, approver=coordinator,
                        handover_note="Overgedragen aan het wijkteam; kennismakingsgesprek samen gevoerd.")

    # The coordinator did not open the direct case: they used emergency access, which awaits review.
    emergency.break_glass(direct, user=coordinator,
                         reason="Politie meldt een acute uitreispoging; casusregisseur is vandaag afwezig.")
    consultation = consultations.plan_consultation(title="Casusoverleg", held_on=today - datetime.timedelta(days=1),
                                              attendees=[manager, officer], cases=[active, direct], actor=coordinator)
    item = consultation.items.get(case=active)
    consultations.save_minutes(item, minutes="Jordy gaat weer naar school; opa is een steun. Mentor loopt goed.",
                          decisions="Opvoedondersteuning inzetten; gebiedsverbod blijft drie maanden.",
                          actor=coordinator)
    minutes.establish(item, actor=coordinator)
    minutes.correct(item, minutes="Jordy gaat weer naar school; opa is een steun. Mentor loopt goed.",
                    decisions="Opvoedondersteuning inzetten; gebiedsverbod blijft drie maanden, daarna evaluatie "
                              "met de politie.",
                    reason="De afspraak over de evaluatie van het gebiedsverbod ontbrak.", base_version=1,
                    actor=coordinator)
    consultations.add_action(item, description="Intake opvoedondersteuning plannen", owner=manager,
                        due_on=today + datetime.timedelta(days=5), actor=coordinator)
    consultations.add_action(item, description="Terugkoppeling aan school", owner=officer,
                        due_on=today - datetime.timedelta(days=1), actor=coordinator)
    consultations.plan_consultation(title="Casusoverleg", held_on=today + datetime.timedelta(days=20),
                                    starts_at=datetime.time(10, 0), ends_at=datetime.time(12, 0),
                                    location="Zorg- en Veiligheidshuis, zaal De Linde",
                                    attendees=[manager, officer], cases=[active, direct], actor=coordinator)
    return 3


def mark_cases_seen(users: dict[str, User]) -> None:
    """The demo's case managers have opened their cases, all but the newest one of the case manager: that one
    shows how a case given to her looks until she opens it ("nieuw", first on her lists)."""
    manager = users[Role.CASE_MANAGER]
    newest = Case.objects.filter(case_manager=manager, status="open").order_by("-opened_on", "-pk").first()
    waiting = Case.objects.filter(case_manager_opened_at__isnull=True)
    if newest is not None and newest.case_manager_opened_at is None:
        waiting = waiting.exclude(pk=newest.pk)
    waiting.update(case_manager_opened_at=timezone.now())
