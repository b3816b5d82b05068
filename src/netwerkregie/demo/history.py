"""Three years and this year of history for the demo municipality, at the size of a middle-sized one
(about 55 signals and 12-16 cases a year), so the reports show real-looking figures.

Every step goes through the same services as real work, each on its own day: the clock is set to
that moment (time-machine, demo only), so due dates, retention dates, review dates and the audit log
are what they would have been. At the end the purge runs as it would have every night since: old
signals and cases are deleted and leave only their statistical remnants, as in a real installation."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import time_machine
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from netwerkregie.approvals import services as approvals
from netwerkregie.approvals.models import ApprovalStatus
from netwerkregie.cases import services as cases
from netwerkregie.cases.closure import add_review, close_with_approval
from netwerkregie.cases.justification import lapse_cases
from netwerkregie.cases.models import InterventionType
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.demo.sharing import RECEIVING_ONLY
from netwerkregie.intake import services as intake
from netwerkregie.intake.justification import lapse_monitoring, rejustify_monitoring
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal
from netwerkregie.intake.pseudonymity import reveal_identity
from netwerkregie.network import services as network
from netwerkregie.network.models import ContactTopic, Neighbourhood, Organisation, Sector
from netwerkregie.people.services import PersonInput
from netwerkregie.privacy.models import StatisticalRemnant
from netwerkregie.privacy.purge import purge
from netwerkregie.programmes import services as programmes
from netwerkregie.programmes.models import Activity, ActivityType

YEARS_BACK = 3
KEY = "history-"
FIRST_NAMES = ["Noah", "Emma", "Luuk", "Julia", "Finn", "Sara", "Milan", "Tess", "Bram", "Nina", "Jesse", "Fleur",
               "Thijs", "Roos", "Stijn", "Lotte", "Gijs", "Iris", "Niels", "Sanne", "Owen", "Mila", "Joep", "Yara"]
LAST_NAMES = ["de Jong", "Janssen", "van den Berg", "Bakker", "Visser", "Smits", "Meijer", "de Boer", "Mulder",
              "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "van der Linden"]
WHAT = [
    "Leerling deelt in de groepsapp filmpjes waarin geweld tegen andersdenkenden wordt verheerlijkt.",
    "Jongere zegt tegen de jongerenwerker dat 'het systeem' met geweld omver moet.",
    "Trainer ziet dat een speler tegenstanders uitscheldt en bedreigt na een wedstrijd.",
    "Buurtbewoner maakt zich zorgen: de buurjongen praat over een reis naar een conflictgebied.",
    "Docent hoort een leerling spreken over 'verraders' die gestraft moeten worden.",
    "Jongerenwerker merkt dat een jongere zich terugtrekt en nieuwe vrienden heeft die geweld aanmoedigen.",
    "Leerling verspreidt extremistische symbolen en teksten op school.",
    "Ouder meldt dat haar kind online materiaal over wapens zoekt en dreigende berichten stuurt.",
]
OBSERVATIONS = ["justifies_violence", "shares_extremist_material", "us_versus_them", "rejects_democratic_order",
                "new_radical_contacts", "threatens", "travel_plans", "weapons_interest", "sudden_change",
                "withdraws_from_contacts"]
SENDERS = [(Sector.SCHOOL, 9), (Sector.YOUTH_WORK, 5), (Sector.SOCIAL_WORK, 3), (Sector.POLICE, 4),
           (Sector.CARE, 2), (Sector.COMMUNITY_CENTRE, 2), (Sector.CLUB, 1), (Sector.MUNICIPALITY, 3),
           (Sector.HOUSING, 1), (Sector.RELIGIOUS_ORGANISATION, 1)]
CHANNELS = [("web_form", 6), ("phone", 3), ("email", 2), ("in_person", 1), ("api", 1)]
DECISIONS = [("closed_no_concern", 2), ("advice_given", 3), ("referred_to_regular_care", 4), ("monitoring", 3),
             ("to_case_conference", 6)]
IDEOLOGIES = [("jihadist", 4), ("right_wing", 5), ("left_wing", 1), ("anti_institutional", 3), ("other", 1),
              ("unclear", 2)]
CLOSURES = [("goals_achieved", 4), ("risk_reduced", 4), ("handed_over", 3), ("moved", 1), ("detention", 1),
            ("no_cooperation", 1)]
SUPPORT = ["mentor", "school_return", "internship", "family_talks", "parent_support", "exit_programme",
           "ideological_dialogue", "care_youth", "job_coaching", "debt_support"]
RATIONALE = "Besproken met de kernpartners aan de hand van de criteria; onderbouwing per criterium vastgelegd."


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


@contextmanager
def on(day: datetime.date, hour: int = 10) -> Iterator[None]:
    """Everything inside happens at ``hour`` o'clock on ``day``, local time."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with time_machine.travel(moment, tick=False):
        yield


