"""Every list is paginated: 120 rows show as pages of 50 with the total, filters kept across pages."""

import datetime
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from netwerkregie.cases.models import Case, CaseConsultation
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentSession, Consultation, Signal
from netwerkregie.network.models import ContactMoment, ContactTopic, Covenant, Neighbourhood, Organisation, Sector
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.programmes.models import Activity, Budget, Expense
from tests.conftest import make_user, verified_client

pytestmark = pytest.mark.django_db
ROWS = 120
TODAY = datetime.date(2026, 6, 1)
LATER = TODAY + datetime.timedelta(days=365)


def signals(users: dict[str, User]) -> None:
    Signal.objects.bulk_create(Signal(
        source_organisation=users[Role.PARTNER].organisation, submitted_by=users[Role.PARTNER], channel="web_form",
        description="Deelt filmpjes die geweld verheerlijken.", subject_name=f"Persoon {n}", due_on=TODAY,
        retain_until=LATER) for n in range(ROWS))


def persons() -> list[Person]:
    return Person.objects.bulk_create(Person(name=f"Persoon {n}", retain_until=LATER) for n in range(ROWS))


def cases(users: dict[str, User]) -> None:
    # Numbered references: bulk_create skips the redraw on a collision, and 120 random five-character references
    # collide about once in 2,400 runs (it happened).
    Case.objects.bulk_create(Case(person=person, case_manager=users[Role.CASE_MANAGER], next_review_on=TODAY,
                                  created_by=users[Role.COORDINATOR], retain_until=LATER, reference=f"C-2026-{n:05d}")
                             for n, person in enumerate(persons()))


def requests(users: dict[str, User]) -> None:
    DataSubjectRequest.objects.bulk_create(DataSubjectRequest(
        kind="access", person=person, person_label=person.pseudonym, received_on=TODAY, deadline=TODAY,
        handler=users[Role.PRIVACY_OFFICER], retain_until=LATER) for person in persons())


def moments(users: dict[str, User]) -> None:
    ContactMoment.objects.bulk_create(ContactMoment(
        happened_on=TODAY, kind="visit", topic=ContactTopic.objects.first(), summary="Kennismaking.",
        recorded_by=users[Role.COORDINATOR], retain_until=LATER) for _ in range(ROWS))


def expenses(users: dict[str, User]) -> None:
    budget = Budget.objects.create(year=2026, source="municipal", amount=Decimal("75000"))
    Expense.objects.bulk_create(Expense(spent_on=TODAY, budget=budget, amount=Decimal("10"), description="Koffie",
                                        category="other", recorded_by=users[Role.PROGRAMME_OFFICER])
                                for _ in range(ROWS))


def audit_events(users: dict[str, User]) -> None:
    for n in range(ROWS):
        log_event(AuditAction.VIEW, actor=users[Role.COORDINATOR], object_type="intake.signal", object_id=n)


