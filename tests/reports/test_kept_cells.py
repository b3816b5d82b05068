"""The figures are kept per (section, period) and counted anew only where a change touched them; whatever
happens, the page shows what a full recount shows (``figures.recount``), suppression included."""

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.utils import timezone

from netwerkregie.cases import services as cases
from netwerkregie.cases.models import Case, CaseStatus
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services as intake
from netwerkregie.intake.models import Signal, SignalStatus
from netwerkregie.network import services as network
from netwerkregie.network.models import ContactTopic, Organisation, Sector
from netwerkregie.people.models import Person
from netwerkregie.people.services import PersonInput
from netwerkregie.privacy.merge import merge_persons
from netwerkregie.privacy.purge import purge
from netwerkregie.reports import figures, kept
from tests.case_helpers import close_approved, intervention
from tests.intake_helpers import findings, session_with, submit

pytestmark = pytest.mark.django_db
ALL = tuple(figures.SECTIONS)
TODAY = datetime.date(2026, 3, 10)
PERIODS = [figures.Period.of(2025), figures.Period.of(2025, 4), figures.Period.of(2026), figures.Period.of(2026, 1),
           figures.Period(datetime.date(2025, 11, 15), datetime.date(2026, 3, 31))]


def at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), timezone.get_current_timezone()),
                               tick=False)