def load_history(users: dict[str, User], *, seed: int = 2026) -> int:
    """Returns the number of signals made; 0 when the history was loaded before."""
    if StatisticalRemnant.objects.exists() or Signal.objects.filter(idempotency_key__startswith=KEY).exists():
        return 0
    # The mails this history causes (on commit) were sent back then: not again now.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        return _load(users, random.Random(seed), timezone.localdate())


def _network() -> Any:
    """The organisations that signal, provide support and take part in prevention: not the two that only
    receive referrals (``demo.sharing``), so the history stays the same draw for draw."""
    return Organisation.objects.exclude(name__in=RECEIVING_ONLY)


def _load(users: dict[str, User], rng: random.Random, today: datetime.date) -> int:
    made, nights = 0, [datetime.date(today.year - YEARS_BACK, 1, 1)]
    for year in range(today.year - YEARS_BACK, today.year + 1):
        last = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=21))
        days = sorted(datetime.date(year, 1, 2) + datetime.timedelta(days=rng.randrange(
            (last - datetime.date(year, 1, 2)).days)) for _ in range(rng.randint(50, 70)))
        for number, day in enumerate(days, start=1):
            _nights_until(day, nights)
            _one_signal(rng, users, f"{KEY}{year}-{number:03d}", day, today)
            made += 1
        _prevention_year(rng, users, year, last)
    _nights_until(today, nights)
    with on(today, hour=2):
        purge(today)  # as the nightly job would have, every night
    return made


def _nights_until(day: datetime.date, nights: list[datetime.date]) -> None:
    """The nightly lapse of what nobody re-justified, on every night from the last one up to ``day``.
    (Without the mails: those were sent back then.)"""
    night = nights[-1]
    while night < day:
        night += datetime.timedelta(days=1)
        with on(night, hour=2):
            lapse_monitoring(night)
            lapse_cases(night)
    nights.append(night)


