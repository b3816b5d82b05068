"""Every figure of a small, hand-made year equals a count by hand from the raw rows; and the
figures stay the same after the purge has deleted every one of those rows."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from netwerkregie.cases import closure as case_closure
from netwerkregie.cases import services as cases
from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services as intake
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.network import services as network
from netwerkregie.network.models import ContactMoment, ContactTopic, Neighbourhood, Organisation, Sector
from netwerkregie.people.models import Person, age_on
from netwerkregie.people.services import PersonInput
from netwerkregie.privacy.models import StatisticalRemnant
from netwerkregie.privacy.purge import purge
from netwerkregie.programmes import services as programmes
from netwerkregie.programmes.models import Activity
from netwerkregie.reports import figures
from tests.case_helpers import approve_pending, close_approved, intervention
from tests.intake_helpers import findings, session_with

pytestmark = pytest.mark.django_db
YEAR = 2025
PERIOD = figures.Period.of(YEAR)


def on(month: int, day: int) -> time_machine.travel:
    moment = datetime.datetime(YEAR, month, day, 10, tzinfo=timezone.get_current_timezone())
    return time_machine.travel(moment, tick=False)


def d(month: int, day: int) -> datetime.date:
    return datetime.date(YEAR, month, day)


@pytest.fixture
def year(users: dict[str, User], settings: object) -> None:
    """Six signals, two cases (one closed), consultations, contact moments and an activity in 2025."""
    settings.REPORT_SUPPRESS_BELOW = 2  # type: ignore[attr-defined]  # small numbers, so every figure shows
    coordinator, officer, manager = users[Role.COORDINATOR], users[Role.CORE_PARTNER], users[Role.CASE_MANAGER]
    school = Organisation.objects.create(name="School", sector=Sector.SCHOOL)
    youth = Organisation.objects.create(name="Jongerenwerk", sector=Sector.YOUTH_WORK)
    north = Neighbourhood.objects.create(name="Noord", code="noord")
    south = Neighbourhood.objects.create(name="Zuid", code="zuid")
    plan = [  # received, organisation, channel, neighbourhood, born, acute, triage (day, "agenda"|decision), decided
        (d(1, 6), school, "web_form", north, datetime.date(2010, 5, 1), True, (d(1, 7), "agenda"),
         (d(1, 9), "to_case_conference")),
        (d(1, 20), school, "email", north, datetime.date(2000, 1, 1), False, (d(1, 31), "agenda"),
         (d(2, 6), "closed_no_concern")),
        (d(2, 3), youth, "phone", south, datetime.date(1990, 3, 3), False, (d(2, 4), "advice_given"), None),
        (d(2, 10), school, "web_form", south, datetime.date(2004, 6, 6), False, (d(2, 11), "agenda"),
         (d(2, 13), "to_case_conference")),
        (d(3, 3), school, "web_form", None, None, False, None, None),
        (d(3, 10), youth, "in_person", north, datetime.date(2008, 8, 8), False, (d(3, 11), "agenda"),
         (d(3, 13), "monitoring")),
    ]
    for number, (received, organisation, channel, hood, born, acute, triage, decided) in enumerate(plan):
        with on(received.month, received.day):
            signal = intake.submit_signal(intake.SignalInput(
                description="Deelt filmpjes die geweld verheerlijken.", subject_name=f"Persoon {number}",
                subject_birth_date=born, observation_codes=["justifies_violence"], acute_danger=acute,
                subject_neighbourhood_id=hood.pk if hood else None), organisation=organisation,
                channel=channel).signal
        if triage is None:
            continue
        with on(triage[0].month, triage[0].day):
            if triage[1] != "agenda":
                intake.pre_assess(signal, decision=triage[1], legal_criterion="Convenant art. 6",
                                  rationale="Geen zorg over radicalisering.", actor=coordinator)
                continue
            intake.link_person(signal, actor=coordinator, new_person=PersonInput(
                name=f"Persoon {number}", birth_date=born, neighbourhood_id=hood.pk))
            session = session_with(coordinator, officer, title=f"Weging {number}")
            intake.put_on_agenda(signal, session, actor=coordinator)
        with on(decided[0].month, decided[0].day):
            intake.decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
                          decision=decided[1], rationale="Besproken.", actor=coordinator)
    first, second = Signal.objects.filter(assessment__decision="to_case_conference").order_by("received_at")
    with on(1, 15):
        minor = cases.open_case(person=first.person, case_manager=manager, actor=coordinator, signals=[first],
                                ideology="right_wing")
        cases.save_plan(minor, goals=["School afmaken."], protective_factors="", base_version=0, change_note="Plan",
                        interventions=[intervention("mentor", status="completed"), intervention("area_ban")],
                        actor=manager)
        approve_pending(minor)  # the area ban is a compulsory measure
    with on(3, 1):
        case_closure.add_review(minor, held_on=d(3, 1), still_necessary=True, rationale="Loopt.", outcome="continue",
                         next_review_on=d(4, 20), actor=manager)
    with on(9, 1):
        close_approved(minor, reason="goals_achieved", handover_note="Warme overdracht.", actor=manager)
    with on(2, 20):
        adult = cases.open_case(person=second.person, case_manager=manager, actor=coordinator, signals=[second],
                                ideology="jihadist")
        cases.save_plan(adult, goals=["Werk vinden."], protective_factors="", base_version=0, change_note="Plan",
                        interventions=[intervention("family_talks", consent="person")], actor=manager)
    with on(6, 9):
        adult.refresh_from_db()
        case_closure.add_review(adult, held_on=d(6, 9), still_necessary=True, rationale="Loopt.", outcome="continue",
                         next_review_on=d(8, 30), actor=manager)
    with on(2, 14):
        intake.ask_consultation(organisation=school, question="Hoe bespreek ik dit?", channel="phone",
                                asked_by=coordinator, advice="Tips gegeven.")
        intake.ask_consultation(organisation=youth, question="Is dit een signaal?", channel="email",
                                asked_by=coordinator)
        topic = ContactTopic.objects.first()
        for kind, organisation in (("visit", school), ("call", youth), ("visit", youth)):
            network.record_contact_moment(network.ContactMomentInput(
                happened_on=d(2, 14), kind=kind, organisations=[organisation], contacts=[], topic=topic,
                summary="Kennismaking."), actor=coordinator)
    with on(4, 2):
        programmes.save_activity(Activity(type="school_lesson", title="Les", starts_on=d(4, 2), ends_on=d(4, 2),
                                          neighbourhood=north, participants=30, average_rating=Decimal("8.0"),
                                          created_by=users[Role.PROGRAMME_OFFICER]),
                                 [school], {}, actor=users[Role.PROGRAMME_OFFICER])


def counts(section: figures.Section) -> dict[str, dict[str, int]]:
    return {table.title: {row.label: row.count for row in table.rows} for table in section.tables}


def every_figure() -> dict[str, object]:
    got: dict[str, object] = {}
    for key in ("signals", "assessments", "cases", "prevention"):
        section = figures.SECTIONS[key](PERIOD)
        got |= counts(section) | {what: value for what, value in section.notes}
    return got


def by_hand() -> dict[str, object]:
    """The same figures, counted straight from the rows, without the reports' code."""
    signals = list(Signal.objects.all())
    triaged = [s for s in signals if s.triaged_at]
    decided = [s.assessment for s in signals if hasattr(s, "assessment")]
    case_rows = list(Case.objects.all())
    hoods = {"Noord": "noord", "Zuid": "zuid"}
    plans = [(c, c.plan_versions.order_by("-number").first().data["interventions"]) for c in case_rows]
    reviews = [r for c in case_rows for r in c.reviews.all()]
    moments = list(ContactMoment.objects.all())
    return {
        "Signalen naar sector van de melder": {"School": 4, "Jongerenwerk": 2},
        "Signalen naar kanaal": dict(Counter(s.get_channel_display() for s in signals)),
        "Signalen per maand": {"januari 2025": 2, "februari 2025": 2, "maart 2025": 2},
        "Signalen naar wijk van de betrokkene": {name: sum(s.subject_neighbourhood_id is not None and
                                                           s.subject_neighbourhood.code == code for s in signals)
                                                 for name, code in hoods.items()} | {"onbekend": 1},
        "Triage binnen de termijn": {"op tijd": sum(timezone.localdate(s.triaged_at) <= s.due_on for s in triaged),
                                     "te laat": sum(timezone.localdate(s.triaged_at) > s.due_on for s in triaged),
                                     "nog geen triage": len(signals) - len(triaged)},
        "Anonieme consulten": {"gevraagd": Consultation.objects.count(),
                               "advies gegeven": Consultation.objects.exclude(advised_at=None).count()},
        "Aandeel met acuut gevaar": "—",  # 1 of 6: one is below the threshold of 2, so no share
        "Aandeel over een minderjarige": "33%",
        "Mediaan aantal dagen van ontvangst tot triage": "1",
        "Aandeel met triage binnen de termijn": "80%",
        "Wegingen naar besluit": dict(Counter(a.get_decision_display() for a in decided)),
        "Aandeel door één partij gewogen": "100%", "Aandeel alleen afgehandeld bij de triage": "—",
        "Aandeel zorg ongegrond": "—",
        "Casussen geopend, lopend en afgesloten": {"geopend": 2, "lopend aan het eind": 1, "afgesloten": 1},
        "Geopende casussen naar betrokken ideologie": dict(Counter(c.get_ideology_display() for c in case_rows)),
        "Geopende casussen naar leeftijdsgroep": {
            "jonger dan 18": sum(age_on(c.person.birth_date, c.opened_on) < 18 for c in case_rows),
            "18 tot en met 23": sum(18 <= age_on(c.person.birth_date, c.opened_on) <= 23 for c in case_rows)},
        "Geopende casussen naar wijk van de betrokkene": {"Noord": 1, "Zuid": 1},
        "Afgesloten casussen naar reden": {"Doelen bereikt": 1},
        "Interventies in de periode naar soort": {"Mentor of maatje": 1, "Gebiedsverbod (burgemeester)": 1,
                                                  "Gezinsgesprekken": 1},
        "Interventies in de periode naar status": dict(Counter(
            {"running": "Lopend", "completed": "Afgerond"}[i["status"]] for _, items in plans for i in items)),
        "Gehouden evaluaties": {"op tijd": sum(r.held_on <= r.due_on for r in reviews),
                                "te laat": sum(r.held_on > r.due_on for r in reviews)},
        "Mediane duur van afgesloten casussen (dagen)": "—",
        "Activiteiten naar soort": {"Les over democratie en samenleving": 1},
        "Deelnemers naar soort activiteit": {"Les over democratie en samenleving": 30},
        "Contactmomenten met het netwerk naar soort": dict(Counter(m.get_kind_display() for m in moments)),
        "Gemiddelde waardering door deelnemers (1 tot 10)": "—",
    }