def shown(sections: list[figures.Section]) -> list[object]:
    """Everything a page, a CSV or a PDF prints of the sections."""
    return [(s.key, [(t.title, [(r.label, r.count, r.shown) for r in t.rows], t.total and t.total.shown)
                     for t in s.tables], s.notes, [(m.title, m.rows) for m in s.money]) for s in sections]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each section was counted from the data."""
    calls: Counter[str] = Counter()

    def counting(name: str, build: Callable[[figures.Period], figures.Section]) -> Callable:
        def wrapped(period: figures.Period) -> figures.Section:
            calls[f"{name} {period.start.year}"] += 1
            return build(period)
        return wrapped

    monkeypatch.setattr(kept, "SECTIONS", {name: counting(name, build) for name, build in figures.SECTIONS.items()})
    return calls


def test_a_new_signal_counts_anew_only_the_signal_sections_of_the_periods_it_falls_in(
        users: dict[str, User], municipality: Organisation, counted: Counter[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    last_year, this_year = figures.Period.of(2025), figures.Period.of(2026)
    with at(datetime.date(2025, 6, 1)):
        submit(municipality)
    with at(TODAY):
        for period in (last_year, this_year):
            kept.report(ALL, period)
        assert counted == Counter({f"{name} {year}": 1 for name in ALL for year in (2025, 2026)})
        counted.clear()
        submit(municipality)
        read_cases = Counter[str]()
        case_facts = figures._case_facts_in
        monkeypatch.setattr(figures, "_case_facts_in", lambda p: read_cases.update(["read"]) or case_facts(p))
        for period in (last_year, this_year):
            kept.report(ALL, period)
    assert counted == Counter({"signals 2026": 1, "assessments 2026": 1, "oversight 2026": 1})
    assert read_cases == Counter()  # the oversight's case rows were kept: no case read for a new signal


def test_a_decision_on_last_years_signal_counts_both_years_anew_and_a_case_every_period(
        users: dict[str, User], municipality: Organisation, counted: Counter[str]) -> None:
    coordinator = users[Role.COORDINATOR]
    with at(datetime.date(2025, 12, 20)):
        signal = submit(municipality)
    with at(TODAY):
        for period in PERIODS[:3]:
            kept.report(ALL, period)
        counted.clear()
        intake.pre_assess(signal, decision="advice_given", legal_criterion="Convenant art. 6", rationale="Advies.",
                          actor=coordinator)
        for period in PERIODS[:3]:
            kept.report(ALL, period)
        assert set(counted) == {f"{name} {year}" for name in kept.SIGNAL_SECTIONS for year in (2025, 2026)}
        counted.clear()
        kept.report(ALL, PERIODS[0])
        assert not counted  # read again: kept


def acts(users: dict[str, User], rng: random.Random) -> Iterator[str]:
    """A random series of the acts that move figures, each through its service, on days around ``TODAY``."""
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    school = Organisation.objects.create(name="School", sector=Sector.SCHOOL)
    youth = Organisation.objects.create(name="Jongerenwerk", sector=Sector.YOUTH_WORK)
    for number in range(60):
        act = rng.choice(["signal", "signal", "decide", "case", "close", "purge", "merge", "moment", "consult"])
        new = list(Signal.objects.filter(status=SignalStatus.NEW))
        if act == "signal":
            submit(rng.choice([school, youth]), subject_name=f"Persoon {number}", acute_danger=rng.random() < 0.3,
                   subject_birth_date=datetime.date(rng.choice([2009, 1990]), 5, 5))
        elif act == "decide" and new:
            intake.pre_assess(rng.choice(new), decision=rng.choice(["advice_given", "closed_no_concern"]),
                              legal_criterion="Convenant art. 6", rationale="Besproken.", actor=coordinator)
        elif act == "case" and new:
            signal = rng.choice(new)
            intake.link_person(signal, actor=coordinator, new_person=PersonInput(
                name=f"Betrokkene {number}", birth_date=signal.subject_birth_date))
            session = session_with(coordinator, title=f"Weging {number}")
            intake.put_on_agenda(signal, session, actor=coordinator)
            intake.decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                          decision="to_case_conference", rationale="Zorgen.", actor=coordinator)
            case = cases.open_case(person=signal.person, case_manager=manager, actor=coordinator, signals=[signal],
                                   ideology="right_wing")
            cases.save_plan(case, goals=["School afmaken."], protective_factors="", base_version=0,
                            change_note="Plan", interventions=[intervention("mentor")], actor=manager)
        elif act == "close" and Case.objects.exclude(status=CaseStatus.CLOSED).exists():
            close_approved(rng.choice(list(Case.objects.exclude(status=CaseStatus.CLOSED))), actor=manager)
        elif act == "purge" and Signal.objects.filter(status=SignalStatus.DECIDED, cases__isnull=True).exists():
            gone = rng.choice(list(Signal.objects.filter(status=SignalStatus.DECIDED, cases__isnull=True)))
            Signal.objects.filter(pk=gone.pk).update(retain_until=timezone.localdate() - datetime.timedelta(days=1))
            purge()
        elif act == "merge" and Person.objects.count() >= 2:
            keep, other = rng.sample(list(Person.objects.all()), 2)
            merge_persons(keep, other, actor=coordinator, reason="Dubbel geregistreerd.")
        elif act == "moment":
            network.record_contact_moment(network.ContactMomentInput(
                happened_on=timezone.localdate(), kind="visit", organisations=[school], contacts=[],
                topic=ContactTopic.objects.first(), summary="Korte lijnen."), actor=coordinator)
        elif act == "consult":
            intake.ask_consultation(organisation=youth, question="Is dit een signaal?", channel="phone",
                                    asked_by=coordinator, advice="Tips gegeven." if rng.random() < 0.5 else "")
        yield act


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_figures_equal_a_full_recount_after_a_random_series_of_acts(
        users: dict[str, User], settings: object, seed: int) -> None:
    settings.REPORT_SUPPRESS_BELOW = 3  # type: ignore[attr-defined]  # small, so suppression moves with the acts
    rng = random.Random(seed)
    days = [datetime.date(2025, 10, 1) + datetime.timedelta(days=9 * n) for n in range(18)]
    done: Counter[str] = Counter()
    series = acts(users, rng)
    for day in days:
        with at(day):
            for _ in range(rng.randint(1, 4)):
                done[next(series, "none")] += 1
        with at(TODAY):
            for period in rng.sample(PERIODS, 3):
                assert shown(kept.report(ALL, period)) == shown(figures.recount(ALL, period)), (day, period, done)
    assert {"signal", "decide", "case", "close", "purge", "merge"} <= set(done), done