def _one_signal(rng: random.Random, users: dict[str, User], key: str, day: datetime.date,
                today: datetime.date) -> None:
    coordinator, officer = users[Role.COORDINATOR], users[Role.CORE_PARTNER]
    sector = _pick(rng, [(s.value, w) for s, w in SENDERS])
    sender = rng.choice(list(_network().filter(sector=sector)))
    born = day - datetime.timedelta(days=rng.randint(12 * 365, 32 * 365))
    hood = rng.choice(list(Neighbourhood.objects.all()))
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    codes = rng.sample(OBSERVATIONS, rng.randint(1, 3))
    with on(day, hour=rng.randint(8, 17)):
        signal = intake.submit_signal(intake.SignalInput(
            description=rng.choice(WHAT), subject_name=name, subject_birth_date=born, observation_codes=codes,
            subject_neighbourhood_id=hood.pk, acute_danger=rng.random() < 0.04,
        ), organisation=sender, channel=_pick(rng, CHANNELS), actor_label="load_demo", idempotency_key=key).signal
    triage_day = day + datetime.timedelta(days=rng.choice([1, 1, 2, 2, 3, 4, 5, 6, 8, 11]))
    if triage_day >= today:
        return
    if rng.random() < 0.15:  # closed by the coordinator alone at triage
        with on(triage_day):
            intake.pre_assess(signal, decision=rng.choice(["closed_no_concern", "advice_given"]),
                              legal_criterion="Convenant Zorg- en Veiligheidshuis Lindeveen, art. 6",
                              rationale="Bij nader inzien geen zorg over radicalisering; advies aan de melder.",
                              actor=coordinator)
        return
    held_on = triage_day + datetime.timedelta(days=(3 - triage_day.weekday()) % 7)  # the Thursday session
    if held_on >= today:
        return
    with on(triage_day):
        intake.link_person(signal, actor=coordinator, new_person=PersonInput(
            name=name, birth_date=born, neighbourhood_id=hood.pk))
        session = AssessmentSession.objects.filter(held_on=held_on, title="Wegingsoverleg").first() or \
            intake.create_session(title="Wegingsoverleg", held_on=held_on, participants=[coordinator, officer],
                                  actor=coordinator)
        intake.put_on_agenda(signal, session, actor=coordinator)
    decision = _pick(rng, DECISIONS)
    with on(held_on, hour=14):
        if rng.random() < 0.2:  # the police participant needed to know who it is
            reveal_identity(signal, session=session, actor=officer,
                            reason="Nodig om in de politiesystemen eerdere meldingen te controleren.")
        intake.decide(signal, session=session, actor=coordinator, decision=decision, rationale=RATIONALE,
                      legal_criterion="Convenant Zorg- en Veiligheidshuis Lindeveen, art. 6",
                      findings=[intake.FindingInput(c, rng.choice(["present", "absent", "unknown"]),
                                                    "Zie de besproken observaties en de informatie van de partners.")
                                for c in AssessmentCriterion.objects.filter(is_active=True)])
    if decision == "to_case_conference":
        _one_case(rng, users, signal, held_on + datetime.timedelta(days=rng.randint(5, 14)), today)
    elif decision == "monitoring" and rng.random() < 0.5:  # half is still needed after the first period
        signal.refresh_from_db()
        again = signal.justified_until - datetime.timedelta(days=rng.randint(2, 10))
        if again < today:
            with on(again):
                rejustify_monitoring(signal, actor=coordinator, reason=(
                    "School en jongerenwerk zien nog zorgelijk gedrag; nog drie maanden volgen en dan opnieuw bezien."))


def _one_case(rng: random.Random, users: dict[str, User], signal: Signal, day: datetime.date,
              today: datetime.date) -> None:
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    if day >= today:
        return
    with on(day):
        case = cases.open_case(person=signal.person, case_manager=manager, actor=coordinator, signals=[signal],
                               ideology=_pick(rng, IDEOLOGIES))
        kinds = [InterventionType.objects.get(code=code) for code in rng.sample(SUPPORT, rng.randint(1, 3))]
        if rng.random() < 0.2:
            kinds.append(InterventionType.objects.get(code=rng.choice(["area_ban", "criminal_investigation"])))
        minor = case.person.is_minor
        providers = list(_network().filter(sector__in=[Sector.YOUTH_WORK, Sector.SOCIAL_WORK,
                                                                 Sector.CARE, Sector.MUNICIPALITY]))
        ends = day + datetime.timedelta(days=rng.randint(120, 420))
        plan = [cases.InterventionInput(
            type=kind, goal=1, provider=rng.choice(providers), owner="Uitvoerder", starts_on=day, ends_on=ends,
            status="completed" if ends < today and rng.random() < 0.75 else "stopped" if ends < today else "running",
            consent="" if kind.compulsory else ("parent" if minor else "person"),
            consent_on=None if kind.compulsory else day,
            consent_name="" if kind.compulsory or not minor else "Ouder of voogd") for kind in kinds]
        cases.save_plan(case, goals=["Een stabiele dagbesteding en een netwerk dat steunt."],
                        protective_factors="Betrokken familie.", interventions=plan, base_version=0,
                        change_note="Plan uit het casusoverleg", actor=manager)
        for approval in case.approvals.filter(status=ApprovalStatus.PENDING):  # a compulsory measure
            approvals.decide(approval, actor=coordinator, approve=True, note="Besproken in het casusoverleg.")
    closes = day + datetime.timedelta(days=rng.randint(150, 560))
    if closes >= today and rng.random() < 0.15:
        return  # nobody reviews or re-justifies this one: the nightly job closes it when its date passes
    review = case.next_review_on
    while review < min(closes, today):
        held = review + datetime.timedelta(days=rng.choice([-6, -3, -1, 0, 0, 2, 5, 12]))
        if held >= min(closes, today) or held <= day:
            break
        with on(held):
            case.refresh_from_db()
            interval = 56 if case.person.is_minor else 84
            add_review(case, held_on=held, still_necessary=True, rationale="Plan loopt; voortzetten.",
                             outcome="continue", next_review_on=held + datetime.timedelta(days=interval), actor=manager)
        review = held + datetime.timedelta(days=interval)
    if closes < today:
        with on(closes):
            case.refresh_from_db()
            close_with_approval(case, reason=_pick(rng, CLOSURES), actor=manager, approver=users[Role.COORDINATOR],
                                handover_note="Warme overdracht aan de reguliere hulpverlening, samen met de jongere.")