Make = Callable[[dict[str, User]], object]
LISTS: list[tuple[str, str, Make, dict[str, str]]] = [
    ("intake:triage", Role.COORDINATOR, signals, {"status": "new"}),
    ("intake:my_signals", Role.PARTNER, signals, {}),
    ("intake:session_list", Role.COORDINATOR, lambda u: AssessmentSession.objects.bulk_create(
        AssessmentSession(held_on=TODAY, title=f"Weging {n}", created_by=u[Role.COORDINATOR]) for n in range(ROWS)),
     {}),
    ("intake:consultation_list", Role.COORDINATOR, lambda u: Consultation.objects.bulk_create(
        Consultation(organisation=u[Role.PARTNER].organisation, channel="phone", question="Hoe bespreek ik dit?",
                     retain_until=LATER) for _ in range(ROWS)), {}),
    ("cases:case_list", Role.COORDINATOR, cases, {}),
    ("cases:case_list", Role.CASE_MANAGER, cases, {"mine": "1"}),  # the dashboard's lists, whole
    ("cases:case_list", Role.CASE_MANAGER, cases, {"review": "due"}),
    ("cases:consultation_list", Role.COORDINATOR, lambda u: CaseConsultation.objects.bulk_create(
        CaseConsultation(held_on=TODAY, title=f"Casusoverleg {n}", created_by=u[Role.COORDINATOR])
        for n in range(ROWS)), {}),
    ("network:organisation_list", Role.COORDINATOR, lambda u: Organisation.objects.bulk_create(
        Organisation(name=f"Partner {n:03d}", sector=Sector.OTHER) for n in range(ROWS)), {}),
    ("network:covenant_list", Role.COORDINATOR, lambda u: Covenant.objects.bulk_create(
        Covenant(title=f"Convenant {n}", valid_from=TODAY, created_by=u[Role.COORDINATOR]) for n in range(ROWS)), {}),
    ("network:contact_moment_list", Role.COORDINATOR, moments, {}),
    ("network:neighbourhood_list", Role.COORDINATOR, lambda u: Neighbourhood.objects.bulk_create(
        Neighbourhood(name=f"Wijk {n:03d}", code=f"wijk-{n}") for n in range(ROWS)), {}),
    ("programmes:activity_list", Role.PROGRAMME_OFFICER, lambda u: Activity.objects.bulk_create(
        Activity(type="school_lesson", title=f"Les {n}", starts_on=TODAY, ends_on=TODAY,
                 created_by=u[Role.PROGRAMME_OFFICER]) for n in range(ROWS)), {}),
    ("programmes:budget", Role.PROGRAMME_OFFICER, expenses, {}),
    ("accounts:user_list", Role.ADMIN, lambda u: [make_user(f"extra{n}", Role.PARTNER) for n in range(ROWS)], {}),
    ("privacy:requests", Role.PRIVACY_OFFICER, requests, {}),
    ("core:audit_log", Role.PRIVACY_OFFICER, audit_events, {"action": "view"}),
]


@pytest.mark.parametrize(("name", "role", "make", "filters"), LISTS, ids=[entry[0] for entry in LISTS])
def test_a_list_of_120_rows_shows_pages_and_a_total(users, name, role, make, filters) -> None:
    make(users)
    client = verified_client(users[role])
    first = client.get(reverse(name), filters)
    html = first.content.decode()
    assert first.status_code == 200
    page = first.context["page"]
    assert page.paginator.per_page == 50
    assert page.paginator.count >= ROWS
    assert len(page.object_list) == 50
    pages = page.paginator.num_pages
    assert f"Pagina 1 van {pages} ({page.paginator.count} in totaal)" in html
    next_link = "?" + "&amp;".join([*(f"{key}={value}" for key, value in filters.items()), "page=2"])
    assert f'href="{next_link}"' in html  # the filters are kept across pages
    last = client.get(reverse(name), {**filters, "page": pages})
    assert f"Pagina {pages} van {pages}" in last.content.decode()
    assert client.get(reverse(name), {**filters, "page": "nonsense"}).status_code == 200  # the first page


@pytest.mark.parametrize(("name", "role", "make", "filters"), LISTS, ids=[entry[0] for entry in LISTS])
def test_a_page_costs_no_query_per_row(users, name, role, make, filters) -> None:
    client = verified_client(users[role])
    client.get(reverse(name), filters)  # warm: sessions, content types, translations
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse(name), filters)
    make(users)
    with CaptureQueriesContext(connection) as full:
        client.get(reverse(name), filters)
    # One more for the total is allowed (an empty list counts nothing), and the case manager's lists write one
    # audit batch for the names they show (the head's lock, one insert, the head: three); no query per row.
    assert len(full) <= len(empty) + 4, [q["sql"][:120] for q in full.captured_queries]


def test_the_case_dashboard_shows_the_first_cases_and_links_to_all(users) -> None:
    """The dashboard's lists are bounded; each count links to the whole, paginated list."""
    cases(users)
    client = verified_client(users[Role.CASE_MANAGER])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:dashboard"))
    html = response.content.decode()
    assert len(response.context["mine"]) == 15
    assert response.context["mine_count"] == ROWS
    assert len(response.context["reviews_due"]) == 15
    assert response.context["reviews_count"] == ROWS
    assert f'href="{reverse("cases:case_list")}?mine=1">Alle {ROWS} van mijn casussen</a>' in html
    assert f'href="{reverse("cases:case_list")}?review=due">Alle {ROWS} evaluaties in de komende twee weken</a>' in html
    assert len(queries) < 20
    mine = client.get(reverse("cases:case_list"), {"mine": "1"})
    assert "<h1 class=\"utrecht-heading-1\">Mijn casussen</h1>" in mine.content.decode()
