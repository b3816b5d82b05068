"""Fill a scratch database at national scale through the project's models (bulk inserts; the audit
chain computed with the project's own hash, so it verifies). Used by ``bench/national.py``.

Default scale: 70,000 signals over ten years, 5,000 cases with plans, reviews, teams and case
consultations, 300 organisations, 20,000 contact moments, 2,000,000 audit events. ``scale`` multiplies
every count (``--scale 0.02`` for a quick look, ``--audit-events 10000000`` for the large run)."""

from __future__ import annotations

import datetime
import json
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.cases.models import AgendaItem, Case, CaseConsultation, CaseMembership, PlanVersion, Review
from netwerkregie.core.audit import GENESIS_HASH, event_hash
from netwerkregie.core.models import AuditChainHead, AuditEvent, RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Assessment, AssessmentSession, Signal, SignalStatus
from netwerkregie.network.models import ContactMoment, ContactTopic, Neighbourhood, Organisation, Sector
from netwerkregie.people.identity import blind_indexes
from netwerkregie.people.models import PSEUDONYM_ALPHABET, Person
from netwerkregie.programmes.models import Activity, Budget, Expense

BATCH = 5_000
ALPHABET = PSEUDONYM_ALPHABET


@dataclass
class Scale:
    signals: int = 70_000
    cases: int = 5_000
    organisations: int = 300
    contact_moments: int = 20_000
    audit_events: int = 2_000_000
    years: int = 10

    def times(self, factor: float) -> Scale:
        return Scale(max(200, int(self.signals * factor)), max(20, int(self.cases * factor)),
                     max(30, int(self.organisations * factor)), max(100, int(self.contact_moments * factor)),
                     max(10_000, int(self.audit_events * factor)), self.years)


def _unique(prefix: str, length: int, taken: set[str]) -> str:
    while True:
        value = prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))
        if value not in taken:
            taken.add(value)
            return value