def _prevention_year(rng: random.Random, users: dict[str, User], year: int, last: datetime.date) -> None:
    """A year of activities, a budget of EUR 75,000 and its spending, and contact moments with the network."""
    officer, coordinator = users[Role.PROGRAMME_OFFICER], users[Role.COORDINATOR]
    if year == timezone.localdate().year:
        return  # this year's programme is the demo's own (demo.network)
    span = (last - datetime.date(year, 1, 10)).days
    with on(datetime.date(year, 1, 5)):
        programmes.save_budget(year, "municipal", Decimal("45000.00"), "Gemeentelijk budget preventie", actor=officer)
        programmes.save_budget(year, "national_grant", Decimal("30000.00"), "Rijksbijdrage", actor=officer)
    hoods = list(Neighbourhood.objects.all())
    partners = list(_network().exclude(sector__in=[Sector.POLICE, Sector.PUBLIC_PROSECUTOR,
                                                             Sector.MUNICIPALITY]))
    topics = list(ContactTopic.objects.all())
    askers = list(_network().filter(sector__in=[Sector.SCHOOL, Sector.YOUTH_WORK, Sector.COMMUNITY_CENTRE]))
    for _ in range(rng.randint(5, 11)):
        day = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randrange(span))
        with on(day):
            intake.ask_consultation(organisation=rng.choice(askers), asked_by=coordinator, channel="phone",
                                    question="Hoe maak ik een zorgelijke uitspraak van een jongere bespreekbaar?",
                                    advice="Gesprekstips gegeven en het preventieaanbod genoemd.")
    spent = {"municipal": Decimal(0), "national_grant": Decimal(0)}
    for _ in range(rng.randint(14, 20)):
        day = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randrange(span))
        kind = rng.choice(ActivityType.values[:-1])
        with on(day):
            activity = programmes.save_activity(Activity(
                type=kind, title=str(ActivityType(kind).label), starts_on=day, ends_on=day,
                neighbourhood=rng.choice(hoods), facilitator="Stichting Dialoog Lindeveen", audience="Deelnemers",
                participants=rng.randint(8, 90), average_rating=Decimal(rng.randint(62, 92)) / 10,
                created_by=officer), rng.sample(partners, rng.randint(1, 2)), {}, actor=officer)
            amount = Decimal(rng.randint(10, 38) * 100)
            source = "national_grant" if spent["national_grant"] + amount <= 28000 and rng.random() < 0.5 \
                else "municipal"
            spent[source] += amount
            programmes.record_expense(programmes.ExpenseInput(
                spent_on=day, source=source, amount=amount, description="Uitvoering activiteit",
                category=rng.choice(["facilitator", "facilitator", "venue", "materials"]), activity=activity),
                actor=officer)
    for _ in range(rng.randint(25, 40)):
        day = datetime.date(year, 1, 10) + datetime.timedelta(days=rng.randrange(span))
        with on(day):
            network.record_contact_moment(network.ContactMomentInput(
                happened_on=day, kind=rng.choice(["visit", "call", "meeting", "meeting", "event"]),
                organisations=[rng.choice(partners)], contacts=[], topic=rng.choice(topics),
                summary="Korte lijnen onderhouden; lopende afspraken doorgenomen."), actor=coordinator)