def matches(got: dict[str, object], hand: dict[str, object]) -> dict[str, object]:
    """What differs: every count in ``hand`` must be in ``got``; rows not named by hand must be zero."""
    wrong: dict[str, object] = {}
    for title, expected in hand.items():
        actual = got.get(title)
        if isinstance(expected, dict):
            named = {label: actual.get(label) for label in expected} if isinstance(actual, dict) else actual
            rest = {k: v for k, v in (actual or {}).items() if k not in expected and v}  # type: ignore[union-attr]
            if named != expected or rest:
                wrong[title] = (actual, expected)
        elif actual != expected:
            wrong[title] = (actual, expected)
    return wrong


def test_every_figure_equals_a_count_by_hand_from_the_rows(year: None) -> None:
    hand = by_hand()
    assert sum(hand["Signalen naar kanaal"].values()) == 6  # type: ignore[attr-defined]
    assert hand["Triage binnen de termijn"] == {"op tijd": 4, "te laat": 1, "nog geen triage": 1}
    assert hand["Gehouden evaluaties"] == {"op tijd": 1, "te laat": 1}
    assert matches(every_figure(), hand) == {}


def test_the_figures_stay_the_same_after_every_row_is_purged(year: None) -> None:
    before = every_figure()
    assert before.pop("Zorg ongegrond: persoonsgegevens") == {"gewist": 0, "nog te wissen": 1}
    for model in (Case, Signal, Person, Consultation, ContactMoment):
        model.objects.update(retain_until=datetime.date(2025, 12, 31))
    report = purge(datetime.date(2026, 1, 1))
    assert Signal.objects.count() == Case.objects.count() == Person.objects.count() == 0
    assert report.deleted == 6 + 2 + 4 + 2 + 3  # signals, cases, persons, consultations, contact moments
    assert StatisticalRemnant.objects.count() == 6 + 2 + 2 + 3
    assert matches(every_figure(), before) == {}
    assert counts(figures.assessments(PERIOD))["Zorg ongegrond: persoonsgegevens"] == {"gewist": 1,
                                                                                       "nog te wissen": 0}