def _batches(items: Iterator, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def users(municipality: Organisation, police: Organisation, school: Organisation) -> dict[str, User]:
    made = {}
    for role, organisation in [(Role.COORDINATOR, municipality), (Role.CORE_PARTNER, police),
                               (Role.CASE_MANAGER, municipality), (Role.PARTNER, school),
                               (Role.PROGRAMME_OFFICER, municipality), (Role.PRIVACY_OFFICER, municipality),
                               (Role.ANALYST, municipality), (Role.ADMIN, municipality)]:
        user = User.objects.create_user(f"{role}@bench.test", secrets.token_urlsafe(16), full_name=role.title(),
                                        organisation=organisation)
        RoleAssignment.objects.create(user=user, role=role)
        TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        made[role] = user
    return made


def fill(scale: Scale, rng: random.Random, say=print) -> dict[str, object]:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * scale.years)
    with transaction.atomic():
        hoods = Neighbourhood.objects.bulk_create(Neighbourhood(name=f"Wijk {n:02d}", code=f"wijk-{n}")
                                                  for n in range(60))
        sectors = list(Sector.values)
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Partner {n:03d}", sector=sectors[n % len(sectors)]) for n in range(scale.organisations))
        municipality = next(o for o in organisations if o.sector == Sector.MUNICIPALITY)
        police = next(o for o in organisations if o.sector == Sector.POLICE)
        school = next(o for o in organisations if o.sector == Sector.SCHOOL)
        people = users(municipality, police, school)
        coordinator, manager = people[Role.COORDINATOR], people[Role.CASE_MANAGER]
    say(f"  {len(organisations)} organisations, {len(hoods)} neighbourhoods, {len(people)} users")

    pseudonyms: set[str] = set()
    persons_wanted = int(scale.signals * 0.8)

    def make_persons() -> Iterator[Person]:
        for n in range(persons_wanted):
            born = today - datetime.timedelta(days=rng.randint(12 * 365, 40 * 365))
            name = f"Persoon{n} Achternaam{n % 997}"
            yield Person(pseudonym=_unique("P-", 5, pseudonyms), name=name, birth_date=born,
                         **blind_indexes(name, born),
                         neighbourhood=rng.choice(hoods), retain_until=today + datetime.timedelta(days=3650))

    persons: list[Person] = []
    for batch in _batches(make_persons()):
        persons.extend(Person.objects.bulk_create(batch))
    say(f"  {len(persons)} persons")

    sessions = AssessmentSession.objects.bulk_create(
        AssessmentSession(held_on=start + datetime.timedelta(days=7 * n), title=f"Weging {n}", created_by=coordinator)
        for n in range(scale.years * 52))
    for session in sessions:
        session.participants.add(coordinator, people[Role.CORE_PARTNER])
    references: set[str] = set()
    decisions = ["closed_no_concern", "advice_given", "referred_to_regular_care", "monitoring", "to_case_conference"]

    def make_signals() -> Iterator[Signal]:
        span = (today - start).days
        for n in range(scale.signals):
            received = timezone.make_aware(datetime.datetime.combine(
                start + datetime.timedelta(days=span * n // scale.signals), datetime.time(10)))
            recent = n > scale.signals - 100
            session = sessions[min(len(sessions) - 1, (received.date() - start).days // 7)]
            yield Signal(
                reference=_unique(f"S-{received.year}-", 6, references), source_organisation=rng.choice(organisations),
                submitted_by=people[Role.PARTNER] if n % 10 == 0 else None, channel="web_form",
                description="Deelt filmpjes die geweld verheerlijken en bedreigt klasgenoten.",
                subject_name=f"Persoon{n}", person=persons[n] if n < len(persons) else None,
                status=SignalStatus.NEW if recent else SignalStatus.DECIDED, received_at=received,
                due_on=received.date() + datetime.timedelta(days=7), triaged_at=None if recent else received,
                assessment_session=None if recent else session,
                retain_until=today + datetime.timedelta(days=3650))

    signals: list[Signal] = []
    for batch in _batches(make_signals()):
        signals.extend(Signal.objects.bulk_create(batch))
    decided = [s for s in signals if s.status == SignalStatus.DECIDED]
    for batch in _batches(Assessment(
            signal=s, session=s.assessment_session, legal_criterion="Convenant art. 6",
            decision=decisions[i % len(decisions)], rationale="Besproken.", decided_by=coordinator,
            decided_at=s.received_at + datetime.timedelta(days=3), retain_until=s.retain_until)
            for i, s in enumerate(decided)):
        Assessment.objects.bulk_create(batch)
    say(f"  {len(signals)} signals, {len(decided)} assessments, {len(sessions)} assessment sessions")

    case_refs: set[str] = set()
    plan = json.dumps({"goals": ["School afmaken."], "protective_factors": "Familie.", "interventions": [
        {"type": "mentor", "goal": 1, "provider": None, "owner": "Mentor", "starts_on": today.isoformat(),
         "ends_on": None, "status": "running", "outcome": "", "consent": "person", "consent_on": today.isoformat(),
         "compulsory": False}]})

    def make_cases() -> Iterator[Case]:
        for n in range(scale.cases):
            opened = start + datetime.timedelta(days=(today - start).days * n // scale.cases)
            running = n > scale.cases * 0.9
            yield Case(reference=_unique(f"C-{opened.year}-", 5, case_refs), person=persons[n * 7 % len(persons)],
                       case_manager=manager if n % 2 else coordinator, ideology="unclear", opened_on=opened,
                       status="open" if running else "closed", closed_on=None if running else opened + datetime.
                       timedelta(days=300), closure_reason="" if running else "goals_achieved",
                       next_review_on=today + datetime.timedelta(days=30), justified_until=today + datetime.timedelta(
                           days=200), created_by=coordinator, retain_until=today + datetime.timedelta(days=1800))

    cases: list[Case] = []
    for batch in _batches(make_cases()):
        cases.extend(Case.objects.bulk_create(batch))
    PlanVersion.objects.bulk_create((PlanVersion(case=c, number=1, content=plan, change_note="Plan", saved_by=manager)
                                     for c in cases), batch_size=BATCH)
    Review.objects.bulk_create((Review(case=c, held_on=c.opened_on + datetime.timedelta(days=90 * k), due_on=c.opened_on
                                       + datetime.timedelta(days=90 * k), still_necessary=True, rationale="Loopt.",
                                       outcome="continue", reviewed_by=manager) for c in cases for k in (1, 2, 3)),
                               batch_size=BATCH)
    CaseMembership.objects.bulk_create((CaseMembership(case=c, user=people[Role.CORE_PARTNER], organisation=police,
                                                       role_in_case="Wijkagent", reason="Kent de wijk",
                                                       added_by=coordinator) for c in cases), batch_size=BATCH)
    consultations = CaseConsultation.objects.bulk_create(
        CaseConsultation(held_on=start + datetime.timedelta(days=21 * n), title=f"Casusoverleg {n}",
                         created_by=coordinator) for n in range(scale.years * 17))
    AgendaItem.objects.bulk_create((AgendaItem(consultation=consultations[n % len(consultations)], case=c)
                                    for n, c in enumerate(cases)), batch_size=BATCH)
    say(f"  {len(cases)} cases with plans, {3 * len(cases)} reviews, teams and {len(consultations)} consultations")

    topics = list(ContactTopic.objects.all())
    moments = ContactMoment.objects.bulk_create((ContactMoment(
        happened_on=start + datetime.timedelta(days=(today - start).days * n // scale.contact_moments), kind="visit",
        topic=topics[n % len(topics)], summary="Korte lijnen.", recorded_by=coordinator,
        retain_until=today + datetime.timedelta(days=730)) for n in range(scale.contact_moments)), batch_size=BATCH)
    through = ContactMoment.organisations.through
    through.objects.bulk_create((through(contactmoment_id=m.pk,
                                         organisation_id=organisations[n % len(organisations)].pk)
                                 for n, m in enumerate(moments)), batch_size=BATCH)
    activities = Activity.objects.bulk_create(Activity(
        type="school_lesson", title=f"Les {n}", starts_on=start + datetime.timedelta(days=4 * n),
        ends_on=start + datetime.timedelta(days=4 * n), participants=25, created_by=people[Role.PROGRAMME_OFFICER])
        for n in range(scale.years * 90))
    budgets = Budget.objects.bulk_create(Budget(year=today.year - k, source="municipal", amount=75_000)
                                         for k in range(scale.years))
    Expense.objects.bulk_create(Expense(spent_on=a.starts_on, budget=budgets[min(len(budgets) - 1, today.year -
                                                                                 a.starts_on.year)], amount=500,
                                        description="Uitvoering", category="facilitator", activity=a,
                                        recorded_by=people[Role.PROGRAMME_OFFICER]) for a in activities)
    say(f"  {len(moments)} contact moments, {len(activities)} activities with expenses")

    audit(scale.audit_events, coordinator, rng, start)
    say(f"  {scale.audit_events} audit events in a valid chain")
    return {"users": people, "signals": signals, "cases": cases, "persons": persons, "sessions": sessions,
            "organisations": organisations}


def audit(count: int, actor: User, rng: random.Random, start: datetime.date) -> None:
    """Append ``count`` view events after the current head, hashed exactly as ``log_event`` does."""
    head = AuditChainHead.objects.get(pk=1)
    sequence, previous = head.sequence, head.hash or GENESIS_HASH
    first = timezone.make_aware(datetime.datetime.combine(start, datetime.time(8)))
    step = (timezone.now() - first) / max(count, 1)
    batch: list[AuditEvent] = []
    for n in range(count):
        sequence += 1
        event = AuditEvent(sequence=sequence, occurred_at=first + step * n, actor=actor, actor_label=actor.email,
                           action="view", object_type="intake.signal", object_id=str(rng.randint(1, 70_000)),
                           reason="triage and assessment", detail={}, prev_hash=previous)
        event.hash = previous = event_hash(event)
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    AuditEvent.objects.bulk_create(batch)
    AuditChainHead.objects.filter(pk=1).update(sequence=sequence, hash=previous)