def test_a_remnant_holds_no_name_reference_pseudonym_birth_date_or_text(year: None) -> None:
    secrets = [p.name for p in Person.objects.all()] + [p.pseudonym for p in Person.objects.all()]
    secrets += [s.reference for s in Signal.objects.all()] + [c.reference for c in Case.objects.all()]
    secrets += [p.birth_date.isoformat() for p in Person.objects.all() if p.birth_date]
    secrets += ["filmpjes", "bespreek", "Kennismaking", "School afmaken", "Warme overdracht"]
    for model in (Case, Signal, Person, Consultation, ContactMoment):
        model.objects.update(retain_until=datetime.date(2025, 12, 31))
    purge(datetime.date(2026, 1, 1))
    stored = " ".join(str(r.facts) for r in StatisticalRemnant.objects.all())
    assert [s for s in secrets if s in stored] == []
    assert set(StatisticalRemnant.objects.values_list("kind", flat=True)) == {
        "signal", "case", "consultation", "contact_moment"}


def test_a_single_case_in_a_neighbourhood_is_never_shown_at_the_default_threshold(year: None, settings) -> None:
    settings.REPORT_SUPPRESS_BELOW = 5
    table = next(t for t in figures.cases(PERIOD).tables if t.title == "Geopende casussen naar wijk van de betrokkene")
    assert {row.label: row.shown for row in table.rows}["Noord"] == "< 5"
    assert table.total is not None
    assert table.total.shown == "< 5"
    assert table.bars == []
